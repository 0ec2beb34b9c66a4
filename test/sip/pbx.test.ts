/**
 * The sip-proxy bridging browsers to a PBX over SIP/UDP (R29). sipp plays the
 * PBX — a UAS that answers, one that is busy, one that challenges with digest,
 * a registrar with digest — and the far party calling in (UAC); sip.js user
 * agents in Node are the browsers. Each sipp run handles one call (`-m 1`) and
 * exits 0 only if the scenario saw every message it expects.
 */
import { createSocket } from "node:dgram";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort, startServer } from "../support/server.mjs";
import { seedDemo, DEMO_TENANT, DEMO_PASSWORD } from "../../scripts/seed.mjs";
import { login } from "../support/clients";
import {
  phone,
  recordSink,
  sipp,
  startProxy,
  until,
  waitFor,
  SessionState,
  RegistererState,
  type Phone,
  type RunningProxy,
  type Sipp,
} from "./support";

let server: Awaited<ReturnType<typeof startServer>>;
let proxy: RunningProxy;
let sink: Awaited<ReturnType<typeof recordSink>>;
let pbxPort: number;
const tokens: Record<string, string> = {};
const phones: Phone[] = [];
const peers: Sipp[] = [];

async function ana(): Promise<Phone> {
  const p = await phone(proxy.wsPort, tokens.ana!, "2001");
  phones.push(p);
  return p;
}

function pbx(args: string[]): Sipp {
  const s = sipp([...args, "-p", String(pbxPort)]);
  peers.push(s);
  return s;
}

async function recordFor(callId: string) {
  return (await waitFor("call record", () => sink.received.find((r) => r.body.callId === callId))).body;
}

beforeAll(async () => {
  server = await startServer({ quiet: true });
  await seedDemo(server.base, server.adminKey!);
  tokens.ana = (await login(server.base, DEMO_TENANT, "ana", DEMO_PASSWORD)).body.token;
  await fetch(`${server.base}/api/tenants/demo/me`, { headers: { authorization: `Bearer ${tokens.ana}` } });
  sink = await recordSink(server.secrets.CONVERSAS_SESSION_SECRET!);
  pbxPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "sip-proxy-"));
  writeFileSync(join(dir, "secrets.json"), JSON.stringify({ "2001": "segredo-2001" }));
  proxy = await startProxy({
    CONVERSAS_SESSION_SECRET: server.secrets.CONVERSAS_SESSION_SECRET!,
    CONVERSAS_API: server.base,
    CALL_RECORDS_URL: sink.url,
    SIP_PBX: `udp:127.0.0.1:${pbxPort}`,
    SIP_PBX_TENANT: DEMO_TENANT,
    SIP_PROXY_SIP_PORT: "0",
    SIP_SECRETS_FILE: join(dir, "secrets.json"),
  });
});

afterEach(async () => {
  for (const p of phones.splice(0)) await p.stop();
  for (const s of peers.splice(0)) await s.stop();
});

afterAll(async () => {
  if (process.env.SIP_DEBUG) console.log(proxy?.log());
  await proxy?.stop();
  await sink?.close();
  await server?.stop();
});

