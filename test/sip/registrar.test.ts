/**
 * The sip-proxy with no PBX (`npm start`'s mode): it is the registrar and routes
 * calls between the browsers signed in to the platform (R2, R29). Real
 * `partykit dev` for session tokens, the real proxy process, sip.js user agents.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startServer } from "../support/server.mjs";
import { seedDemo, DEMO_TENANT, DEMO_PASSWORD } from "../../scripts/seed.mjs";
import { login } from "../support/clients";
import {
  phone,
  recordSink,
  startProxy,
  until,
  waitFor,
  sdp,
  SessionState,
  RegistererState,
  type Phone,
  type RunningProxy,
} from "./support";

let server: Awaited<ReturnType<typeof startServer>>;
let proxy: RunningProxy;
let sink: Awaited<ReturnType<typeof recordSink>>;
const tokens: Record<string, string> = {};
const phones: Phone[] = [];

async function signedIn(user: string, ext: string): Promise<Phone> {
  const p = await phone(proxy.wsPort, tokens[user]!, ext);
  phones.push(p);
  return p;
}

beforeAll(async () => {
  server = await startServer({ quiet: true });
  await seedDemo(server.base, server.adminKey!);
  for (const u of ["ana", "bruno", "carla", "rafael"]) {
    const res = await login(server.base, DEMO_TENANT, u, DEMO_PASSWORD);
    tokens[u] = res.body.token as string;
  }
  // The first session check wakes the directory room; keep that cold start out of the first test.
  await fetch(`${server.base}/api/tenants/demo/me`, { headers: { authorization: `Bearer ${tokens.ana}` } });
  sink = await recordSink(server.secrets.CONVERSAS_SESSION_SECRET!);
  proxy = await startProxy({
    CONVERSAS_SESSION_SECRET: server.secrets.CONVERSAS_SESSION_SECRET!,
    CONVERSAS_API: server.base,
    CALL_RECORDS_URL: sink.url,
  });
});

afterAll(async () => {
  for (const p of phones) await p.stop();
  if (process.env.SIP_DEBUG) console.log(proxy?.log());
  await proxy?.stop();
  await sink?.close();
  await server?.stop();
});

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
  it("R29: the WebSocket upgrade needs a live session token and subprotocol sip", async () => {
    const base = `ws://127.0.0.1:${proxy.wsPort}/`;
    expect(await upgradeStatus(base)).toBe(401);
    expect(await upgradeStatus(`${base}?token=forged.token`)).toBe(401);
    expect(await upgradeStatus(`${base}?token=${tokens.ana}`, "chat")).toBe(400);
    expect(await upgradeStatus(`${base}?token=${tokens.ana}`)).toBe(101);
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
    let status = 0;
    await inviter.invite({ requestDelegate: { onReject: (r) => (status = r.message.statusCode ?? 0) } });
    await until(inviter, SessionState.Terminated);
    expect(status).toBe(403);
  });

  it("R29: A calls B through the proxy; B rings, answers, SDP passes unchanged, then A hangs up; the record says answered", async () => {
    const ana = await signedIn("ana", "2001");
    const bruno = await signedIn("bruno", "2002");
    await ana.register();
    await bruno.register();
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
    const rec = await waitFor("call record", () =>
      sink.received.find((r) => r.body.callId === inviter.request.callId && r.path.includes("/ana/")),
    );
    expect(rec.authentic).toBe(true);
    expect(rec.body).toMatchObject({
      tenant: "demo",
      caller: { userId: "ana", number: "2001" },
      callee: { userId: "bruno", number: "2002" },
      parties: [
        { userId: "ana", direction: "outbound" },
        { userId: "bruno", direction: "inbound" },
      ],
      answered: true,
      endReason: "caller-hangup",
    });
    expect(rec.body.answeredAt).toBeGreaterThanOrEqual(rec.body.startedAt);
    await waitFor("record in bruno's room too", () =>
      sink.received.find((r) => r.body.callId === inviter.request.callId && r.path.includes("/bruno/")),
    );
  });

  it("R29: the callee can hang up too (BYE from B reaches A)", async () => {
    const ana = await signedIn("ana", "2001");
    const bruno = await signedIn("bruno", "2002");
    await ana.register();
    await bruno.register();
    const inviter = ana.call("2002");
    await inviter.invite();
    const inv = await bruno.nextInvitation();
    await inv.accept();
    await until(inviter, SessionState.Established);
    await inv.bye();
    await until(inviter, SessionState.Terminated);
    const rec = await waitFor("record", () => sink.received.find((r) => r.body.callId === inviter.request.callId));
    expect(rec.body.endReason).toBe("callee-hangup");
  });

  it("R29: B rejects with 486 and A sees 486; the record says busy, not answered", async () => {
    const ana = await signedIn("ana", "2001");
    const bruno = await signedIn("bruno", "2002");
    await ana.register();
    await bruno.register();
    const inviter = ana.call("2002");
    let status = 0;
    await inviter.invite({ requestDelegate: { onReject: (r) => (status = r.message.statusCode ?? 0) } });
    const inv = await bruno.nextInvitation();
    await inv.reject({ statusCode: 486 });
    await until(inviter, SessionState.Terminated);
    expect(status).toBe(486);
    const rec = await waitFor("record", () => sink.received.find((r) => r.body.callId === inviter.request.callId));
    expect(rec.body).toMatchObject({ answered: false, answeredAt: null, endReason: "busy" });
  });

  it("R29: A cancels while B rings; B's invitation ends and the record says cancelled", async () => {
    const ana = await signedIn("ana", "2001");
    const bruno = await signedIn("bruno", "2002");
    await ana.register();
    await bruno.register();
    const inviter = ana.call("2002");
    let ringing = false;
    await inviter.invite({ requestDelegate: { onProgress: (r) => (ringing ||= r.message.statusCode === 180) } });
    const inv = await bruno.nextInvitation();
    inv.progress();
    await waitFor("ringing", () => ringing);
    await inviter.cancel();
    await until(inv, SessionState.Terminated);
    await until(inviter, SessionState.Terminated);
    const rec = await waitFor("record", () => sink.received.find((r) => r.body.callId === inviter.request.callId));
    expect(rec.body).toMatchObject({ answered: false, endReason: "cancelled" });
  });

  it("R29: calling an extension nobody registered gets 480", async () => {
    const ana = await signedIn("ana", "2001");
    const inviter = ana.call("2005");
    let status = 0;
    await inviter.invite({ requestDelegate: { onReject: (r) => (status = r.message.statusCode ?? 0) } });
    await until(inviter, SessionState.Terminated);
    expect(status).toBe(480);
  });

  it("R29: garbage on the WebSocket gets 400 (or nothing) and the proxy keeps working", async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.wsPort}/?token=${tokens.ana}`, "sip");
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
});
