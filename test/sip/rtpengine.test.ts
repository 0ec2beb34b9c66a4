/**
 * Media anchoring with a real rtpengine (Debian `rtpengine-daemon`, user space
 * only): the browser offers WebRTC (DTLS-SRTP, ICE, rtcp-mux), the PBX (sipp)
 * only speaks plain RTP. The proxy's ng client has rtpengine rewrite each SDP
 * for the leg it goes to, and deletes the media session when the call ends.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/dev/process.mjs";
import type { TestServer } from "../support/server";
import { DEMO_TENANT } from "../../scripts/seed.mjs";
import { historyEntry, phone, sipp, startProxy, startRtpengine, until, waitFor, SessionState, refusal, passed } from "./support";
import { startPlatform, stopsAfter, stopAfterAll, pbxEnv, secretsFile } from "./support";
import type { Phone, Platform, RunningProxy, Rtpengine, Sipp } from "./support";
import { baresipPort, startBaresip, startKamailio, type Peer } from "./peers";

let platform: Platform;
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
  platform = await startPlatform(["ana", "bruno"]);
  server = platform.server;
  token = platform.tokens.ana!;
  rtpengine = await startRtpengine(await freePort());
  pbxPort = await freePort();
  const { file } = secretsFile("sip-proxy-rtp-", { "2001": "segredo-2001" });
  proxy = await startProxy(
    pbxEnv(platform, `udp:127.0.0.1:${pbxPort}`, {
      SIP_SECRETS_FILE: file,
      RTPENGINE: `udp:127.0.0.1:${rtpengine.port}`,
      // A G.711 A-law trunk must get PCMA even from a browser that offers only PCMU: rtpengine transcodes.
      RTPENGINE_PBX_CODECS: "transcode=PCMA",
    }),
  );
});

const { phones, peers } = stopsAfter(() => [proxy, rtpengine, platform]);

/** sipp on the PBX port (stopped after the test). */
function pbx(args: string[]): Sipp {
  const s = sipp([...args, "-p", String(pbxPort)]);
  peers.push(s);
  return s;
}

/** Ana on proxy `p`, offering what a browser offers (WebRTC), stopped after the test. */
async function webrtcAna(p = proxy): Promise<Phone> {
  const ana = await phone(p.wsPort, platform.tickets("ana", p.wsPort), "2001");
  phones.push(ana);
  ana.media.local = WEBRTC_OFFER;
  return ana;
}

/** Ana calls `target` through proxy `p` and is answered: the call and the SDP answer she got. */
async function answered(target: string, p = proxy) {
  const ana = await webrtcAna(p);
  const inviter = ana.call(target);
  await inviter.invite();
  await until(inviter, SessionState.Established);
  return { inviter, answer: ana.media.remote[0]! };
}