describe("sip-proxy with a PBX (sipp)", () => {
  it("R29: an outbound call is answered by the PBX, SDP passes through, and the caller's BYE reaches it", async () => {
    const uas = pbx(["-sn", "uas"]);
    const a = await ana();
    const inviter = a.call("3000");
    await inviter.invite();
    await until(inviter, SessionState.Established);
    expect(a.media.remote[0]).toMatch(/^v=0\r\n[\s\S]*m=audio \d+ RTP\/AVP 0/);
    await inviter.bye();
    const done = await uas.exit;
    expect(done.code, done.out).toBe(0);
    const rec = await recordFor(inviter.request.callId);
    expect(rec).toMatchObject({
      caller: { userId: "ana", number: "2001" },
      callee: { userId: null, number: "3000" },
      parties: [{ userId: "ana", direction: "outbound" }],
      answered: true,
      endReason: "caller-hangup",
    });
  });

  it("R29: a busy PBX (486) is reported to the caller as 486, and the record says busy", async () => {
    const uas = pbx(["-sf", "busy.xml"]);
    const a = await ana();
    const inviter = a.call("3001");
    let status = 0;
    await inviter.invite({ requestDelegate: { onReject: (r) => (status = r.message.statusCode ?? 0) } });
    await until(inviter, SessionState.Terminated);
    expect(status).toBe(486);
    expect((await uas.exit).code).toBe(0);
    expect(await recordFor(inviter.request.callId)).toMatchObject({ answered: false, endReason: "busy" });
  });

  it("R29: the proxy answers the PBX's 401 to an INVITE with the extension's secret; the browser never sees the challenge", async () => {
    const uas = pbx(["-sf", "invite-digest.xml"]);
    const a = await ana();
    const inviter = a.call("3002");
    const seen: number[] = [];
    await inviter.invite({ requestDelegate: { onReject: (r) => seen.push(r.message.statusCode ?? 0) } });
    await until(inviter, SessionState.Established);
    expect(seen).toEqual([]);
    await inviter.bye();
    const done = await uas.exit;
    expect(done.code, done.out).toBe(0);
  });

  it("R29: REGISTER is challenged by the PBX and answered by the proxy; then the far party calls the extension in", async () => {
    const registrar = pbx(["-sf", "register.xml"]);
    const a = await ana();
    expect(await a.register()).toEqual({ state: RegistererState.Registered, status: 200 });
    expect((await registrar.exit).code).toBe(0);

    const farPort = await freePort();
    const uac = sipp(["-sn", "uac", `127.0.0.1:${proxy.sipPort}`, "-s", "2001", "-p", String(farPort), "-d", "200"]);
    peers.push(uac);
    const inv = await a.nextInvitation();
    expect(inv.remoteIdentity.uri.user).toBe("sipp");
    await inv.accept();
    await until(inv, SessionState.Terminated);
    const done = await uac.exit;
    expect(done.code, done.out).toBe(0);
    expect(await recordFor(inv.request.callId)).toMatchObject({
      caller: { userId: null, number: "sipp" },
      callee: { userId: "ana", number: "2001" },
      parties: [{ userId: "ana", direction: "inbound" }],
      answered: true,
      endReason: "caller-hangup",
    });
  });

  it("R29: when the browser's WebSocket drops mid-call the proxy sends BYE to the PBX and records the call", async () => {
    const uas = pbx(["-sn", "uas"]);
    const a = await ana();
    const inviter = a.call("3003");
    await inviter.invite();
    await until(inviter, SessionState.Established);
    await a.ua.transport.disconnect();
    const done = await uas.exit;
    expect(done.code, done.out).toBe(0);
    expect(await recordFor(inviter.request.callId)).toMatchObject({ answered: true, endReason: "connection-lost" });
  });

  it("R29: malformed SIP from the PBX side is answered 400 and changes nothing", async () => {
    const sock = createSocket("udp4");
    await new Promise<void>((r) => sock.bind(0, "127.0.0.1", () => r()));
    const got: string[] = [];
    sock.on("message", (m) => got.push(m.toString()));
    const send = (t: string) => sock.send(t, proxy.sipPort, "127.0.0.1");
    send("\u0000\u0001 not sip at all");
    send(
      "INVITE sip:2001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKmal1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:2001@y>\r\nCall-ID: mal1\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n",
    );
    await waitFor("400", () => got.find((g) => g.startsWith("SIP/2.0 400")));
    expect(got.filter((g) => g.startsWith("SIP/2.0"))).toHaveLength(1);
    sock.close();
    const uas = pbx(["-sn", "uas"]);
    const a = await ana();
    const inviter = a.call("3004");
    await inviter.invite();
    await until(inviter, SessionState.Established);
    await inviter.bye();
    expect((await uas.exit).code).toBe(0);
  });
});
