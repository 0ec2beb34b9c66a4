/**
 * The hand-off between the softphone and the Atendimento screen that embeds or
 * opens Conversas (R26; issue 12.2): what the app posts to that page about each
 * call, and the actions that page may post back. Both travel by postMessage, only
 * to and from the origins the deployment allows (`CONVERSAS_EMBED_ORIGINS`,
 * served by `GET /api/config` as `embedOrigins`); anything that does not
 * validate here is ignored.
 */
import * as v from "valibot";

/** The page → app message type. */
export const CALL_ACTION = "conversas.call.action";
/** The app → page message type. */
export const CALL_EVENT = "conversas.call";

const CallId = v.pipe(v.string(), v.minLength(1), v.maxLength(256));

/** What the embedding page asks of the softphone: dial a number, or answer / decline / hang up a call it was told of. */
export const EmbedCallAction = v.variant("action", [
  v.object({
    type: v.literal(CALL_ACTION),
    action: v.literal("dial"),
    number: v.pipe(v.string(), v.regex(/^[0-9+*#]{1,32}$/, "número inválido")),
  }),
  v.object({
    type: v.literal(CALL_ACTION),
    action: v.picklist(["answer", "decline", "hangup"]),
    callId: CallId,
  }),
]);
export type EmbedCallAction = v.InferOutput<typeof EmbedCallAction>;

/** What the app tells the embedding page about a call, at every change of its state. */
export type EmbedCallEvent = {
  type: typeof CALL_EVENT;
  direction: "outbound" | "inbound";
  state: "dialing" | "ringing" | "answering" | "active" | "ended";
  callId: string;
  number: string;
  name: string | null;
};
