/**
 * What a telecom admin needs before putting the proxy in front of a real trunk
 * (issue 16), each finding tried against sipp playing the PBX on 127.0.0.1 with
 * sip.js user agents as the browsers: toll fraud, caller identity, calls that end
 * only when the PBX says so, rate limits, and PBX compatibility. sipp's message
 * log (`-trace_msg`) is the trunk's own record of what reached it.
 */
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { freePort } from "../../tools/dev/process.mjs";
import type { TestServer } from "../support/server";
import { DEMO_TENANT } from "../../scripts/seed.mjs";
import { http } from "../support/clients";
import { phone, sipp, waitFor, startProxy, until, DOMAIN, Inviter, SessionState, UserAgent, passed } from "./support";
import { startPlatform, stopsAfter, stopAfterAll, pbxEnv, secretsFile } from "./support";
import type { Phone, Platform, RunningProxy, Sipp } from "./support";

let platform: Platform;
let server: TestServer;
let proxy: RunningProxy;
let pbxPort: number;
let dir: string;
let secrets: string;
/** The proxy's settings in front of sipp, the trunk on the PBX port, with the extensions' secrets. */
const trunkEnv = (more: Record<string, string> = {}) =>
  pbxEnv(platform, `udp:127.0.0.1:${pbxPort}`, { SIP_SECRETS_FILE: secrets, ...more });
const { phones, peers } = stopsAfter(() => [proxy, platform]);

/** Sets a demo user's class of service through the admin API, as an admin would. */
async function setCallClass(user: string, callClass: string): Promise<void> {
  const url = `${server.base}/api/tenants/${DEMO_TENANT}/users/${user}`;
  const auth = { authorization: `Bearer ${server.adminKey}` };
  const current = (await http(url, { headers: auth })).body;
  const put = await http(url, {
    method: "PUT",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ ...current, callClass }),
  });
  if (put.status !== 200) throw new Error(`PUT ${user}: ${put.status} ${put.text}`);
  expect(put.body.callClass).toBe(callClass);
}

async function signedIn(user: string, ext: string, p = proxy): Promise<Phone> {
  const ph = await phone(p.wsPort, platform.tickets(user, p.wsPort), ext);
  phones.push(ph);
  return ph;
}

/** sipp as the trunk on the PBX port, writing every message it sees to a log the test reads back. */
function trunk(args: string[], calls = 1): { run: Sipp; messages(): string } {
  const file = join(dir, `trunk-${Date.now()}-${peers.length}.log`);
  const run = sipp([...args, "-p", String(pbxPort), "-trace_msg", "-message_file", file], { calls });
  peers.push(run);
  return { run, messages: () => (existsSync(file) ? readFileSync(file, "utf8") : "") };
}

/**
 * Waits until `p` has recorded the call: its BYE was answered, so no retransmission of it can reach
 * the next test's sipp on the same PBX port.
 */
function over(p: RunningProxy, callId: string) {
  return waitFor(`the record of ${callId}`, () => p.records().find((r) => r.callId === callId));
}

/** The browser hangs up: sipp's scenario passes and `p` records the call (no retransmitted BYE can reach the next test). */
async function hangUp(inviter: Inviter, run: Sipp, p: RunningProxy): Promise<void> {
  await inviter.bye();
  await passed(run);
  await over(p, inviter.request.callId);
}

/** The requests of one method the trunk received, as text (sipp logs each message between dashed lines). */
function received(messages: string, method: string): string[] {
  return messages
    .split(/^-{10,}.*$/m)
    .map((block) => block.replace(/^[\s\S]*?message received \[\d+\] bytes :\s*/, ""))
    .filter((m) => m.startsWith(`${method} `));
}

/**
 * The final answer to an INVITE, as "status reason", once the call is over ("" when it was answered).
 * A call that was answered is over when the proxy has recorded it (the PBX answered the BYE).
 */
async function outcome(inviter: Inviter, whileUp?: () => Promise<void>): Promise<string> {
  let answer = "";
  await inviter.invite({ requestDelegate: { onReject: (r) => (answer = `${r.message.statusCode} ${r.message.reasonPhrase}`) } });
  if (whileUp) {
    await until(inviter, SessionState.Established);
    await whileUp();
    await waitFor("the call's record", () => proxy.records().some((r) => r.callId === inviter.request.callId));
  }
  await until(inviter, SessionState.Terminated);
  return answer;
}

