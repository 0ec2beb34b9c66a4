/**
 * The ng client against a fake rtpengine on a local UDP socket: cookies pair
 * replies with commands, silence is retried then reported, `result: error` is an
 * error, and the flags follow rtpengine's WebRTC ⇄ RTP recipe.
 */
import { createSocket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { decode, encode, type Bencoded } from "./bencode";
import { flagsFor, parseCodecFlags, RtpEngine } from "./rtpengine";

const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

/** A fake ng server: `answer` gets each decoded command (and how many came before) and returns the reply, or null to stay silent. */
async function fakeEngine(answer: (cmd: Record<string, Bencoded>, n: number) => Record<string, Bencoded> | null) {
  const sock = createSocket("udp4");
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", () => r()));
  let n = 0;
  sock.on("message", (msg, rinfo) => {
    const space = msg.indexOf(0x20);
    const cookie = msg.toString("latin1", 0, space);
    const reply = answer(decode(msg.subarray(space + 1)) as Record<string, Bencoded>, n++);
    if (reply) {
      sock.send(Buffer.concat([Buffer.from("not-the-cookie "), encode({ result: "ok", sdp: "wrong" })]), rinfo.port, rinfo.address);
      sock.send(Buffer.concat([Buffer.from(`${cookie} `), encode(reply)]), rinfo.port, rinfo.address);
    }
  });
  const engine = new RtpEngine({ host: "127.0.0.1", port: (sock.address() as { port: number }).port }, { timeoutMs: 50, attempts: 3 });
  closers.push(
    () => sock.close(),
    () => engine.close(),
  );
  return engine;
}

describe("media policy", () => {
  it("issue 16.7: SDES-SRTP towards the PBX when configured, codec flags on the offers each side gets", () => {
    const policy = { pbxSrtp: true, pbxCodecs: parseCodecFlags("transcode=PCMA,G729;mask=opus"), browserCodecs: null };
    expect(policy.pbxCodecs).toEqual({ transcode: ["PCMA", "G729"], mask: ["opus"] });
    expect(flagsFor("plain", policy, true)).toMatchObject({ "transport-protocol": "RTP/SAVP", codec: { transcode: ["PCMA", "G729"] } });
    expect(flagsFor("plain", policy, false)).not.toHaveProperty("codec");
    expect(flagsFor("webrtc", policy, true)).toMatchObject({ "transport-protocol": "UDP/TLS/RTP/SAVPF", SDES: ["off"] });
    expect(flagsFor("webrtc", policy, true)).not.toHaveProperty("codec");
    expect(parseCodecFlags("transcode=PCMA;drop=x")).toBe(null);
    expect(parseCodecFlags("")).toBe(null);
  });
});

describe("rtpengine ng client", () => {
  it("R29: an offer towards the PBX asks for plain RTP without ICE and returns rtpengine's SDP", async () => {
    const seen: Array<Record<string, Bencoded>> = [];
    const engine = await fakeEngine((cmd) => (seen.push(cmd), { result: "ok", sdp: `rewritten:${cmd.sdp}` }));
    expect(await engine.offer({ callId: "c1", fromTag: "f1", toTag: null, sdp: "v=0", towards: "plain" })).toBe("rewritten:v=0");
    expect(seen[0]).toEqual({ command: "offer", "call-id": "c1", "from-tag": "f1", sdp: "v=0", ...flagsFor("plain") });
    expect(flagsFor("plain")).toMatchObject({ "transport-protocol": "RTP/AVP", ICE: "remove" });
    expect(flagsFor("webrtc")).toMatchObject({ "transport-protocol": "UDP/TLS/RTP/SAVPF", ICE: "force" });
  });

  it("R29: a lost datagram is retried with the same cookie; silence ends in an error", async () => {
    const engine = await fakeEngine((_cmd, n) => (n === 0 ? null : { result: "ok", sdp: "late" }));
    expect(await engine.answer({ callId: "c", fromTag: "f", toTag: "t", sdp: "v=0", towards: "webrtc" })).toBe("late");
    const mute = await fakeEngine(() => null);
    await expect(mute.delete("c")).rejects.toThrow(/did not answer delete/);
  });

  it("R29: result error is reported with rtpengine's reason", async () => {
    const engine = await fakeEngine(() => ({ result: "error", "error-reason": "Unknown call-id" }));
    await expect(engine.delete("nope")).rejects.toThrow(/Unknown call-id/);
  });
});
