/**
 * When the proxy ends calls itself (issues 16.3, 16.4, 16.8), through a stand-in
 * core and fake timers: a refused BYE keeps the call until the proxy's own BYE is
 * answered, an ignored one (Timer F: 408) ends it, the proxy's BYEs follow the
 * route set, and a transferor's BYE waits for the final NOTIFY.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { header, headers, parseSip, type SipRequest } from "../sip/message";
import type { Call } from "./calls";
import type { ProxyCore } from "./core";
import { Hangups } from "./hangups";

function call(): Call {
  return {
    callId: "c1",
    tenant: "demo",
    a: {
      peer: { kind: "ws", connId: "c1" },
      user: null,
      number: "2001",
      party: "<sip:2001@pbx>;tag=a",
      contact: "sip:x@b.invalid",
      cseq: 2,
    },
    b: {
      peer: { kind: "net", transport: "udp", host: "10.0.0.5", port: 5060 },
      user: null,
      number: "3000",
      party: "<sip:3000@pbx>;tag=b",
      contact: "sip:3000@10.0.0.9:5062",
      cseq: 1,
      routes: ["<sip:10.0.0.5;lr;ftag=a>"],
    },
    startedAt: 0,
    answeredAt: 1,
    endedAt: null,
    endReason: null,
  };
}

function stand(answers: number[]) {
  const sent: SipRequest[] = [];
  const replies: number[] = [];
  const finished: string[] = [];
  const core: ProxyCore = {
    send: (req) => {
      sent.push(req);
      return Promise.resolve(answers.shift() ?? 200);
    },
    via: () => "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKx",
    reachable: () => true,
    reply: (_to, _req, status) => void replies.push(status),
    finish: (c, reason) => {
      if (c.endedAt === null) finished.push(reason);
      c.endedAt ??= 9;
    },
    log: () => undefined,
  };
  return { sent, replies, finished, hangups: new Hangups(core, { teardownMs: 1000, abandon: () => undefined }) };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("hang-ups", () => {
  it("issue 16.3: a BYE the PBX refuses keeps the call until the proxy's own BYE, along the route set, is answered", async () => {
    const { sent, finished, hangups } = stand([500, 200]);
    const c = call();
    c.ending = { reason: "caller-hangup" };
    hangups.byeAnswered(c, c.a.peer, 500);
    expect(finished).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.uri).toBe("sip:3000@10.0.0.9:5062");
    expect(headers(sent[0]!, "Route")).toEqual(["<sip:10.0.0.5;lr;ftag=a>"]);
    expect(header(sent[0]!, "CSeq")).toBe("3 BYE");
    expect(finished).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toHaveLength(2);
    expect(header(sent[1]!, "CSeq")).toBe("4 BYE");
    expect(finished).toEqual(["caller-hangup"]);
  });

  it("issue 16.3: a BYE nobody answers (Timer F's 408) ends the call; one refused three times ends it too", async () => {
    const ignored = stand([408]);
    const c = call();
    ignored.hangups.teardown(c, c.a, c.b, "connection-lost");
    await vi.advanceTimersByTimeAsync(0);
    expect(ignored.finished).toEqual(["connection-lost"]);
    const stubborn = stand([500, 500, 500]);
    const d = call();
    stubborn.hangups.teardown(d, d.a, d.b, "connection-lost");
    await vi.advanceTimersByTimeAsync(5000);
    expect(stubborn.sent).toHaveLength(3);
    expect(stubborn.finished).toEqual(["connection-lost"]);
  });

  it("issue 16.4: a strict router in the route set becomes the Request-URI, the target goes last", async () => {
    const { sent, hangups } = stand([200]);
    const c = call();
    c.b.routes = ["<sip:10.0.0.5>", "<sip:10.0.0.6;lr>"];
    hangups.teardown(c, c.a, c.b, "connection-lost");
    await vi.advanceTimersByTimeAsync(0);
    expect(sent[0]!.uri).toBe("sip:10.0.0.5");
    expect(headers(sent[0]!, "Route")).toEqual(["<sip:10.0.0.6;lr>", "<sip:3000@10.0.0.9:5062>"]);
  });

  it("issue 16.8: the transferor's BYE is answered and held until the final NOTIFY, then sent", async () => {
    const { sent, replies, finished, hangups } = stand([200]);
    const c = call();
    c.transfer = { by: c.a, byeHeld: false, done: false };
    const req = (text: string) => {
      const r = parseSip(text);
      if (!r.ok || r.message.kind !== "request") throw new Error("fixture");
      return r.message;
    };
    const bye = req(
      "BYE sip:3000@10.0.0.9 SIP/2.0\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bK1\r\nFrom: <sip:2001@pbx>;tag=a\r\nTo: <sip:3000@pbx>;tag=b\r\nCall-ID: c1\r\nCSeq: 3 BYE\r\nContent-Length: 0\r\n\r\n",
    );
    const notify = (frag: string) =>
      req(
        `NOTIFY sip:x@b.invalid SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK2\r\nFrom: <sip:3000@pbx>;tag=b\r\nTo: <sip:2001@pbx>;tag=a\r\nCall-ID: c1\r\nCSeq: 5 NOTIFY\r\nEvent: refer\r\nContent-Type: message/sipfrag\r\nContent-Length: ${frag.length}\r\n\r\n${frag}`,
      );
    expect(hangups.transferRule(c, c.a, c.b, bye, "caller-hangup")).toBe(true);
    expect(replies).toEqual([200]);
    expect(sent).toEqual([]);
    expect(hangups.transferRule(c, c.b, c.a, notify("SIP/2.0 100 Trying"), "callee-hangup")).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([]);
    expect(hangups.transferRule(c, c.b, c.a, notify("SIP/2.0 200 OK"), "callee-hangup")).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((r) => r.method)).toEqual(["BYE"]);
    expect(finished).toEqual(["caller-hangup"]);
  });
});