beforeAll(async () => {
  platform = await startPlatform(["ana", "bruno"]);
  server = platform.server;
  await setCallClass("ana", "national");
  pbxPort = await freePort();
  ({ dir, file: secrets } = secretsFile("sip-trunk-", { "2001": "segredo-2001", "2002": "segredo-2002" }));
  proxy = await startProxy(
    trunkEnv({ SIP_AREA_CODE: "11", SIP_PBX_DOMAIN: "pbx.empresa.test", SIP_MAX_CONCURRENT_CALLS: "1", SIP_TEARDOWN_SECONDS: "1" }),
  );
});

describe("issue 16.1: toll fraud", () => {
  it("issue 16.1: numbers beyond a national user's class (0900, 0500, 00…, +44, forwarding codes) get 403 and never reach the trunk", async () => {
    const allowed = ["2002", "32104567", "08001234567", "2133334444", "0152133334444"];
    const refused = ["09001234567", "05001234567", "0021441632960960", "+441632960960", "*72987654321"];
    const pbx = trunk(["-sf", "uas.xml"], allowed.length);
    const ana = await signedIn("ana", "2001");
    for (const n of refused) expect(await outcome(ana.call(n)), n).toBe("403 Forbidden (number not allowed)");
    expect(await outcome(ana.call("123456"))).toBe("484 Address Incomplete (unknown number)");
    for (const n of allowed) {
      const inviter = ana.call(n);
      expect(await outcome(inviter, () => inviter.bye().then(() => undefined)), n).toBe("");
    }
    await passed(pbx.run);
    // Every INVITE the trunk saw (a UDP retransmission counts once): the allowed numbers, nothing else.
    const invites = [...pbx.messages().matchAll(/^INVITE sip:([^@\s]+)@/gm)].map((m) => m[1]);
    expect([...new Set(invites)]).toEqual(allowed);
  });

  it("issue 16.1: a user whose class was never set calls extensions only", async () => {
    const pbx = trunk(["-sf", "uas.xml"]);
    const bruno = await signedIn("bruno", "2002");
    expect(await outcome(bruno.call("32104567"))).toBe("403 Forbidden (number not allowed)");
    const inviter = bruno.call("2001");
    expect(await outcome(inviter, () => inviter.bye().then(() => undefined))).toBe("");
    expect((await pbx.run.exit).code).toBe(0);
    expect([...pbx.messages().matchAll(/^INVITE sip:([^@\s]+)@/gm)].map((m) => m[1])).not.toContain("32104567");
  });
});

describe("issue 16.2: caller identity", () => {
  it("issue 16.2: a spoofed P-Asserted-Identity from a browser never reaches the far end; the proxy asserts the extension and the user's name", async () => {
    const pbx = trunk(["-sf", "uas.xml"]);
    const ana = await signedIn("ana", "2001");
    const spoofed = [
      'P-Asserted-Identity: "Diretoria" <sip:1000@pbx.empresa.test>',
      "P-Preferred-Identity: <sip:1000@pbx.empresa.test>",
      'Remote-Party-ID: "Diretoria" <sip:1000@pbx.empresa.test>;party=calling;screen=yes',
      "Diversion: <sip:1000@pbx.empresa.test>;reason=unconditional",
      "History-Info: <sip:1000@pbx.empresa.test>;index=1",
    ];
    const inviter = new Inviter(ana.ua, UserAgent.makeURI(`sip:3000@${DOMAIN}`)!, { extraHeaders: spoofed });
    expect(await outcome(inviter, () => inviter.bye().then(() => undefined))).toBe("");
    expect((await pbx.run.exit).code).toBe(0);
    const [invite] = received(pbx.messages(), "INVITE");
    expect(invite).toBeDefined();
    expect(invite).not.toMatch(/P-Preferred-Identity|Remote-Party-ID|Diversion|History-Info|1000@/i);
    expect(invite).toMatch(/^P-Asserted-Identity: "Ana Souza" <sip:2001@pbx\.empresa\.test>\r?$/m);
    expect(invite).toMatch(/^From: "Ana Souza" <sip:2001@pbx\.empresa\.test>;tag=/m);
    expect(invite).toMatch(/^To: <sip:3000@pbx\.empresa\.test>\r?$/m);
    // And what the browser saw back is what it sent: its own From and To.
    expect(inviter.request.from.uri.host).toBe(DOMAIN);
    const [bye] = received(pbx.messages(), "BYE");
    expect(bye, bye).not.toMatch(/^P-Asserted-Identity:|^(From|To):.*\.invalid/m);
  });
});

