/**
 * SIP bench (issue 6): what the sip-proxy adds to INVITE→200 OK, and how many
 * concurrent dialogs it holds before that latency doubles. sipp (`-sn uas`)
 * answers; the caller is a small UDP UAC here, because sipp times responses in
 * whole milliseconds and the figure we want is well under one. Direct calls
 * (UAC → sipp) and proxied calls (UAC → proxy → sipp) alternate in one run. The
 * proxy runs in PBX mode from its bench harness (`sip-proxy/src/harness/bench-relay.ts`, a
 * bundle of its own), which sends INVITEs from the PBX side to sipp instead of a
 * browser, so the whole SIP path (parse, transactions, call table,
 * Via/Record-Route rewriting, serialise) is measured.
 * Every wait has a deadline; only processes started here are stopped.
 */
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { summarize, ratio } from "../stats.mjs";
import { buildBenchRelay } from "../../sip-proxy/build.mjs";

/** @param {string} cmd  @param {string[]} args  @param {Record<string, string>} [env]  @param {boolean} [quiet] */
function start(cmd, args, env, quiet = false) {
  // sipp redraws its screen on stdout all run long: nobody reads it.
  const child = spawn(cmd, args, { detached: true, stdio: quiet ? "ignore" : ["ignore", "pipe", "pipe"], env: env ?? process.env });
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  // A program that cannot start (not installed) fails the phase through its missing answers, not the whole bench.
  child.on("error", (e) => (out += `${cmd}: ${e.message}\n`));
  return {
    child,
    out: () => out,
    async stop() {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-(/** @type {number} */ (child.pid)), "SIGKILL");
      } catch {
        /* gone */
      }
      await exited;
    },
  };
}