/** The call's rtpengine session is gone (deleted with the call). */
async function mediaGone(callId: string): Promise<boolean> {
  const deadline = Date.now() + 5000;
  while ((await rtpengine.query(callId)).result === "ok" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return (await rtpengine.query(callId)).result !== "ok";
}

describe("sip-proxy with rtpengine", () => {
  it("R29: a WebRTC offer reaches a plain-RTP PBX as RTP/AVP, the PBX's answer reaches the browser as DTLS-SRTP with ICE", async () => {
    const uas = pbx(["-sf", "plain-rtp.xml"]);
    const { inviter, answer } = await answered("3200");
    expect(answer).toMatch(/m=audio \d+ UDP\/TLS\/RTP\/SAVPF /);
    expect(answer).toMatch(/a=fingerprint:sha-256 /);
    expect(answer).toMatch(/a=ice-ufrag:/);
    expect(answer).toMatch(/a=candidate:/);
    expect(answer).toContain("telephone-event/8000");
    const live = await rtpengine.query(inviter.request.callId);
    expect(live.result).toBe("ok");
    await inviter.bye();
    await passed(uas);
    expect(await historyEntry(server.wsBase, DEMO_TENANT, "ana", token, inviter.request.callId)).toMatchObject({ answered: true });
    // The media session goes with the call.
    expect(await mediaGone(inviter.request.callId)).toBe(true);
  });

  it("R29: a plain-RTP call from the PBX reaches the browser as DTLS-SRTP with ICE", async () => {
    // The registrar also takes the withdrawal when the socket closes, so none is left to reach the next test's PBX.
    const registrar = pbx(["-sf", "register-unregister.xml"]);
    const ana = await webrtcAna();
    expect((await ana.register()).status).toBe(200);
    const uac = sipp(["-sn", "uac", `127.0.0.1:${proxy.sipPort}`, "-s", "2001", "-p", String(await freePort()), "-d", "200"]);
    const inv = await ana.nextInvitation();
    const offer = inv.request.body;
    expect(offer).toMatch(/m=audio \d+ UDP\/TLS\/RTP\/SAVPF /);
    expect(offer).toMatch(/a=fingerprint:/);
    expect(offer).toMatch(/a=ice-ufrag:/);
    await inv.accept();
    await until(inv, SessionState.Terminated);
    await passed(uac);
    await ana.ua.transport.disconnect();
    expect((await registrar.exit).code).toBe(0);
  });
});

describe("issue 16.7: codecs through rtpengine (sipp trunks)", () => {
  it("issue 16.7: a trunk that takes only PCMA gets it offered (RTPENGINE_PBX_CODECS=transcode=PCMA) while the browser keeps PCMU", async () => {
    const uas = pbx(["-sf", "pcma-only.xml"]);
    const { inviter, answer } = await answered("3201");
    expect(answer).toMatch(/m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0\b/);
    expect(answer).toContain("a=rtpmap:0 PCMU/8000");
    expect(answer).not.toContain("PCMA");
    await inviter.bye();
    await passed(uas);
    // Over (its BYE answered): no retransmission of it can reach the next test's sipp on this port.
    await waitFor("the call's record", () => proxy.records().some((r) => r.callId === inviter.request.callId));
  });

  it("issue 16.7: a trunk that accepts none of the codecs (488) fails the call for the browser, recorded, its media session deleted", async () => {
    const uas = pbx(["-sf", "reject-488.xml"]);
    const ana = await webrtcAna();
    const inviter = ana.call("3202");
    expect(await refusal(inviter)).toBe(488);
    expect((await uas.exit).code).toBe(0);
    expect(await historyEntry(server.wsBase, DEMO_TENANT, "ana", token, inviter.request.callId)).toMatchObject({
      answered: false,
      endReason: "failed",
    });
    expect(await mediaGone(inviter.request.callId)).toBe(true);
  });
});

describe("issue 16.7: SDES-SRTP towards the PBX (kamailio, baresip with mediaenc=srtp-mand)", () => {
  let kamailio: Peer;
  let deskPhone: Peer;
  let srtpProxy: RunningProxy;
  let plainProxy: RunningProxy;

  beforeAll(async () => {
    const kamPort = await freePort();
    kamailio = await startKamailio({ port: kamPort, users: { "2001": "segredo-2001", "3002": "segredo-3002" } });
    deskPhone = await startBaresip({
      port: await baresipPort(),
      extension: "3002",
      password: "segredo-3002",
      registrar: `127.0.0.1:${kamPort}`,
      mediaenc: "srtp-mand",
    });
    const { file } = secretsFile("sip-proxy-srtp-", { "2001": "segredo-2001" });
    const env = pbxEnv(platform, `udp:127.0.0.1:${kamPort}`, { SIP_SECRETS_FILE: file, RTPENGINE: `udp:127.0.0.1:${rtpengine.port}` });
    srtpProxy = await startProxy({ ...env, SIP_PBX_SRTP: "sdes" });
    plainProxy = await startProxy(env);
  });

  stopAfterAll(() => [srtpProxy, plainProxy, deskPhone, kamailio]);

  it("issue 16.7: with SIP_PBX_SRTP=sdes a desk phone that demands SRTP answers, and the browser still gets DTLS-SRTP", async () => {
    const { inviter, answer } = await answered("3002", srtpProxy);
    expect(answer).toMatch(/m=audio \d+ UDP\/TLS\/RTP\/SAVPF /);
    expect(answer).toMatch(/a=fingerprint:sha-256 /);
    await waitFor("baresip's log of the answer", () => /answering call .* with 200/.test(deskPhone.log()));
    await inviter.bye();
    await waitFor("baresip to hang up", () => /session closed|terminated/i.test(deskPhone.log()));
  });

  it("issue 16.7: without it, the same desk phone refuses plain RTP (488)", async () => {
    const ana = await webrtcAna(plainProxy);
    expect(await refusal(ana.call("3002"))).toBe(488);
  });
});