describe("issue 16.3: a call is over when the PBX says so", () => {
  it("issue 16.3: a BYE the PBX rejects leaves the call counted until it is really over; the proxy hangs up itself and records it once", async () => {
    const pbx = trunk(["-sf", "bye-reject.xml"]);
    const ana = await signedIn("ana", "2001");
    const inviter = ana.call("3000");
    await inviter.invite();
    await until(inviter, SessionState.Established);
    const callId = inviter.request.callId;
    await inviter.bye();
    await until(inviter, SessionState.Terminated);
    // The PBX still holds the call: it counts against the one call ana may have.
    expect(await outcome(ana.call("3001"))).toBe("486 Busy Here (too many calls)");
    expect(proxy.records().filter((r) => r.callId === callId)).toEqual([]);
    // sipp exits 0 only once the proxy's own BYE came and was answered.
    await passed(pbx.run);
    const [record] = await waitFor("the call's record", () => {
      const found = proxy.records().filter((r) => r.callId === callId);
      return found.length ? found : null;
    });
    expect(record).toMatchObject({ answered: true, endReason: "caller-hangup" });
    const byes = received(pbx.messages(), "BYE");
    expect(byes.length).toBeGreaterThanOrEqual(2);
    expect(byes.at(-1)).toMatch(/^CSeq: 3 BYE/m);
    // Over now: the next call goes through.
    const next = trunk(["-sf", "uas.xml"]);
    const again = ana.call("3002");
    expect(await outcome(again, () => again.bye().then(() => undefined))).toBe("");
    expect((await next.run.exit).code).toBe(0);
  });
});

/** A raw browser socket (no sip.js): what an abusive script signed in as `user` would open. */
async function rawSocket(p: RunningProxy, user: string) {
  const ws = new WebSocket(await platform.tickets(user, p.wsPort)(), "sip");
  const frames: string[] = [];
  ws.on("message", (d) => frames.push(d.toString()));
  await new Promise((r) => ws.once("open", r));
  let n = 0;
  const request = (method: string, ext: string, extra = "") => {
    n++;
    ws.send(
      [
        `${method} sip:${method === "REGISTER" ? "" : `${ext}@`}${DOMAIN} SIP/2.0`,
        `Via: SIP/2.0/WS abuse.invalid;branch=z9hG4bKflood${n}x${Date.now()}`,
        "Max-Forwards: 70",
        `From: <sip:${ext}@${DOMAIN}>;tag=f${n}`,
        `To: <sip:${ext}@${DOMAIN}>`,
        `Call-ID: flood-${n}-${Date.now()}`,
        `CSeq: 1 ${method}`,
        `Contact: <sip:abuse@abuse.invalid;transport=ws>${extra}`,
        "Content-Length: 0",
        "",
        "",
      ].join("\r\n"),
    );
  };
  const statuses = () => frames.filter((f) => f.startsWith("SIP/2.0 ")).map((f) => Number(f.slice(8, 11)));
  return { ws, request, statuses, closed: new Promise<number>((r) => ws.once("close", (code) => r(code))) };
}

