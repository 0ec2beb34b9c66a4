/**
 * Parsing and serialising with sip.js's parser, on messages recorded from sip.js
 * (browser side) and sipp (PBX side), plus the malformed ones the proxy must
 * answer 400 or drop (R29).
 */
import { describe, expect, it } from "vitest";
import { Grammar } from "sip.js";
import {
  ackFor,
  addr,
  makeVia,
  parseVia,
  cancelFor,
  header,
  makeResponse,
  parseSip,
  popVia,
  routeSet,
  serialise,
  splitList,
  tagOf,
  topVia,
  userOf,
  headers,
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

// Recorded from sipp 3.6 (`-sn uac`): display names, an addr-spec Contact, padded Content-Length.
const SIPP_INVITE = crlf([
  "INVITE sip:2001@127.0.0.1:60716 SIP/2.0",
  "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-13037-1-0",
  "From: sipp <sip:sipp@127.0.0.1:5060>;tag=13037SIPpTag001",
  "To: 2001 <sip:2001@127.0.0.1:60716>",
  "Call-ID: 1-13037@127.0.0.1",
  "CSeq: 1 INVITE",
  "Contact: sip:sipp@127.0.0.1:5060",
  "Max-Forwards: 70",
  "Subject: Performance Test",
  "Content-Type: application/sdp",
  "Content-Length:   10",
  "",
  "v=0\r\ns=x\r\n",
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
    expect(routeSet(["<sip:a;lr>, <sip:b;lr>", "<sip:c;lr>"]).map((r) => r.host)).toEqual(["a", "b", "c"]);
    expect(splitList('"Doe, J" <sip:a@b>, <sip:c@d;x=1,2>')).toEqual(['"Doe, J" <sip:a@b>', "<sip:c@d;x=1,2>"]);
  });

  it("R29: reads a sipp INVITE with display names, an addr-spec Contact and a padded Content-Length", () => {
    const r = parseSip(SIPP_INVITE);
    if (!r.ok || r.message.kind !== "request") throw new Error(r.ok ? "not a request" : r.reason);
    expect(header(r.message, "Contact")).toBe("sip:sipp@127.0.0.1:5060");
    expect(header(r.message, "Subject")).toBe("Performance Test");
    expect(r.message.body).toBe("v=0\r\ns=x\r\n");
    expect(userOf(r.message, "To")).toBe("2001");
    expect(tagOf(r.message, "From")).toBe("13037SIPpTag001");
  });

  it("R29: unfolds continuation lines, expands compact names and splits a Contact list into entries", () => {
    const text = SIPP_INVITE.replace("Via: ", "v: ")
      .replace("Subject: Performance Test", "Subject: Performance\r\n  Test")
      .replace("Contact: sip:sipp@127.0.0.1:5060", 'm: <sip:a@h1>;q=0.5, "B, b" <sip:b@h2>');
    const r = parseSip(text);
    if (!r.ok) throw new Error(r.reason);
    expect(topVia(r.message)?.branch).toBe("z9hG4bK-13037-1-0");
    expect(header(r.message, "Subject")).toBe("Performance Test");
    expect(headers(r.message, "Contact")).toEqual(["<sip:a@h1>;q=0.5", '"B, b" <sip:b@h2>']);
  });

  it("R29: a header line without a name, a cut-short header section, or a bad Contact, Via or From is refused", () => {
    for (const bad of [
      SIPP_INVITE.replace("Subject: Performance Test", "Subject Performance Test"),
      SIPP_INVITE.slice(0, SIPP_INVITE.indexOf("\r\n\r\n")),
      SIPP_INVITE.replace("Contact: sip:sipp@127.0.0.1:5060", "Contact: <sip:sipp@127.0.0.1:5060"),
      SIPP_INVITE.replace("Via: SIP/2.0/UDP 127.0.0.1:5060", "Via: SIP/2.0/UDP 127.0.0.1:x"),
      SIPP_INVITE.replace("From: sipp <sip:sipp@", "From: sipp <nonsense:::@"),
      SIPP_INVITE.replace("Content-Length:   10", "Content-Length: ten"),
    ]) {
      const r = parseSip(bad);
      expect(r.ok, bad).toBe(false);
    }
    const noColon = parseSip(SIPP_INVITE.replace("Subject: Performance Test", "Subject Performance Test"));
    expect(!noColon.ok && noColon.answer?.status).toBe(400);
  });

  it("R29: Vias and name-addrs read through a template with a fixed branch or tag give the grammar's own answer", () => {
    // The template for this sender is learnt from the first value, then reused for the others.
    for (const n of [1, 2, 3]) {
      const via = `SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-${n}-x;rport`;
      const g = Grammar.parse(via, "Via");
      expect(parseVia(via)).toEqual({ transport: "UDP", host: g.host, port: g.port, branch: g.branch, received: undefined, rport: null });
      const from = `sipp <sip:sipp@127.0.0.1:5060>;tag=t${n}`;
      const na = Grammar.nameAddrHeaderParse(from)!;
      expect(addr(from)).toEqual({ uri: na.uri.toString(), user: "sipp", host: "127.0.0.1", port: 5060, tag: `t${n}` });
    }
    // A value whose only difference is a bad branch or tag goes through the grammar itself.
    expect(parseVia('SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK"x;rport')).toBe(null);
    expect(addr("sipp <sip:sipp@127.0.0.1:5060>;tag=a b")).toBe(null);
    // A tag inside the URI is not a header parameter: it is not templated away.
    expect(addr("<sip:sipp@127.0.0.1;tag=u1>;tag=t9")?.uri).toBe(
      Grammar.nameAddrHeaderParse("<sip:sipp@127.0.0.1;tag=u1>")!.uri.toString(),
    );
  });

  it("R29: the Via the proxy writes is remembered as the grammar reads it", () => {
    for (const [t, host, port, rport] of [
      ["UDP", "127.0.0.1", 5070, true],
      ["WSS", "proxy.conversas.invalid", undefined, false],
    ] as const) {
      const value = makeVia(t, host, port, "z9hG4bKmine1", rport);
      const g = Grammar.parse(value, "Via");
      expect(parseVia(value)).toEqual({
        transport: String(g.transport).toUpperCase(),
        host: g.host,
        port: g.port,
        branch: g.branch,
        received: g.received,
        rport: "rport" in (g.params ?? {}) ? (g.rport ?? null) : undefined,
      });
    }
  });
});
