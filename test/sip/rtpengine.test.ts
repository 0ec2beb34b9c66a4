/**
 * Media anchoring with a real rtpengine (Debian `rtpengine-daemon`, user space
 * only): the browser offers WebRTC (DTLS-SRTP, ICE, rtcp-mux), the PBX (sipp)
 * only speaks plain RTP. The proxy's ng client has rtpengine rewrite each SDP
 * for the leg it goes to, and deletes the media session when the call ends.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/server.mjs";
import { startTestServer, type TestServer } from "../support/frozen";
import { seedDemo, DEMO_TENANT, DEMO_PASSWORD } from "../../scripts/seed.mjs";
import { login } from "../support/clients";
import { historyEntry, phone, sipp, startProxy, startRtpengine, until, SessionState, type RunningProxy, type Rtpengine } from "./support";

let server: TestServer;
let proxy: RunningProxy;
let rtpengine: Rtpengine;
let pbxPort: number;
let token: string;

const WEBRTC_OFFER = [
  "v=0",
  "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
  "s=-",
  "t=0 0",
  "a=group:BUNDLE 0",
  "m=audio 40002 UDP/TLS/RTP/SAVPF 0 101",
  "c=IN IP4 127.0.0.1",
  "a=mid:0",
  "a=ice-ufrag:Fq3B",
  "a=ice-pwd:7yQk0eVq3n4bLw9Zp2Xr8sTd",
  "a=fingerprint:sha-256 " + Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase().padStart(2, "0")).join(":"),
  "a=setup:actpass",
  "a=rtcp-mux",
  "a=rtpmap:0 PCMU/8000",
  "a=rtpmap:101 telephone-event/8000",
  "a=candidate:1 1 udp 2122260223 127.0.0.1 40002 typ host",
  "a=sendrecv",
  "",
].join("\r\n");

beforeAll(async () => {
  server = await startTestServer();
  await seedDemo(server.base, server.adminKey!);
  token = (await login(server.base, DEMO_TENANT, "ana", DEMO_PASSWORD)).body.token;
  rtpengine = await startRtpengine(await freePort());
  pbxPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "sip-proxy-rtp-"));
  writeFileSync(join(dir, "secrets.json"), JSON.stringify({ "2001": "segredo-2001" }));
  proxy = await startProxy({
    SIP_SECRETS_FILE: join(dir, "secrets.json"),
    CONVERSAS_SESSION_SECRET: server.secrets.CONVERSAS_SESSION_SECRET!,
    CONVERSAS_API: server.base,
    SIP_PBX: `udp:127.0.0.1:${pbxPort}`,
    SIP_PBX_TENANT: DEMO_TENANT,
    SIP_PROXY_SIP_PORT: "0",
    RTPENGINE: `udp:127.0.0.1:${rtpengine.port}`,
  });
});

afterAll(async () => {
  if (process.env.SIP_DEBUG) console.log(proxy?.log());
  await proxy?.stop();
  await rtpengine?.stop();
  await server?.stop();
});

describe("sip-proxy with rtpengine", () => {
  it("R29: a WebRTC offer reaches a plain-RTP PBX as RTP/AVP, the PBX's answer reaches the browser as DTLS-SRTP with ICE", async () => {
    const uas = sipp(["-sf", "plain-rtp.xml", "-p", String(pbxPort)]);
    const ana = await phone(proxy.wsPort, token, "2001");
    try {
      ana.media.local = WEBRTC_OFFER;
      const inviter = ana.call("3200");
      await inviter.invite();
      await until(inviter, SessionState.Established);
      const answer = ana.media.remote[0]!;
      expect(answer).toMatch(/m=audio \d+ UDP\/TLS\/RTP\/SAVPF /);
      expect(answer).toMatch(/a=fingerprint:sha-256 /);
      expect(answer).toMatch(/a=ice-ufrag:/);
      expect(answer).toMatch(/a=candidate:/);
      expect(answer).toContain("telephone-event/8000");
      const live = await rtpengine.query(inviter.request.callId);
      expect(live.result).toBe("ok");
      await inviter.bye();
      const done = await uas.exit;
      expect(done.code, done.out).toBe(0);
      expect(await historyEntry(server.wsBase, DEMO_TENANT, "ana", token, inviter.request.callId)).toMatchObject({ answered: true });
      // The media session goes with the call.
      const deadline = Date.now() + 5000;
      while ((await rtpengine.query(inviter.request.callId)).result === "ok" && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect((await rtpengine.query(inviter.request.callId)).result).not.toBe("ok");
    } finally {
      await ana.stop();
      await uas.stop();
    }
  });

  it("R29: a plain-RTP call from the PBX reaches the browser as DTLS-SRTP with ICE", async () => {
    const registrar = sipp(["-sf", "register.xml", "-p", String(pbxPort)]);
    const ana = await phone(proxy.wsPort, token, "2001");
    try {
      expect((await ana.register()).status).toBe(200);
      expect((await registrar.exit).code).toBe(0);
      ana.media.local = WEBRTC_OFFER;
      const uac = sipp(["-sn", "uac", `127.0.0.1:${proxy.sipPort}`, "-s", "2001", "-p", String(await freePort()), "-d", "200"]);
      const inv = await ana.nextInvitation();
      const offer = inv.request.body;
      expect(offer).toMatch(/m=audio \d+ UDP\/TLS\/RTP\/SAVPF /);
      expect(offer).toMatch(/a=fingerprint:/);
      expect(offer).toMatch(/a=ice-ufrag:/);
      await inv.accept();
      await until(inv, SessionState.Terminated);
      const done = await uac.exit;
      expect(done.code, done.out).toBe(0);
    } finally {
      await ana.stop();
      await registrar.stop();
    }
  });
});