describe("issue 16.5: every request type is rate-limited", () => {
  let limited: RunningProxy;

  beforeAll(async () => {
    limited = await startProxy(
      trunkEnv({
        SIP_MAX_REGISTERS_PER_MINUTE: "5",
        SIP_MAX_OPTIONS_PER_MINUTE: "5",
        SIP_MAX_IN_DIALOG_PER_MINUTE: "5",
      }),
    );
  });

  stopAfterAll(() => [limited]);

  it("issue 16.5: a REGISTER flood from one socket is answered 503 by the proxy; the PBX sees only the user's budget", async () => {
    const pbx = trunk(["-sf", "register-ok.xml"], 5);
    const abuser = await rawSocket(limited, "ana");
    // Expires 0: nothing for the proxy to withdraw later, so no late REGISTER can reach the next test's PBX.
    for (let i = 0; i < 30; i++) abuser.request("REGISTER", "2001", ";expires=0");
    await waitFor("30 answers", () => abuser.statuses().length >= 30, 15_000);
    expect(abuser.statuses().filter((s) => s === 200)).toHaveLength(5);
    expect(abuser.statuses().filter((s) => s === 503)).toHaveLength(25);
    await passed(pbx.run);
    expect(received(pbx.messages(), "REGISTER")).toHaveLength(5);
    abuser.ws.close();
  });

  it("issue 16.5: OPTIONS are limited too, and a socket that keeps going over its limits is dropped", async () => {
    const abuser = await rawSocket(limited, "ana");
    for (let i = 0; i < 60; i++) abuser.request("OPTIONS", "2001");
    expect(await abuser.closed).toBe(1008);
    expect(abuser.statuses().filter((s) => s === 200)).toHaveLength(5);
    expect(abuser.statuses().filter((s) => s === 503).length).toBeGreaterThanOrEqual(50);
  });

  it("issue 16.5: requests inside a call are limited (INFO past the budget gets 503 and never reaches the PBX); the BYE always goes", async () => {
    const pbx = trunk(["-sf", "info-limit.xml"]);
    const ana = await signedIn("ana", "2001", limited);
    const inviter = ana.call("3000");
    await inviter.invite();
    await until(inviter, SessionState.Established);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push(
        await new Promise<number>((resolve) => {
          void inviter.info({
            requestDelegate: { onAccept: (r) => resolve(r.message.statusCode ?? 0), onReject: (r) => resolve(r.message.statusCode ?? 0) },
            requestOptions: {
              body: { contentDisposition: "render", contentType: "application/dtmf-relay", content: `Signal=${i}\r\nDuration=160\r\n` },
            },
          });
        }),
      );
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 503, 503, 503]);
    await hangUp(inviter, pbx.run, limited);
  });

  it("issue 16.5: after repeated 401s from the PBX for one extension, its REGISTERs stop at the proxy for a while", async () => {
    const pbx = trunk(["-sf", "register-refused.xml"], 3);
    const bruno = await signedIn("bruno", "2002", limited);
    const answers: Array<number | null> = [];
    for (let i = 0; i < 5; i++) answers.push((await bruno.register()).status);
    expect(answers).toEqual([403, 403, 403, 403, 403]);
    await passed(pbx.run);
    // Three attempts reached the PBX (each with the proxy's answer to the challenge); the last two never left the proxy.
    expect(received(pbx.messages(), "REGISTER")).toHaveLength(6);
    // The proxy's log reaches us through a pipe: wait for its two lines rather than read it at once.
    await waitFor("two held-back REGISTERs logged", () => (limited.log().match(/held back REGISTER from demo\/2002/g) ?? []).length === 2);
  });
});

