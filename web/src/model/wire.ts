/**
 * How the client writes frames and offers its credentials on the wire. Text goes
 * out well formed: a lone UTF-16 surrogate (half an emoji cut by a paste) cannot
 * be encoded as UTF-8 and the rooms refuse it, so it becomes U+FFFD; and U+FFFD
 * itself travels only as the JSON escape `\ufffd`, because the runtime hands the
 * rooms invalid UTF-8 as a raw U+FFFD, which they answer with a 1007 close.
 */

import { FRAMES_SUBPROTOCOL } from "../../../protocol/chat";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with every lone surrogate replaced by U+FFFD (String.prototype.toWellFormed). */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/** A frame as the rooms read it: JSON, strings well formed, U+FFFD escaped. */
export function encodeFrame(frame: object): string {
  return JSON.stringify(frame, (_key, value: unknown) => (typeof value === "string" ? wellFormed(value) : value)).replace(
    /\uFFFD/g,
    "\\ufffd",
  );
}

/**
 * The subprotocol every app socket speaks (the server's SUBPROTOCOL in
 * party/runtime/adapter.ts), the app's offer to take several frames as one
 * (FRAMES_SUBPROTOCOL; room-socket.ts unpacks them), and the access token beside
 * them as `bearer.<token>`: never in the address (issue 12.5).
 */
export const SUBPROTOCOL = "conversas";

export function socketProtocols(token: string | null): string[] {
  return token ? [SUBPROTOCOL, FRAMES_SUBPROTOCOL, `bearer.${token}`] : [SUBPROTOCOL, FRAMES_SUBPROTOCOL];
}

/** The frames one WebSocket message carries: itself, or the ones a `frames` frame holds, in order. */
export function framesOf(frame: { type?: unknown; frames?: unknown }): { type?: unknown }[] {
  return frame.type === "frames" && Array.isArray(frame.frames) ? (frame.frames as { type?: unknown }[]) : [frame];
}
