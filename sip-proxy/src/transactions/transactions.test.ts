/**
 * The client and server transaction state machines (RFC 3261 §17, RFC 6026),
 * driven with recorded messages and fake timers: retransmission over UDP, the
 * hop-by-hop ACK, timeouts, and absorbing retransmitted requests (R29).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { makeResponse, parseSip, type SipRequest, type SipResponse } from "../sip/message";
import { ClientTransaction } from "./client";
import { ServerTransaction } from "./server";

const INVITE = [
  "INVITE sip:3000@127.0.0.1:5060 SIP/2.0",
  "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKabc;rport",
  "From: <sip:2001@conversas.invalid>;tag=f1",
  "To: <sip:3000@conversas.invalid>",
  "Call-ID: c1",
  "CSeq: 1 INVITE",
  "Content-Length: 0",
  "",
  "",
].join("\r\n");

const req = (text = INVITE) => {
  const r = parseSip(text);
  if (!r.ok || r.message.kind !== "request") throw new Error("bad fixture");
  return r.message;
};

function client(request: SipRequest, reliable: boolean) {
  const sent: string[] = [];
  const got: SipResponse[] = [];
  const ev = { timeout: 0, terminated: 0 };
  const tx = new ClientTransaction(request, reliable, {
    send: (t) => sent.push(t),
    onResponse: (r) => got.push(r),
    onTimeout: () => ev.timeout++,
    onTerminated: () => ev.terminated++,
  });
  tx.start();
  return { tx, sent, got, ev };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("client transaction", () => {
  it("R29: an INVITE over UDP is retransmitted at T1, 2T1, 4T1… until a provisional answer", () => {
    const { tx, sent } = client(req(), false);
    vi.advanceTimersByTime(500);
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(3);
    tx.receive(makeResponse(req(), 180, "Ringing", "t"));
    vi.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(3);
    expect(tx.state).toBe("proceeding");
  });

  it("R29: nothing is retransmitted over a reliable transport", () => {
    const { sent } = client(req(), true);
    vi.advanceTimersByTime(20_000);
    expect(sent).toHaveLength(1);
  });

  it("R29: a non-2xx final answer is ACKed by the transaction itself, passed up once, and re-ACKed on retransmission", () => {
    const { tx, sent, got } = client(req(), false);
    const busy = makeResponse(req(), 486, "Busy Here", "t9");
    tx.receive(busy);
    tx.receive(busy);
    expect(got.map((r) => r.status)).toEqual([486]);
    const acks = sent.filter((s) => s.startsWith("ACK "));
    expect(acks).toHaveLength(2);
    expect(acks[0]).toContain("CSeq: 1 ACK");
    expect(acks[0]).toContain("tag=t9");
    expect(acks[0]).toContain("branch=z9hG4bKabc");
  });

  it("R29: 2xx retransmissions are passed up (the UAC ACKs them end to end) and the transaction ends after 64·T1", () => {
    const { tx, got, ev } = client(req(), false);
    const ok = makeResponse(req(), 200, "OK", "t2");
    tx.receive(ok);
    tx.receive(ok);
    expect(got.map((r) => r.status)).toEqual([200, 200]);
    vi.advanceTimersByTime(32_000);
    expect(tx.state).toBe("terminated");
    expect(ev.terminated).toBe(1);
  });

  it("R29: with no answer at all, Timer B fires once after 32 s", () => {
    const { tx, ev } = client(req(), false);
    vi.advanceTimersByTime(31_999);
    expect(ev.timeout).toBe(0);
    vi.advanceTimersByTime(1);
    expect(ev.timeout).toBe(1);
    expect(tx.state).toBe("terminated");
  });

  it("R29: a non-INVITE keeps retransmitting at T2 even after a provisional, and times out with Timer F", () => {
    const bye = req(INVITE.replace("INVITE sip", "BYE sip").replace("1 INVITE", "2 BYE"));
    const { tx, sent, ev } = client(bye, false);
    tx.receive(makeResponse(bye, 100, "Trying"));
    vi.advanceTimersByTime(32_000);
    expect(sent.length).toBeGreaterThan(5);
    expect(ev.timeout).toBe(1);
  });
});

describe("server transaction", () => {
  function server(reliable: boolean) {
    const sent: string[] = [];
    const tx = new ServerTransaction(req(), reliable, { send: (t) => sent.push(t), onTerminated: () => undefined });
    return { tx, sent };
  }

  it("R29: a retransmitted INVITE gets the last response again, not a second forward", () => {
    const { tx, sent } = server(false);
    tx.respond(makeResponse(req(), 100, "Trying"));
    tx.receiveRetransmission();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatch(/^SIP\/2.0 100 Trying/);
  });

  it("R29: a non-2xx final is retransmitted over UDP until the ACK, which the transaction absorbs", () => {
    const { tx, sent } = server(false);
    tx.respond(makeResponse(req(), 486, "Busy Here", "t"));
    vi.advanceTimersByTime(500 + 1000);
    expect(sent).toHaveLength(3);
    expect(tx.receiveAck()).toBe(true);
    vi.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(3);
    expect(tx.state).toBe("terminated");
  });

  it("R29: after a final answer, a late provisional or a second final is not sent; a 2xx ACK is not absorbed", () => {
    const { tx, sent } = server(true);
    tx.respond(makeResponse(req(), 200, "OK", "t"));
    expect(tx.respond(makeResponse(req(), 180, "Ringing", "t"))).toBe(false);
    expect(tx.respond(makeResponse(req(), 486, "Busy", "t"))).toBe(false);
    expect(tx.respond(makeResponse(req(), 200, "OK", "t"))).toBe(true);
    expect(tx.receiveAck()).toBe(false);
    expect(sent).toHaveLength(2);
    expect(tx.finalStatus).toBe(200);
  });
});
