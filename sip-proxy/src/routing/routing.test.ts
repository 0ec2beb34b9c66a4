/**
 * Routing rules without sockets: identity binding (R2, R29), abuse limits, the
 * registrar's bindings and the call record a finished call yields.
 */
import { describe, expect, it } from "vitest";
import { header, parseSip, type SipRequest } from "../sip/message";
import { originRefusal, registerRefusal } from "./identity";
import { AttemptLog, dialRefusal } from "./policy";
import { DEFAULT_EXTENSION_PATTERN } from "./dial-plan";
import { Locations } from "./locations";
import { RegisterBook } from "./register";
import { CallTable, type Call } from "./calls";

const register = (from: string, to: string, contact = "<sip:k3@abc.invalid;transport=ws>;expires=300") => {
  const r = parseSip(
    [
      "REGISTER sip:conversas.invalid SIP/2.0",
      "Via: SIP/2.0/WS abc.invalid;branch=z9hG4bK1",
      `From: <sip:${from}@conversas.invalid>;tag=a`,
      `To: <sip:${to}@conversas.invalid>`,
      "Call-ID: r1",
      "CSeq: 1 REGISTER",
      `Contact: ${contact}`,
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n"),
  );
  return (r.ok && r.message) as SipRequest;
};

const ana = { tenant: "demo", userId: "ana", extension: "2001" };
const rafael = { tenant: "demo", userId: "rafael", extension: null };

describe("identity binding", () => {
  it("R29: a REGISTER or call must claim the caller's own extension", () => {
    expect(registerRefusal(ana, register("2001", "2001"))).toBe(null);
    expect(registerRefusal(ana, register("2001", "2002"))?.status).toBe(403);
    expect(registerRefusal(ana, register("2002", "2001"))?.status).toBe(403);
    expect(originRefusal(ana, register("2002", "2002"))?.status).toBe(403);
  });

  it("R2: a user without an extension can neither register nor call", () => {
    expect(registerRefusal(rafael, register("2001", "2001"))?.reason).toMatch(/no extension/);
    expect(originRefusal(rafael, register("2001", "2001"))?.status).toBe(403);
  });
});

describe("call policy", () => {
  const rules = {
    maxConcurrentCalls: 1,
    maxAttemptsPerMinute: 2,
    dialPattern: /^[0-9]{3,6}$/,
    dialPlan: { extension: DEFAULT_EXTENSION_PATTERN, areaCode: null },
  };

  it("R29: only numbers matching the dial pattern (digits, +, *, #) may be dialled", () => {
    expect(dialRefusal(rules, "2002", 0, 0)).toBe(null);
    expect(dialRefusal(rules, "00800123456789", 0, 0)?.status).toBe(403);
    expect(dialRefusal(rules, "ana", 0, 0)?.status).toBe(484);
    expect(dialRefusal(rules, "20a2", 0, 0)?.status).toBe(484);
    expect(dialRefusal(rules, null, 0, 0)?.status).toBe(484);
  });

  it("issue 16.1: with a trunk, the user's class of service decides; a number we do not know is 484", () => {
    const open = { ...rules, dialPattern: /^[0-9+*#]{2,20}$/ };
    expect(dialRefusal(open, "2002", 0, 0, "internal")).toBe(null);
    expect(dialRefusal(open, "32104567", 0, 0, "internal")).toMatchObject({
      status: 403,
      reason: "Forbidden (number not allowed)",
      needs: "local",
    });
    expect(dialRefusal(open, "32104567", 0, 0, "local")).toBe(null);
    expect(dialRefusal(open, "09001234567", 0, 0, "national")?.status).toBe(403);
    expect(dialRefusal(open, "09001234567", 0, 0, "international")).toBe(null);
    expect(dialRefusal(open, "123456", 0, 0, "international")?.status).toBe(484);
  });

  it("R29: concurrent calls and attempts per minute are capped per user", () => {
    expect(dialRefusal(rules, "2002", 1, 0)?.status).toBe(486);
    expect(dialRefusal(rules, "2002", 0, 2)?.reason).toMatch(/too many call attempts/);
    const log = new AttemptLog();
    log.note("demo/ana", 0);
    log.note("demo/ana", 1000);
    expect(log.recent("demo/ana", 2000)).toBe(2);
    expect(log.recent("demo/bruno", 2000)).toBe(0);
    expect(log.recent("demo/ana", 60_500)).toBe(1);
    expect(log.recent("demo/ana", 61_001)).toBe(0);
  });
});

describe("registrar", () => {
  it("R29: binds the extension to the socket, answers with the binding, and forgets it with the socket", () => {
    const loc = new Locations();
    const book = new RegisterBook(loc);
    const res = book.apply("c1", ana, register("2001", "2001"), 0);
    expect(res.status).toBe(200);
    expect(header(res, "Contact")).toBe("<sip:k3@abc.invalid;transport=ws>;expires=300");
    expect(loc.lookup("demo", "2001", 1000)).toMatchObject({ connId: "c1", contact: "sip:k3@abc.invalid;transport=ws" });
    expect(loc.lookup("other", "2001", 1000)).toBe(null);
    expect(loc.lookup("demo", "2001", 301_000)).toBe(null);
    book.apply("c1", ana, register("2001", "2001"), 0);
    loc.dropConnection("c1");
    expect(loc.lookup("demo", "2001", 1000)).toBe(null);
  });

  it("R29: expires=0 removes the binding; an alias resolves back to the browser's URI on its socket only", () => {
    const loc = new Locations();
    const book = new RegisterBook(loc);
    book.apply("c1", ana, register("2001", "2001"), 0);
    book.apply("c1", ana, register("2001", "2001", "<sip:k3@abc.invalid;transport=ws>;expires=0"), 0);
    expect(loc.lookup("demo", "2001", 1)).toBe(null);
    const a = loc.aliasFor("c1", "sip:k3@abc.invalid;transport=ws");
    expect(loc.aliasFor("c1", "sip:k3@abc.invalid;transport=ws")).toBe(a);
    expect(loc.resolveAlias(a)).toEqual({ connId: "c1", uri: "sip:k3@abc.invalid;transport=ws" });
    loc.dropConnection("c1");
    expect(loc.resolveAlias(a)).toBe(null);
  });
});

describe("call records", () => {
  it("R27: a finished call yields one record naming both sides, with each platform user's direction", () => {
    const table = new CallTable();
    const call: Call = {
      callId: "x1",
      tenant: "demo",
      a: { peer: { kind: "ws", connId: "c1" }, user: ana, number: "2001", party: "", contact: null, cseq: 1 },
      b: {
        peer: { kind: "net", transport: "udp", host: "10.0.0.5", port: 5060 },
        user: null,
        number: "+5511999",
        party: "",
        contact: null,
        cseq: 0,
      },
      startedAt: 1000,
      answeredAt: null,
      endedAt: null,
      endReason: null,
    };
    table.add(call);
    expect(table.activeFor("demo", "ana")).toBe(1);
    const rec = table.end(call, "no-answer", 5000);
    expect(rec).toEqual({
      callId: "x1",
      tenant: "demo",
      caller: { userId: "ana", number: "2001" },
      callee: { userId: null, number: "+5511999" },
      parties: [{ userId: "ana", direction: "outbound" }],
      answered: false,
      startedAt: 1000,
      answeredAt: null,
      endedAt: 5000,
      endReason: "no-answer",
    });
    expect(table.end(call, "failed", 6000)).toBe(null);
    expect(table.activeFor("demo", "ana")).toBe(0);
  });
});
