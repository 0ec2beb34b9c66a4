/**
 * How the client writes frames and offers its credentials on the wire. Text goes
 * out well formed: a lone UTF-16 surrogate (half an emoji cut by a paste) cannot
 * be encoded as UTF-8 and the rooms refuse it, so it becomes U+FFFD; and U+FFFD
 * itself travels only as the JSON escape `\ufffd`, because the runtime hands the
 * rooms invalid UTF-8 as a raw U+FFFD, which they answer with a 1007 close.
 */

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
 * party/runtime/adapter.ts), and the access token beside it as `bearer.<token>`:
 * never in the address (issue 12.5).
 */
export const SUBPROTOCOL = "conversas";

export function socketProtocols(token: string | null): string[] {
  return token ? [SUBPROTOCOL, `bearer.${token}`] : [SUBPROTOCOL];
}
