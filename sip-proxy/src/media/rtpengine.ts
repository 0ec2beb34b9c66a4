/**
 * Media anchoring through rtpengine's ng control protocol (bencode over UDP:
 * `<cookie> <dictionary>`, answered with the same cookie). Browsers send
 * DTLS-SRTP with ICE; a PBX that only speaks plain RTP gets an SDP rewritten by
 * rtpengine to RTP/AVP without ICE, and the browser gets the reverse. Commands
 * are retried over UDP until answered (rtpengine answers a repeated cookie from
 * its cache, so a retry never applies twice).
 */
import { createSocket, type Socket } from "node:dgram";
import { randomBytes } from "node:crypto";
import { decode, encode, type Bencoded } from "./bencode";

/** Which leg an SDP is going to: the PBX (plain RTP) or a browser (WebRTC). */
export type Towards = "plain" | "webrtc";

/** What the proxy needs from a media anchor; rtpengine is the one implementation. */
export interface MediaAnchor {
  offer(o: { callId: string; fromTag: string; toTag: string | null; sdp: string; towards: Towards }): Promise<string>;
  answer(o: { callId: string; fromTag: string; toTag: string; sdp: string; towards: Towards }): Promise<string>;
  delete(callId: string): Promise<void>;
  close(): void;
}

type Dict = { [key: string]: Bencoded };

/**
 * How media towards each side is set up (issue 16.7): SDES-SRTP (RTP/SAVP with
 * a=crypto) instead of plain RTP towards the PBX, and codec manipulation for the
 * offers rtpengine writes towards each side — ng's `codec` dictionary, e.g.
 * `{ transcode: ["PCMA"], mask: ["opus"] }` so a G.711-only trunk gets the codec it takes.
 */
export type MediaPolicy = { pbxSrtp: boolean; pbxCodecs: CodecFlags | null; browserCodecs: CodecFlags | null };
export type CodecFlags = Partial<Record<"strip" | "offer" | "transcode" | "mask" | "accept" | "consume" | "except", string[]>>;

export const PLAIN_MEDIA: MediaPolicy = { pbxSrtp: false, pbxCodecs: null, browserCodecs: null };

/** `transcode=PCMA,G729;mask=opus` → `{ transcode: ["PCMA","G729"], mask: ["opus"] }`; null when it is not that shape. */
export function parseCodecFlags(text: string): CodecFlags | null {
  const out: CodecFlags = {};
  for (const part of text
    .split(";")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(strip|offer|transcode|mask|accept|consume|except)=([A-Za-z0-9./_,-]+)$/.exec(part);
    if (!m) return null;
    out[m[1] as keyof CodecFlags] = m[2]!.split(",").filter(Boolean);
  }
  return Object.keys(out).length ? out : null;
}

/** rtpengine's documented WebRTC ⇄ RTP recipes, per the side the SDP is going to, with the deployment's media policy. */
export function flagsFor(towards: Towards, policy: MediaPolicy = PLAIN_MEDIA, offer = false): Dict {
  const codecs = offer ? (towards === "plain" ? policy.pbxCodecs : policy.browserCodecs) : null;
  const codec: Dict = codecs ? { codec: codecs as Dict } : {};
  return towards === "plain"
    ? {
        "transport-protocol": policy.pbxSrtp ? "RTP/SAVP" : "RTP/AVP",
        ICE: "remove",
        "rtcp-mux": ["demux"],
        replace: ["origin", "session-connection"],
        ...codec,
      }
    : {
        ...codec,
        "transport-protocol": "UDP/TLS/RTP/SAVPF",
        ICE: "force",
        "rtcp-mux": ["offer", "require"],
        SDES: ["off"],
        replace: ["origin", "session-connection"],
      };
}

export class RtpEngine implements MediaAnchor {
  private readonly socket: Socket;
  private readonly waiting = new Map<string, (reply: Dict) => void>();

  constructor(
    private readonly target: { host: string; port: number },
    private readonly o: { timeoutMs?: number; attempts?: number; log?: (line: string) => void; policy?: MediaPolicy } = {},
  ) {
    this.socket = createSocket("udp4");
    this.socket.on("message", (msg) => this.onMessage(msg));
    this.socket.on("error", (e) => o.log?.(`rtpengine socket: ${e.message}`));
    this.socket.unref();
  }

  private onMessage(msg: Buffer): void {
    const space = msg.indexOf(0x20);
    if (space <= 0) return this.o.log?.("rtpengine: reply without a cookie dropped");
    const cookie = msg.toString("latin1", 0, space);
    try {
      const reply = decode(msg.subarray(space + 1));
      if (typeof reply !== "object" || Array.isArray(reply)) throw new SyntaxError("not a dictionary");
      this.waiting.get(cookie)?.(reply);
    } catch (e) {
      this.o.log?.(`rtpengine: malformed reply dropped (${(e as Error).message})`);
    }
  }

  /** Sends one command; resolves with rtpengine's dictionary, rejects on `result: error` or silence. */
  async command(cmd: Dict): Promise<Dict> {
    const cookie = randomBytes(8).toString("hex");
    const packet = Buffer.concat([Buffer.from(`${cookie} `), encode(cmd)]);
    const attempts = this.o.attempts ?? 3;
    const timeoutMs = this.o.timeoutMs ?? 1000;
    try {
      const reply = await new Promise<Dict>((resolve, reject) => {
        let sent = 0;
        let timer: ReturnType<typeof setTimeout>;
        const send = () => {
          if (sent++ === attempts) return reject(new Error(`rtpengine did not answer ${String(cmd.command)}`));
          this.socket.send(packet, this.target.port, this.target.host);
          timer = setTimeout(send, timeoutMs);
        };
        this.waiting.set(cookie, (r) => {
          clearTimeout(timer);
          resolve(r);
        });
        send();
      });
      if (reply.result === "error") throw new Error(`rtpengine ${String(cmd.command)}: ${String(reply["error-reason"] ?? "error")}`);
      return reply;
    } finally {
      this.waiting.delete(cookie);
    }
  }

  async offer(o: { callId: string; fromTag: string; toTag: string | null; sdp: string; towards: Towards }): Promise<string> {
    const reply = await this.command({
      command: "offer",
      "call-id": o.callId,
      "from-tag": o.fromTag,
      ...(o.toTag ? { "to-tag": o.toTag } : {}),
      sdp: o.sdp,
      ...flagsFor(o.towards, this.o.policy, true),
    });
    return sdpOf(reply);
  }

  async answer(o: { callId: string; fromTag: string; toTag: string; sdp: string; towards: Towards }): Promise<string> {
    const reply = await this.command({
      command: "answer",
      "call-id": o.callId,
      "from-tag": o.fromTag,
      "to-tag": o.toTag,
      sdp: o.sdp,
      ...flagsFor(o.towards, this.o.policy),
    });
    return sdpOf(reply);
  }

  async delete(callId: string): Promise<void> {
    await this.command({ command: "delete", "call-id": callId });
  }

  close(): void {
    this.socket.close();
  }
}

function sdpOf(reply: Dict): string {
  if (typeof reply.sdp !== "string") throw new Error("rtpengine answered without an SDP");
  return reply.sdp;
}
