/**
 * The sip-proxy bridging browsers to a PBX over SIP/UDP (R29). sipp plays the
 * PBX — a UAS that answers, one that is busy, one that challenges with digest,
 * a registrar with digest — and the far party calling in (UAC); sip.js user
 * agents in Node are the browsers. Each sipp run handles one call (`-m 1`) and
 * exits 0 only if the scenario saw every message it expects. Call records go to
 * the real rooms and are read back through the user's own room socket.
 */
import { createSocket } from "node:dgram";
import { beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/dev/process.mjs";
import type { TestServer } from "../support/server";
import { DEMO_TENANT } from "../../scripts/seed.mjs";
import { historyEntry, listening, phone, sipp, startProxy, until, waitFor, SessionState, RegistererState } from "./support";
import { startPlatform, stopsAfter, stopAfterAll, pbxEnv, secretsFile, refusal, callAndHangUp, passed } from "./support";
import type { Phone, Platform, RunningProxy, Sipp } from "./support";

let platform: Platform;
let server: TestServer;
let proxy: RunningProxy;
let pbxPort: number;
const tokens: Record<string, string> = {};
const { phones, peers } = stopsAfter(() => [proxy, platform]);

async function ana(): Promise<Phone> {
  const p = await phone(proxy.wsPort, platform.tickets("ana", proxy.wsPort), "2001");
  phones.push(p);
  return p;
}

function pbx(args: string[]): Sipp {
  const s = sipp([...args, "-p", String(pbxPort)]);
  peers.push(s);
  return s;
}

/** Ana's history entry for the call, from her user room. */
function entryFor(callId: string) {
  return historyEntry(server.wsBase, DEMO_TENANT, "ana", tokens.ana!, callId);
}

beforeAll(async () => {
  platform = await startPlatform(["ana", "bruno"]);
  server = platform.server;
  tokens.ana = platform.tokens.ana!;
  pbxPort = await freePort();
  const { file } = secretsFile("sip-proxy-", { "2001": "segredo-2001" });
  proxy = await startProxy(pbxEnv(platform, `udp:127.0.0.1:${pbxPort}`, { SIP_RING_TIMEOUT: "3", SIP_SECRETS_FILE: file }));
});

describe("sip-proxy with a PBX (sipp)", () => {
  it("R29: an outbound call is answered by the PBX, SDP passes through, and the caller's BYE reaches it", async () => {
    const uas = pbx(["-sf", "uas.xml"]);
    const a = await ana();
    const inviter = a.call("3000");
    await inviter.invite();
    await until(inviter, SessionState.Established);
    expect(a.media.remote[0]).toMatch(/^v=0\r\n[\s\S]*m=audio \d+ RTP\/AVP 0/);
    await inviter.bye();
    await passed(uas);
    expect(await entryFor(inviter.request.callId)).toMatchObject({
      direction: "outbound",
      status: "initiated",
      other: { userId: null, number: "3000" },
      answered: true,
      endReason: "caller-hangup",
    });
  });

  it("R29: a busy PBX (486) is reported to the caller as 486, and the record says busy", async () => {
    const uas = pbx(["-sf", "busy.xml"]);
    const a = await ana();
    const inviter = a.call("3001");
    expect(await refusal(inviter)).toBe(486);
    expect((await uas.exit).code).toBe(0);
    expect(await entryFor(inviter.request.callId)).toMatchObject({ status: "initiated", answered: false, endReason: "busy" });
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
    await passed(uas);
  });

  it("R29: REGISTER is challenged by the PBX and answered by the proxy; then the far party calls the extension in", async () => {
    // The registrar also takes the withdrawal when the socket closes, so none is left to reach the next test's PBX.
    const registrar = pbx(["-sf", "register-unregister.xml"]);
    const a = await ana();
    expect(await a.register()).toEqual({ state: RegistererState.Registered, status: 200 });

    const farPort = await freePort();
    const uac = sipp(["-sn", "uac", `127.0.0.1:${proxy.sipPort}`, "-s", "2001", "-p", String(farPort), "-d", "200"]);
    peers.push(uac);
    const inv = await a.nextInvitation();
    expect(inv.remoteIdentity.uri.user).toBe("sipp");
    await inv.accept();
    await until(inv, SessionState.Terminated);
    await passed(uac);
    expect(await entryFor(inv.request.callId)).toMatchObject({
      direction: "inbound",
      status: "answered",
      other: { userId: null, number: "sipp" },
      answered: true,
      endReason: "caller-hangup",
    });
    await a.ua.transport.disconnect();
    expect((await registrar.exit).code).toBe(0);
  });

  it("R29: when a registered browser's socket closes, the proxy withdraws its binding at the PBX (Expires: 0, digest answered)", async () => {
    const registrar = pbx(["-sf", "register-unregister.xml"]);
    const a = await ana();
    expect(await a.register()).toEqual({ state: RegistererState.Registered, status: 200 });
    await a.ua.transport.disconnect();
    await passed(registrar);
  });

  it("R29: when the browser's WebSocket drops mid-call the proxy sends BYE to the PBX and records the call", async () => {
    const uas = pbx(["-sf", "uas.xml"]);
    const a = await ana();
    const inviter = a.call("3003");
    await inviter.invite();
    await until(inviter, SessionState.Established);
    await a.ua.transport.disconnect();
    await passed(uas);
    expect(await entryFor(inviter.request.callId)).toMatchObject({ answered: true, endReason: "connection-lost" });
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
    const uas = pbx(["-sf", "uas.xml"]);
    const a = await ana();
    const inviter = a.call("3004");
    await inviter.invite();
    await until(inviter, SessionState.Established);
    await inviter.bye();
    expect((await uas.exit).code).toBe(0);
  });

  it("R23, R24: hold, resume and DTMF reach the PBX: re-INVITEs with a=sendonly then a=sendrecv, INFO application/dtmf-relay", async () => {
    const uas = pbx(["-sf", "in-dialog.xml"]);
    const a = await ana();
    const inviter = a.call("3005");
    await inviter.invite();
    await until(inviter, SessionState.Established);
    expect(a.media.remote[0]).toContain("a=rtpmap:101 telephone-event/8000");
    const answered = (send: (d: { onAccept(r: any): void; onReject(r: any): void }) => void) =>
      new Promise<number>((resolve) =>
        send({ onAccept: (r) => resolve(r.message.statusCode), onReject: (r) => resolve(r.message.statusCode) }),
      );
    for (const direction of ["sendonly", "sendrecv"]) {
      a.media.local = a.media.local.replace(/a=send(only|recv)/, `a=${direction}`);
      expect(await answered((requestDelegate) => void inviter.invite({ requestDelegate }))).toBe(200);
    }
    const dtmf = { contentDisposition: "render", contentType: "application/dtmf-relay", content: "Signal=7\r\nDuration=160\r\n" };
    expect(await answered((requestDelegate) => void inviter.info({ requestDelegate, requestOptions: { body: dtmf } }))).toBe(200);
    await inviter.bye();
    await passed(uas);
  });

  it("R29: the caller cancels while the PBX rings: CANCEL reaches the PBX, the caller sees 487, the record says cancelled", async () => {
    const uas = pbx(["-sf", "ring-cancel.xml"]);
    const a = await ana();
    const inviter = a.call("3006");
    let ringing = false;
    let status = 0;
    await inviter.invite({
      requestDelegate: {
        onProgress: (r) => (ringing ||= r.message.statusCode === 180),
        onReject: (r) => (status = r.message.statusCode ?? 0),
      },
    });
    await waitFor("180 from the PBX", () => ringing);
    await inviter.cancel();
    await until(inviter, SessionState.Terminated);
    expect(status).toBe(487);
    await passed(uas);
    expect(await entryFor(inviter.request.callId)).toMatchObject({ answered: false, endReason: "cancelled" });
  });

  it("R29: a PBX that rings forever is cancelled at the ring timeout; the caller gets 408 and the record says no-answer", async () => {
    const uas = pbx(["-sf", "ring-cancel.xml"]);
    const a = await ana();
    const inviter = a.call("3007");
    const started = Date.now();
    expect(await refusal(inviter, 15_000)).toBe(408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
    await passed(uas);
    expect(await entryFor(inviter.request.callId)).toMatchObject({ status: "initiated", answered: false, endReason: "no-answer" });
  });

  it("R29: a PBX phone that answers as the ring timeout cancels it gets its 200 acknowledged and a BYE; the caller keeps its 408", async () => {
    const uas = pbx(["-sf", "late-answer.xml"]);
    const a = await ana();
    const inviter = a.call("3008");
    expect(await refusal(inviter, 15_000)).toBe(408);
    // sipp exits 0 only once it has received the proxy's ACK and BYE.
    await passed(uas);
    expect(await entryFor(inviter.request.callId)).toMatchObject({ answered: false, endReason: "no-answer" });
  });
});

describe("sip-proxy with a PBX over TCP (sipp -t t1)", () => {
  let tcpProxy: RunningProxy;
  let tcpPort: number;

  beforeAll(async () => {
    tcpPort = await freePort();
    tcpProxy = await startProxy({
      ...platform.proxyEnv,
      SIP_PBX: `tcp:127.0.0.1:${tcpPort}`,
      SIP_PBX_TENANT: DEMO_TENANT,
      SIP_PROXY_SIP_PORT: "0",
    });
  });

  stopAfterAll(() => [tcpProxy]);

  it("R29: an outbound call over SIP/TCP is answered, hung up, and recorded", async () => {
    const tcp = sipp(["-sf", "uas.xml", "-t", "t1", "-p", String(tcpPort)]);
    peers.push(tcp);
    // sipp needs a moment to listen on TCP before the proxy connects.
    await listening(tcpPort);
    const p = await phone(tcpProxy.wsPort, platform.tickets("ana", tcpProxy.wsPort), "2001");
    phones.push(p);
    const inviter = p.call("3100");
    await callAndHangUp(inviter);
    await passed(tcp);
    expect(await entryFor(inviter.request.callId)).toMatchObject({ other: { number: "3100" }, answered: true, endReason: "caller-hangup" });
  });
});