describe("issue 16.8: PBX compatibility (sipp as the PBX)", () => {
  let compat: RunningProxy;

  beforeAll(async () => {
    compat = await startProxy(trunkEnv({ SIP_PBX_DOMAIN: "pbx.empresa.test" }));
  });

  stopAfterAll(() => [compat]);

  /** A call from ana to the PBX (sipp running `scenario`), answered. */
  async function answered(scenario: string, calls = 1) {
    const pbx = trunk(["-sf", scenario], calls);
    const ana = await signedIn("ana", "2001", compat);
    const inviter = ana.call("3000");
    await inviter.invite();
    await until(inviter, SessionState.Established);
    return { pbx, ana, inviter };
  }

  it("issue 16.8: after a blind transfer the transferor keeps its leg until the final NOTIFY, even if the browser hangs up at once", async () => {
    const { pbx, inviter } = await answered("refer-notify.xml");
    const accepted = await new Promise<number>((resolve) => {
      void inviter.refer(UserAgent.makeURI(`sip:3005@${DOMAIN}`)!, {
        requestDelegate: { onAccept: (r) => resolve(r.message.statusCode ?? 0), onReject: (r) => resolve(r.message.statusCode ?? 0) },
      });
    });
    expect(accepted).toBe(202);
    // What the web does today: hang up as soon as the PBX took the transfer.
    await inviter.bye();
    await passed(pbx.run);
    const [refer] = received(pbx.messages(), "REFER");
    expect(refer).toMatch(/^Refer-To: <?sip:3005@pbx\.empresa\.test\b/m);
    expect(refer).toMatch(/^Referred-By: .*@pbx\.empresa\.test/m);
    const record = await waitFor("the call's record", () => compat.records().find((r) => r.callId === inviter.request.callId));
    expect(record).toMatchObject({ answered: true, endReason: "caller-hangup" });
  });

  it("issue 16.8: a PBX re-INVITE with a new identity (P-Asserted-Identity) reaches the browser so it can show the new party", async () => {
    const pbx = trunk(["-sf", "reinvite-identity.xml"]);
    const ana = await signedIn("ana", "2001", compat);
    const inviter = ana.call("3000");
    const identities: string[] = [];
    inviter.delegate = { onInvite: (request) => void identities.push(request.getHeader("P-Asserted-Identity") ?? "") };
    await inviter.invite();
    await until(inviter, SessionState.Established);
    await waitFor("the PBX's re-INVITE", () => identities.length > 0);
    expect(identities).toEqual(['"Joao Transferido" <sip:3010@pbx.empresa.test>']);
    await hangUp(inviter, pbx.run, compat);
  });

  it("issue 16.8: attended transfer: the REFER passes with a Refer-To naming the consulted call's PBX target and Replaces for its dialog", async () => {
    const pbx = trunk(["-sf", "attended.xml"], 2);
    const ana = await signedIn("ana", "2001", compat);
    const first = ana.call("3000");
    await first.invite();
    await until(first, SessionState.Established);
    const consult = ana.call("3001");
    await consult.invite();
    await until(consult, SessionState.Established);
    const accepted = await new Promise<number>((resolve) => {
      void first.refer(consult, {
        requestDelegate: { onAccept: (r) => resolve(r.message.statusCode ?? 0), onReject: (r) => resolve(r.message.statusCode ?? 0) },
      });
    });
    expect(accepted).toBe(202);
    await consult.bye();
    await first.bye();
    await passed(pbx.run);
    await over(compat, consult.request.callId);
    await over(compat, first.request.callId);
    const [refer] = received(pbx.messages(), "REFER");
    const referTo = /^Refer-To: (.*)$/m.exec(refer!)?.[1] ?? "";
    expect(referTo).toMatch(/<sip:3000@127\.0\.0\.1:\d+;transport=udp\?Replaces=/);
    expect(decodeURIComponent(referTo)).toContain(`Replaces=${consult.request.callId};to-tag=`);
  });

  it("issue 16.8: session timers: a PBX requiring them reaches the browser, becomes the refresher, and a call it stops refreshing ends", async () => {
    // The registrar also takes the withdrawal when the socket closes, so none is left to reach another test's PBX.
    const registrar = trunk(["-sf", "register-unregister.xml"]);
    const ana = await signedIn("ana", "2001", compat);
    expect((await ana.register()).status).toBe(200);
    const uac = sipp(["-sf", "timer-uac.xml", `127.0.0.1:${compat.sipPort}`, "-s", "2001", "-p", String(await freePort())]);
    peers.push(uac);
    const inv = await ana.nextInvitation();
    expect(inv.request.getHeader("Require") ?? "").not.toMatch(/timer/);
    await inv.accept();
    await until(inv, SessionState.Established);
    // Nobody refreshes the 2-second session: the proxy hangs up both legs.
    await until(inv, SessionState.Terminated, 10_000);
    await passed(uac);
    const record = await waitFor("the call's record", () => compat.records().find((r) => r.callId === inv.request.callId));
    expect(record).toMatchObject({ answered: true, endReason: "connection-lost" });
    await ana.ua.transport.disconnect();
    expect((await registrar.run.exit).code).toBe(0);
  });
});
