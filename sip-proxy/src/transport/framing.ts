/**
 * Cuts SIP messages out of a TCP byte stream (RFC 3261 §18.3: on a stream the
 * Content-Length header is mandatory and delimits the body). CRLF keep-alives
 * between messages (RFC 5626 §3.5.1) are skipped. A header block that never ends
 * or a bad Content-Length is reported so the connection can be dropped.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export type Framed = { messages: string[]; rest: Buffer; keepAlives: number; error: string | null };

export function takeMessages(input: Buffer): Framed {
  const messages: string[] = [];
  let buf = input;
  let keepAlives = 0;
  for (;;) {
    let skip = 0;
    while (buf.length >= skip + 2 && buf[skip] === 13 && buf[skip + 1] === 10) skip += 2;
    if (skip) {
      if (skip >= 4) keepAlives++;
      buf = buf.subarray(skip);
    }
    const end = buf.indexOf("\r\n\r\n");
    if (end < 0) {
      const error = buf.length > MAX_MESSAGE_BYTES ? "header block too long" : null;
      return { messages, rest: buf, keepAlives, error };
    }
    const head = buf.subarray(0, end).toString("utf8");
    const m = /\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t]*(?:\r\n|$)/i.exec(head);
    if (!m) return { messages, rest: buf, keepAlives, error: "missing Content-Length on a stream" };
    const length = Number(m[1]);
    if (length > MAX_MESSAGE_BYTES) return { messages, rest: buf, keepAlives, error: "body too long" };
    const total = end + 4 + length;
    if (buf.length < total) return { messages, rest: buf, keepAlives, error: null };
    messages.push(buf.subarray(0, total).toString("utf8"));
    buf = buf.subarray(total);
  }
}
