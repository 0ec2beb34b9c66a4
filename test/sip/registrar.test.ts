/**
 * The sip-proxy with no PBX (`npm start`'s mode): it is the registrar and routes
 * calls between the browsers signed in to the platform (R2, R29). The real
 * platform (wrangler dev) gives one-time SIP tickets and stores call records;
 * the real proxy process; sip.js user agents.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { TestServer } from "../support/server";
import { DEMO_TENANT, DEMO_PASSWORD } from "../../scripts/seed.mjs";
import { http, login, openHub } from "../support/clients";
import { issueServiceToken, SERVICE_HEADER } from "../../party/domain/session";
import {
  historyEntry,
  startPlatform,
  type Platform,
  phone,
  startProxy,
  until,
  waitFor,
  sdp,
  SessionState,
  RegistererState,
  DOMAIN,
  Inviter,
  UserAgent,
  type Phone,
  type RunningProxy,
} from "./support";

let platform: Platform;
let server: TestServer;
let proxy: RunningProxy;
let tokens: Record<string, string>;
const phones: Phone[] = [];

async function signedIn(user: string, ext: string): Promise<Phone> {
  const p = await phone(proxy.wsPort, platform.tickets(user, proxy.wsPort), ext);
  phones.push(p);
  return p;
}

beforeAll(async () => {
  platform = await startPlatform();
  ({ server, tokens } = platform);
  // Call records go to the real rooms: CALL_RECORDS_URL defaults to the platform's endpoint.
  proxy = await startProxy({ ...platform.proxyEnv, SIP_SESSION_CHECK_SECONDS: "1" });
});

afterAll(async () => {
  for (const p of phones) await p.stop();
  if (process.env.SIP_DEBUG) console.log(proxy?.log());
  await proxy?.stop();
  await platform?.stop();
});

/** What `user`'s own room now lists for this call (a real calls.fetch on their user-room socket). */
function entryOf(user: string, callId: string) {
  return historyEntry(server.wsBase, DEMO_TENANT, user, tokens[user]!, callId);
}

/** Phones signed in as each user with the given extension, all registered. */
async function registered(...who: [user: string, ext: string][]): Promise<Phone[]> {
  const phones = await Promise.all(who.map(([user, ext]) => signedIn(user, ext)));
  for (const p of phones) await p.register();
  return phones;
}

/** Sends the INVITE and waits for the call to end; the final refusal's "status reason", or "" when there was none. */
async function refusal(inviter: Inviter, onInvite?: () => Promise<void>): Promise<string> {
  let answer = "";
  await inviter.invite({ requestDelegate: { onReject: (r) => (answer = `${r.message.statusCode} ${r.message.reasonPhrase}`) } });
  await onInvite?.();
  await until(inviter, SessionState.Terminated);
  return answer;
}

/** Two registered phones in an answered call from ana (2001) to bruno (2002). */
async function answeredCall() {
  const [ana, bruno] = (await registered(["ana", "2001"], ["bruno", "2002"])) as [Phone, Phone];
  const inviter = ana.call("2002");
  await inviter.invite();
  const inv = await bruno.nextInvitation();
  await inv.accept();
  await until(inviter, SessionState.Established);
  await until(inv, SessionState.Established);
  return { ana, bruno, inviter, inv };
}

function upgradeStatus(url: string, protocol = "sip"): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocol);
    ws.on("open", () => {
      ws.close();
      resolve(101);
    });
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("error", () => resolve(-1));
  });
}