/** A UDP user agent client that times INVITE→final response with a sub-millisecond clock. */
export async function uac() {
  const sock = createSocket("udp4");
  await new Promise((r) => sock.bind(0, "127.0.0.1", () => r(undefined)));
  const port = /** @type {{port: number}} */ (sock.address()).port;
  /** @type {Map<string, (text: string) => void>} */
  const waiting = new Map();
  sock.on("message", (msg) => {
    const text = msg.toString();
    if (!text.startsWith("SIP/2.0 ")) return;
    const status = Number(text.slice(8, 11));
    const callId = /\r\nCall-ID: *([^\r]+)/i.exec(text)?.[1];
    const method = /\r\nCSeq: *\d+ +(\w+)/i.exec(text)?.[1];
    if (status >= 200 && callId) waiting.get(`${callId}|${method}`)?.(text);
  });
  const id = () => randomBytes(6).toString("hex");

  /** @param {{host: string, port: number}} to  @param {string} key  @param {string} text  @param {number} timeoutMs */
  function request(to, key, text, timeoutMs) {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        waiting.delete(key);
        reject(new Error(`no answer to ${key}`));
      }, timeoutMs);
      waiting.set(key, (res) => {
        clearTimeout(t);
        waiting.delete(key);
        resolve(res);
      });
      sock.send(text, to.port, to.host);
    });
  }

  /**
   * One call up to the ACK; returns the INVITE→200 time and a hang-up function.
   * @param {{host: string, port: number}} to  @param {number} timeoutMs
   */
  async function call(to, timeoutMs) {
    const callId = `${id()}@bench`;
    const fromTag = id();
    const target = `sip:3000@${to.host}:${to.port}`;
    const sdp =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    const head = (/** @type {string} */ method, /** @type {number} */ cseq, /** @type {string} */ to_) =>
      [
        `${method} ${target} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${id()};rport`,
        "Max-Forwards: 70",
        `From: <sip:bench@127.0.0.1:${port}>;tag=${fromTag}`,
        `To: ${to_}`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} ${method}`,
        `Contact: <sip:bench@127.0.0.1:${port}>`,
      ].join("\r\n");
    const invite = `${head("INVITE", 1, `<sip:3000@${to.host}>`)}\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`;
    const t0 = performance.now();
    const res = /** @type {string} */ (await request(to, `${callId}|INVITE`, invite, timeoutMs));
    const ms = performance.now() - t0;
    if (!res.startsWith("SIP/2.0 200")) throw new Error(`INVITE answered ${res.slice(8, 11)}`);
    const toHeader = /** @type {string} */ (/\r\nTo: *([^\r]+)/i.exec(res)?.[1]);
    sock.send(`${head("ACK", 1, toHeader)}\r\nContent-Length: 0\r\n\r\n`, to.port, to.host);
    return {
      ms,
      hangup: async () => {
        await request(to, `${callId}|BYE`, `${head("BYE", 2, toHeader)}\r\nContent-Length: 0\r\n\r\n`, timeoutMs);
      },
    };
  }
  return { call, close: () => sock.close() };
}

/**
 * @param {{
 *   root: string, freePort: () => Promise<number>, calls: number, warmup: number,
 *   levels: number[], probes: number, batch: number, timeoutMs: number,
 * }} o
 */
export async function measureSip(o) {
  /** @type {Array<{ stop(): Promise<void> }>} */
  const started = [];
  try {
    const uasPort = await o.freePort();
    const uas = start("sipp", ["-sn", "uas", "-i", "127.0.0.1", "-p", String(uasPort), "-nostdin"], undefined, true);
    started.push(uas);
    await buildBenchRelay();
    const proxy = start(process.execPath, [join(o.root, "sip-proxy", "dist", "bench-relay.mjs")], {
      PATH: process.env.PATH ?? "",
      CONVERSAS_SESSION_SECRET: randomBytes(24).toString("hex"),
      CONVERSAS_API: "http://127.0.0.1:9",
      SIP_PROXY_PORT: "0",
      SIP_PROXY_SIP_PORT: "0",
      SIP_PBX: `udp:127.0.0.1:${uasPort}`,
      SIP_PBX_TENANT: "bench",
      BENCH_RELAY: `udp:127.0.0.1:${uasPort}`,
      // Its own state file: the bench must never withdraw registrations another run left.
      SIP_STATE_FILE: join(tmpdir(), `conversas-sip-bench-${process.pid}.json`),
    });
    started.push(proxy);
    const deadline = Date.now() + o.timeoutMs;
    let m;
    while (!(m = /sip-proxy ready ws=\d+ sip=(\d+)/.exec(proxy.out()))) {
      if (Date.now() > deadline || proxy.child.exitCode !== null) throw new Error(`sip-proxy did not start: ${proxy.out()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const direct = { host: "127.0.0.1", port: uasPort };
    const via = { host: "127.0.0.1", port: Number(m[1]) };
    const ua = await uac();
    started.push({ stop: async () => ua.close() });

    // Latency: direct and proxied calls alternate, one in flight.
    /** @type {number[]} */ const directMs = [];
    /** @type {number[]} */ const proxiedMs = [];
    for (let i = 0; i < o.warmup + o.calls; i++) {
      for (const [to, samples] of /** @type {const} */ ([
        [direct, directMs],
        [via, proxiedMs],
      ])) {
        const c = await ua.call(to, o.timeoutMs);
        await c.hangup();
        if (i >= o.warmup) samples.push(c.ms);
      }
    }
    const directSummary = summarize(directMs);
    const proxiedSummary = summarize(proxiedMs);

    // Concurrency: hold more and more dialogs open through the proxy; probe INVITE→200 at each level.
    /** @type {Array<{ms: number, hangup(): Promise<void>}>} */
    const held = [];
    /** @type {Array<{held: number, p50: number, p99: number, failed: number}>} */
    const ramp = [];
    let heldBeforeDoubling = 0;
    try {
      for (const level of o.levels) {
        let failed = 0;
        while (held.length < level) {
          const n = Math.min(o.batch, level - held.length);
          const got = await Promise.allSettled(Array.from({ length: n }, () => ua.call(via, o.timeoutMs)));
          for (const g of got) g.status === "fulfilled" ? held.push(g.value) : failed++;
          if (failed > level / 10) break;
        }
        /** @type {number[]} */ const probe = [];
        for (let i = 0; i < o.probes; i++) {
          const c = await ua.call(via, o.timeoutMs).catch(() => null);
          if (!c) {
            failed++;
            continue;
          }
          probe.push(c.ms);
          await c.hangup().catch(() => failed++);
        }
        const s = summarize(probe);
        ramp.push({ held: held.length, p50: s.p50, p99: s.p99, failed });
        if (failed > 0 || !(s.p50 < 2 * proxiedSummary.p50)) break;
        heldBeforeDoubling = held.length;
      }
    } finally {
      for (let i = 0; i < held.length; i += o.batch) await Promise.allSettled(held.slice(i, i + o.batch).map((c) => c.hangup()));
    }
    return {
      direct: directSummary,
      proxied: proxiedSummary,
      addedP50Ms: Math.round((proxiedSummary.p50 - directSummary.p50) * 1000) / 1000,
      addedP99Ms: Math.round((proxiedSummary.p99 - directSummary.p99) * 1000) / 1000,
      p50xDirect: ratio(proxiedSummary.p50, directSummary.p50),
      ramp,
      heldBeforeDoubling,
    };
  } finally {
    for (const s of started.reverse()) await s.stop();
  }
}
