/** Framing SIP over TCP (R29): Content-Length delimits; keep-alives skipped; a stream without it is refused. */
import { describe, expect, it } from "vitest";
import { takeMessages } from "./framing";

const msg = (body: string) => `OPTIONS sip:x SIP/2.0\r\nCall-ID: 1\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe("TCP framing", () => {
  it("R29: cuts back-to-back messages, waits for a partial one and counts CRLFCRLF keep-alives", () => {
    const text = `\r\n\r\n${msg("abc")}${msg("")}${msg("hello").slice(0, -2)}`;
    const f = takeMessages(Buffer.from(text));
    expect(f.messages).toEqual([msg("abc"), msg("")]);
    expect(f.keepAlives).toBe(1);
    expect(f.rest.toString()).toBe(msg("hello").slice(0, -2));
    expect(takeMessages(Buffer.concat([f.rest, Buffer.from("lo")])).messages).toEqual([msg("hello")]);
  });

  it("R29: a message without Content-Length on a stream is an error", () => {
    expect(takeMessages(Buffer.from("OPTIONS sip:x SIP/2.0\r\nCall-ID: 1\r\n\r\n")).error).toMatch(/Content-Length/);
  });
});