describe("sip-proxy as registrar", () => {
  it("issue 12.1: the WebSocket upgrade needs a one-time ticket and subprotocol sip; the session token is never accepted", async () => {
    const base = `ws://127.0.0.1:${proxy.wsPort}/`;
    const ticket = platform.tickets("ana", proxy.wsPort);
    expect(await upgradeStatus(base)).toBe(401);
    expect(await upgradeStatus(`${base}?token=${tokens.ana}`)).toBe(401);
    expect(await upgradeStatus(`${base}?ticket=${tokens.ana}`)).toBe(401);
    expect(await upgradeStatus(`${base}?ticket=demo.ana.forgedforgedforgedforged`)).toBe(401);
    expect(await upgradeStatus(await ticket(), "chat")).toBe(400);
    const once = await ticket();
    expect(await upgradeStatus(once)).toBe(101);
    // Redeemed once: a captured address is worth nothing.
    expect(await upgradeStatus(once)).toBe(401);
  });

  it("issue 12.3: 'Sair' ends the softphone too: the proxy closes the socket of an ended session (4001)", async () => {
    const session = (await login(server.base, DEMO_TENANT, "carla", DEMO_PASSWORD)).body.token as string;
    const res = await http(`${server.base}/api/tenants/${DEMO_TENANT}/sip/ticket`, {
      method: "POST",
      headers: { authorization: `Bearer ${session}` },
    });
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.wsPort}/?ticket=${res.body.ticket}`, "sip");
    await new Promise((r, j) => (ws.once("open", r), ws.once("error", j)));
    const closed = new Promise<number>((r) => ws.once("close", (code) => r(code)));
    await http(`${server.base}/api/session/logout`, { method: "POST", headers: { authorization: `Bearer ${session}` } });
    expect(await closed).toBe(4001);
  });

  it("R29: a user registers their own extension", async () => {
    const ana = await signedIn("ana", "2001");
    expect(await ana.register()).toEqual({ state: RegistererState.Registered, status: 200 });
  });

  it("R29: registering as another user's extension is refused with 403", async () => {
    const spoof = await signedIn("carla", "2002");
    expect(await spoof.register()).toEqual({ state: RegistererState.Unregistered, status: 403 });
  });

  it("R2: a user without an extension cannot register at all", async () => {
    const rafael = await signedIn("rafael", "2099");
    expect(await rafael.register()).toEqual({ state: RegistererState.Unregistered, status: 403 });
  });

  it("R29: calling from another user's extension is refused with 403", async () => {
    const spoof = await signedIn("carla", "2001");
    const inviter = spoof.call("2002");
    expect(await refusal(inviter)).toMatch(/^403 /);
  });

  it("R29: A calls B through the proxy; B rings, answers, SDP passes unchanged, then A hangs up; the record says answered", async () => {
    const [ana, bruno] = (await registered(["ana", "2001"], ["bruno", "2002"])) as [Phone, Phone];
    const inviter = ana.call("2002");
    let ringing = false;
    await inviter.invite({ requestDelegate: { onProgress: (r) => (ringing ||= r.message.statusCode === 180) } });
    const inv = await bruno.nextInvitation();
    expect(inv.remoteIdentity.uri.user).toBe("2001");
    inv.progress();
    await waitFor("180 Ringing at A", () => ringing);
    await inv.accept();
    await until(inviter, SessionState.Established);
    expect(bruno.media.remote[0]).toBe(sdp("ext-2001"));
    expect(ana.media.remote[0]).toBe(sdp("ext-2002"));
    await inviter.bye();
    await until(inv, SessionState.Terminated);
    expect(await entryOf("ana", inviter.request.callId)).toMatchObject({
      direction: "outbound",
      status: "initiated",
      answered: true,
      other: { userId: "bruno", number: "2002" },
      endReason: "caller-hangup",
    });
    const b = await entryOf("bruno", inviter.request.callId);
    expect(b).toMatchObject({ direction: "inbound", status: "answered", other: { userId: "ana", number: "2001" } });
    expect(b.endedAt).toBeGreaterThanOrEqual(b.startedAt);
  });

  it("R29: the callee can hang up too (BYE from B reaches A)", async () => {
    const { inviter, inv } = await answeredCall();
    await inv.bye();
    await until(inviter, SessionState.Terminated);
    expect((await entryOf("ana", inviter.request.callId)).endReason).toBe("callee-hangup");
  });

  it("R29: B rejects with 486 and A sees 486; the record says busy, not answered", async () => {
    const [ana, bruno] = (await registered(["ana", "2001"], ["bruno", "2002"])) as [Phone, Phone];
    const inviter = ana.call("2002");
    expect(await refusal(inviter, async () => (await bruno.nextInvitation()).reject({ statusCode: 486 }))).toMatch(/^486 /);
    expect(await entryOf("ana", inviter.request.callId)).toMatchObject({ status: "initiated", answered: false, endReason: "busy" });
    expect(await entryOf("bruno", inviter.request.callId)).toMatchObject({ status: "missed", answered: false, durationMs: 0 });
  });

  it("R29: A cancels while B rings; B's invitation ends and the record says cancelled", async () => {
    const [ana, bruno] = (await registered(["ana", "2001"], ["bruno", "2002"])) as [Phone, Phone];
    const inviter = ana.call("2002");
    let ringing = false;
    await inviter.invite({ requestDelegate: { onProgress: (r) => (ringing ||= r.message.statusCode === 180) } });
    const inv = await bruno.nextInvitation();
    inv.progress();
    await waitFor("ringing", () => ringing);
    await inviter.cancel();
    await until(inv, SessionState.Terminated);
    await until(inviter, SessionState.Terminated);
    expect(await entryOf("bruno", inviter.request.callId)).toMatchObject({ status: "missed", endReason: "cancelled" });
    expect(await entryOf("ana", inviter.request.callId)).toMatchObject({ status: "initiated", answered: false, endReason: "cancelled" });
  });

  it("R29: calling an extension nobody registered gets 480", async () => {
    const ana = await signedIn("ana", "2001");
    const inviter = ana.call("2005");
    expect(await refusal(inviter)).toMatch(/^480 /);
    // The attempt is in the caller's history, not answered (R27, R28).
    expect(await entryOf("ana", inviter.request.callId)).toMatchObject({
      status: "initiated",
      answered: false,
      endReason: "no-answer",
      other: { userId: null, number: "2005" },
    });
  });

  it("R29: calling a colleague already in as many calls as allowed gets 486; both histories show the attempt", async () => {
    const [ana, bruno, carla, joao] = (await registered(["ana", "2001"], ["bruno", "2002"], ["carla", "2003"], ["joao", "2004"])) as [
      Phone,
      Phone,
      Phone,
      Phone,
    ];
    const live: Inviter[] = [];
    for (const caller of [ana, carla]) {
      const inviter = caller.call("2002");
      await inviter.invite();
      await (await bruno.nextInvitation()).accept();
      await until(inviter, SessionState.Established);
      live.push(inviter);
    }
    const inviter = joao.call("2002");
    expect(await refusal(inviter)).toBe("486 Busy Here");
    const callId = inviter.request.callId;
    expect(await entryOf("joao", callId)).toMatchObject({ status: "initiated", answered: false, endReason: "busy" });
    expect(await entryOf("bruno", callId)).toMatchObject({
      status: "missed",
      answered: false,
      endReason: "busy",
      other: { userId: "joao" },
    });
    for (const i of live) await i.bye();
    for (const i of live) await until(i, SessionState.Terminated);
  });

  it("R29: garbage on the WebSocket gets 400 (or nothing) and the proxy keeps working", async () => {
    const ws = new WebSocket(await platform.tickets("ana", proxy.wsPort)(), "sip");
    const frames: string[] = [];
    ws.on("message", (d) => frames.push(d.toString()));
    await new Promise((r) => ws.once("open", r));
    ws.send("this is not sip\r\n\r\n");
    ws.send(
      "INVITE sip:2002@x SIP/2.0\r\nVia: SIP/2.0/WS h.invalid;branch=z9hG4bKbad1\r\nFrom: <sip:2001@x>;tag=1\r\nTo: <sip:2002@x>\r\nCall-ID: bad1\r\nCSeq: nonsense\r\nContent-Length: 0\r\n\r\n",
    );
    ws.send("\r\n\r\n");
    ws.send(
      "OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/WS h.invalid;branch=z9hG4bKok\r\nFrom: <sip:2001@x>;tag=2\r\nTo: <sip:x>\r\nCall-ID: ok1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
    );
    await waitFor("OPTIONS answered", () => frames.some((f) => f.startsWith("SIP/2.0 200") && f.includes("ok1")));
    expect(frames.filter((f) => f.startsWith("SIP/2.0 400"))).toHaveLength(1);
    expect(frames.find((f) => f.startsWith("SIP/2.0 400"))).toContain("Call-ID: bad1");
    expect(frames).toContain("\r\n");
    ws.close();
    const ana = await signedIn("ana", "2001");
    expect((await ana.register()).status).toBe(200);
  });

  it("R27: every open tab of the callee gets the new history entry live, with frequent contacts", async () => {
    const { client: tab } = await openHub(server.wsBase, DEMO_TENANT, tokens.bruno!);
    const { inviter, inv } = await answeredCall();
    await inv.bye();
    await until(inviter, SessionState.Terminated);
    const pushed = await tab.next((f) => f.type === "calls.updated" && f.entry.callId === inviter.request.callId, 15_000);
    expect(pushed.entry).toMatchObject({ direction: "inbound", status: "answered", endReason: "callee-hangup" });
    expect(pushed.frequent[0]).toMatchObject({ userId: "ana" });
    tab.ws.close();
  });

  it("R27: a retried report is stored once; the endpoint needs the service token and the user among the parties", async () => {
    const url = `${server.base}/api/tenants/${DEMO_TENANT}/users/joao/call-records`;
    const now = Date.now();
    const record = {
      callId: `retry-${now}@test`,
      tenant: DEMO_TENANT,
      caller: { userId: null, number: "+551130001234" },
      callee: { userId: "joao", number: "2004" },
      parties: [{ userId: "joao", direction: "inbound" }],
      answered: false,
      startedAt: now - 5000,
      answeredAt: null,
      endedAt: now,
      endReason: "no-answer",
    };
    const post = async (body: unknown, service = true) =>
      fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(service ? { [SERVICE_HEADER]: await issueServiceToken(server.secrets.CONVERSAS_SESSION_SECRET!) } : {}),
        },
        body: JSON.stringify(body),
      });
    expect((await post(record, false)).status).toBe(401);
    const first = await post(record);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ stored: true });
    expect(await (await post(record)).json()).toMatchObject({ stored: false });
    expect((await post({ ...record, callId: `other-${now}`, parties: [{ userId: "ana", direction: "inbound" }] })).status).toBe(400);
    expect(await entryOf("joao", record.callId)).toMatchObject({ status: "missed", other: { userId: null, number: "+551130001234" } });
  });

  it("R23, R24: hold and resume are re-INVITEs through the proxy; the other side sees a=sendonly, then a=sendrecv", async () => {
    const { ana, bruno, inviter, inv } = await answeredCall();
    const once = (direction: string) =>
      new Promise<number>((resolve) => {
        ana.media.local = sdp("ext-2001").replace("a=sendrecv", `a=${direction}`);
        void inviter.invite({
          requestDelegate: { onAccept: (r) => resolve(r.message.statusCode ?? 0), onReject: (r) => resolve(r.message.statusCode ?? 0) },
        });
      });
    // sip.js answers 500 + Retry-After to a re-INVITE that overtakes its handling of our ACK (RFC 3261 §14.2): retry, as a UAC should.
    const reinvite = async (direction: string) => {
      let status = await once(direction);
      for (let i = 0; status === 500 && i < 3; i++) {
        await new Promise((r) => setTimeout(r, 300));
        status = await once(direction);
      }
      return status;
    };
    expect(await reinvite("sendonly")).toBe(200);
    expect(bruno.media.remote.at(-1)).toContain("a=sendonly");
    expect(await reinvite("sendrecv")).toBe(200);
    expect(bruno.media.remote.at(-1)).toBe(sdp("ext-2001"));
    await inviter.bye();
    await until(inv, SessionState.Terminated);
    expect(await entryOf("ana", inviter.request.callId)).toMatchObject({ answered: true, endReason: "caller-hangup" });
  });

  it("R23, R24: blind transfer: ana's REFER reaches bruno with the target and ana gets his 202", async () => {
    const { inviter, inv } = await answeredCall();
    let referTo = "";
    inv.delegate = {
      onRefer: (referral) => {
        referTo = referral.referTo.uri.user ?? "";
        void referral.accept();
      },
    };
    const status = await new Promise<number>((resolve) => {
      void inviter.refer(UserAgent.makeURI(`sip:2003@${DOMAIN}`)!, {
        requestDelegate: { onAccept: (r) => resolve(r.message.statusCode ?? 0), onReject: (r) => resolve(r.message.statusCode ?? 0) },
      });
    });
    expect(status).toBe(202);
    expect(referTo).toBe("2003");
    await inv.bye();
    await until(inviter, SessionState.Terminated);
  });

  it("R23, R24: DTMF as INFO application/dtmf-relay passes through; SDP keeps telephone-event", async () => {
    const { bruno, inviter, inv } = await answeredCall();
    expect(bruno.media.remote[0]).toContain("a=rtpmap:101 telephone-event/8000");
    const got: string[] = [];
    inv.delegate = {
      onInfo: (info) => {
        got.push(`${info.request.getHeader("Content-Type")}|${info.request.body}`);
        void info.accept();
      },
    };
    const status = await new Promise<number>((resolve) => {
      void inviter.info({
        requestDelegate: { onAccept: (r) => resolve(r.message.statusCode ?? 0), onReject: (r) => resolve(r.message.statusCode ?? 0) },
        requestOptions: {
          body: { contentDisposition: "render", contentType: "application/dtmf-relay", content: "Signal=5\r\nDuration=160\r\n" },
        },
      });
    });
    expect(status).toBe(200);
    expect(got).toEqual(["application/dtmf-relay|Signal=5\r\nDuration=160\r\n"]);
    await inviter.bye();
    await until(inv, SessionState.Terminated);
  });

  it("R29: abuse limits: a third concurrent call is refused 486 with the reason, a number with letters 484", async () => {
    const [ana, bruno, carla] = (await registered(["ana", "2001"], ["bruno", "2002"], ["carla", "2003"])) as [Phone, Phone, Phone];
    const live: Inviter[] = [];
    for (const [target, callee] of [
      ["2002", bruno],
      ["2003", carla],
    ] as const) {
      const inviter = ana.call(target);
      await inviter.invite();
      await (await callee.nextInvitation()).accept();
      await until(inviter, SessionState.Established);
      live.push(inviter);
    }
    const refused = (target: string) => refusal(ana.call(target));
    expect(await refused("2004")).toBe("486 Busy Here (too many calls)");
    expect(await refused("20a4")).toBe("484 Address Incomplete (not a phone number)");
    for (const inviter of live) await inviter.bye();
    for (const inviter of live) await until(inviter, SessionState.Terminated);
  });
});

describe("sip-proxy call attempt limit", () => {
  let limited: RunningProxy;

  beforeAll(async () => {
    limited = await startProxy({ ...platform.proxyEnv, SIP_MAX_ATTEMPTS_PER_MINUTE: "2" });
  });

  afterAll(async () => {
    await limited?.stop();
  });

  it("R29: a user over the call attempts per minute is refused 403 with the reason, even to numbers that fail anyway", async () => {
    const ana = await phone(limited.wsPort, platform.tickets("ana", limited.wsPort), "2001");
    phones.push(ana);
    const answers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const inviter = ana.call("2005");
      await inviter.invite({
        requestDelegate: { onReject: (r) => void answers.push(`${r.message.statusCode} ${r.message.reasonPhrase}`) },
      });
      await until(inviter, SessionState.Terminated);
    }
    expect(answers).toEqual(["480 Temporarily Unavailable", "480 Temporarily Unavailable", "403 Forbidden (too many call attempts)"]);
  });
});
