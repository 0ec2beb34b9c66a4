/**
 * Parsing and serialising with sip.js's parser, on messages recorded from sip.js
 * (browser side) and sipp (PBX side), plus the malformed ones the proxy must
 * answer 400 or drop (R29).
 */
import { describe, expect, it } from "vitest";
import {
  ackFor,
  cancelFor,
  header,
  makeResponse,
  parseSip,
  popVia,
  routeSet,
  serialise,
  splitList,
  topVia,
  userOf,
  type SipRequest,
} from "./message";

const crlf = (lines: string[]) => lines.join("\r\n");

// Recorded from sip.js 0.21 in the integration tests.
const SIPJS_INVITE = crlf([
  "INVITE sip:3001@conversas.invalid SIP/2.0",
  "Via: SIP/2.0/WS 8aalk4788gaf.invalid;branch=z9hG4bK8227794",
  "To: <sip:3001@conversas.invalid>",
  "From: <sip:2001@conversas.invalid>;tag=9s0602dmgv",
  "CSeq: 1 INVITE",
  "Call-ID: 872guj4kksv4rmutb8mj",
  "Max-Forwards: 70",
  "Contact: <sip:tpapt2fp@8aalk4788gaf.invalid;transport=ws;ob>",
  "Content-Type: application/sdp",
  "Content-Length: 10",
  "",
  "v=0\r\ns=x\r\nEXTRA",
]);

// Recorded from sipp 3.6: several Vias on one line.
const SIPP_486 = crlf([
  "SIP/2.0 486 Busy Here",
  "Via: SIP/2.0/UDP 127.0.0.1:57972;branch=z9hG4bKs36wegy21wd72d4zc658;rport, SIP/2.0/WS 8aalk4788gaf.invalid;branch=z9hG4bK8227794",
  "From: <sip:2001@conversas.invalid>;tag=9s0602dmgv",
  "To: <sip:3001@conversas.invalid>;tag=21160SIPpTag011",
  "Call-ID: 872guj4kksv4rmutb8mj",
  "CSeq: 1 INVITE",
  "Content-Length: 0",
  "",
  "",
]);

describe("SIP parsing and serialising", () => {
  it("R29: reads a browser INVITE, cuts the body at Content-Length and serialises it back", () => {
    const r = parseSip(SIPJS_INVITE);
    expect(r.ok).toBe(true);
    if (!r.ok || r.message.kind !== "request") throw new Error("not a request");
    expect(r.message.method).toBe("INVITE");
    expect(r.message.body).toBe("v=0\r\ns=x\r\n");
    expect(userOf(r.message, "From")).toBe("2001");
    const again = parseSip(serialise(r.message));
    expect(again.ok && again.message).toEqual(r.message);
  });

  it("R29: pops only the top Via of a sipp response that lists several on one line", () => {
    const r = parseSip(SIPP_486);
    if (!r.ok || r.message.kind !== "response") throw new Error("not a response");
    expect(topVia(r.message)?.branch).toBe("z9hG4bKs36wegy21wd72d4zc658");
    popVia(r.message);
    expect(header(r.message, "Via")).toBe("SIP/2.0/WS 8aalk4788gaf.invalid;branch=z9hG4bK8227794");
    expect(topVia(r.message)?.transport).toBe("WS");
  });

  it("R29: a request with a broken CSeq is refused with a 400 addressed back to the sender", () => {
    const r = parseSip(SIPJS_INVITE.replace("CSeq: 1 INVITE", "CSeq: nonsense"));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.answer?.status).toBe(400);
    expect(header(r.answer!, "Call-ID")).toBe("872guj4kksv4rmutb8mj");
    expect(header(r.answer!, "Via")).toContain("z9hG4bK8227794");
  });

  it("R29: a CSeq whose method is not the request's, or a missing Call-ID, is a 400", () => {
    const wrong = parseSip(SIPJS_INVITE.replace("CSeq: 1 INVITE", "CSeq: 1 BYE"));
    expect(!wrong.ok && wrong.answer?.status).toBe(400);
    const noCallId = parseSip(SIPJS_INVITE.replace("Call-ID: 872guj4kksv4rmutb8mj\r\n", ""));
    expect(noCallId.ok).toBe(false);
  });

  it("R29: garbage and broken responses are dropped without an answer; a broken ACK is never answered", () => {
    for (const text of ["hello", "hello\r\n\r\n", "\u0000\u0001\u0002", SIPP_486.replace("CSeq: 1 INVITE", "CSeq: x")]) {
      const r = parseSip(text);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.answer).toBe(null);
    }
    const ack = parseSip(SIPJS_INVITE.replace("INVITE sip", "ACK sip").replace("CSeq: 1 INVITE", "CSeq: x"));
    expect(!ack.ok && ack.answer).toBe(null);
  });

  it("R29: responses copy Via/From/To/Call-ID/CSeq and add a To tag; ACK and CANCEL reuse the request's branch", () => {
    const r = parseSip(SIPJS_INVITE);
    const req = (r.ok && r.message) as SipRequest;
    const res = makeResponse(req, 486, "Busy Here", "t1");
    expect(header(res, "To")).toBe("<sip:3001@conversas.invalid>;tag=t1");
    expect(makeResponse(req, 100, "Trying").headers.find((h) => h.name === "To")?.value).toBe("<sip:3001@conversas.invalid>");
    const ack = ackFor(req, res);
    expect(ack.uri).toBe(req.uri);
    expect(header(ack, "CSeq")).toBe("1 ACK");
    expect(header(ack, "To")).toContain("tag=t1");
    expect(topVia(cancelFor(req))?.branch).toBe("z9hG4bK8227794");
  });

  it("splits route sets and header lists on the right commas", () => {
    expect(routeSet(["<sip:a;lr>, <sip:b;lr>", "<sip:c;lr>"]).map((r) => r.uri.host)).toEqual(["a", "b", "c"]);
    expect(splitList('"Doe, J" <sip:a@b>, <sip:c@d;x=1,2>')).toEqual(['"Doe, J" <sip:a@b>', "<sip:c@d;x=1,2>"]);
  });
});
