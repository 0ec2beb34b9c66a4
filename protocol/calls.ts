/**
 * Calls (R25–R29): the records the sip-proxy reports for each finished call, and
 * each user's history and frequent contacts derived from them in their own room.
 * The sip-proxy POSTs one CallRecord per platform user involved; the user room
 * stores it by call id. Status codes map to the spec's words: answered =
 * "Atendidas", initiated = "Iniciadas", missed = "Perdidas".
 */
import * as v from "valibot";
import { UserId } from "./ids";

const MAX_PAGE = 100;
const MISSING = "campo obrigatório ausente";

export const CallEndReason = v.picklist([
  "caller-hangup",
  "callee-hangup",
  "cancelled",
  "busy",
  "rejected",
  "no-answer",
  "failed",
  "connection-lost",
]);
export type CallEndReason = v.InferOutput<typeof CallEndReason>;

const CallNumber = v.pipe(v.string(), v.maxLength(64));
const Instant = v.pipe(v.number(), v.integer(), v.minValue(0));
const CallEndpoint = v.object({
  /** The platform user behind this side, when it is a browser. */
  userId: v.nullable(UserId),
  /** Their extension, or the number dialled / calling in from the PBX. */
  number: CallNumber,
});

export const CallRecord = v.object({
  callId: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  tenant: v.string(),
  caller: CallEndpoint,
  callee: CallEndpoint,
  /** One entry per platform user involved, with the call's direction from their side. */
  parties: v.pipe(v.array(v.object({ userId: UserId, direction: v.picklist(["outbound", "inbound"]) })), v.maxLength(2)),
  answered: v.boolean(),
  startedAt: Instant,
  answeredAt: v.nullable(Instant),
  endedAt: Instant,
  endReason: CallEndReason,
});
export type CallRecord = v.InferOutput<typeof CallRecord>;

export const CallStatus = v.picklist(["answered", "initiated", "missed"]);
export type CallStatus = v.InferOutput<typeof CallStatus>;
/** "all" = "Todas"; the others select one CallStatus. */
export const CallFilter = v.picklist(["all", "answered", "initiated", "missed"]);
export type CallFilter = v.InferOutput<typeof CallFilter>;

/** One row of a user's call history, from that user's side. */
export type CallHistoryEntry = {
  callId: string;
  direction: "outbound" | "inbound";
  status: CallStatus;
  answered: boolean;
  /** The other side: a platform user, or a number outside the platform. */
  other: { userId: string | null; number: string };
  startedAt: number;
  endedAt: number;
  durationMs: number;
  endReason: CallEndReason;
};

export type FrequentContact = { userId: string | null; number: string; calls: number; lastAt: number };

export const CallsFetch = v.object(
  {
    type: v.literal("calls.fetch"),
    filter: CallFilter,
    /** Name or number to search for (name needs at least 3 characters, R21). */
    query: v.optional(v.pipe(v.string(), v.maxLength(64, "busca até 64 caracteres"))),
    /** The `next` cursor of the previous page. */
    before: v.optional(v.pipe(v.string(), v.maxLength(300))),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PAGE, `limit até ${MAX_PAGE}`))),
  },
  MISSING,
);

export type CallsServerFrame =
  /** Newest first; `next` continues the same filter and query, null at the end. `frequent` only on a first page. */
  | {
      type: "calls.page";
      filter: CallFilter;
      query: string;
      entries: CallHistoryEntry[];
      next: string | null;
      frequent?: FrequentContact[];
    }
  /** A finished call was recorded: every tab of the user gets it live. */
  | { type: "calls.updated"; entry: CallHistoryEntry; frequent: FrequentContact[] };
