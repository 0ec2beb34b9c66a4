/**
 * Runs one local service (wrangler dev) for tests, the bench and `npm start`:
 * spawned in its own process group, polled until it answers, and stopped by
 * signalling only that group. Also random dev secrets and free ports.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";

/**
 * Where freePort() looks: below the kernel's ephemeral range (`ip_local_port_range`, 32768–60999 by default),
 * which every outgoing connection and every "any port" bind (port 0: the SIP peers', wrangler's internal
 * sockets) draws from. A port found free there could be handed to one of those before our server bound it: seen
 * in CI, where wrangler could not bind the port found free for it. From just above baresip's RTP ports
 * (10000–20000, RTCP on the next) to the rtpengine ranges the SIP tests give out (30000 and up).
 */
const PICK_FROM = 20_010;
const PICK_BELOW = (() => {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Math.min(30_000, low);
  } catch {
    return 30_000; // not Linux: the same range
  }
})();

/** Ports this process handed out lately: two picks in a row, before either is bound, must not be the same one. */
const handedOut = new Set();
/** @param {number} port */
function handOut(port) {
  handedOut.add(port);
  if (handedOut.size > 1_000) handedOut.delete(/** @type {number} */ (handedOut.values().next().value));
}

/** @param {number} port @returns {Promise<boolean>} nothing holds `port` on 127.0.0.1, TCP or UDP (SIP peers use both) */
function isFree(port) {
  return new Promise((resolve) => {
    const tcp = createServer();
    tcp.once("error", () => resolve(false));
    tcp.listen(port, "127.0.0.1", () => {
      const udp = createSocket("udp4");
      udp.once("error", () => {
        udp.close();
        tcp.close(() => resolve(false));
      });
      udp.bind(port, "127.0.0.1", () => udp.close(() => tcp.close(() => resolve(true))));
    });
  });
}

/**
 * The first of `count` ports in a row that are free on 127.0.0.1 right now (TCP and UDP) and were not handed out
 * lately, below the ephemeral range; a single port from the kernel (port 0) when none is found there.
 * @param {number} [count]  @returns {Promise<number>}
 */
export async function freePort(count = 1) {
  for (let i = 0; PICK_BELOW - PICK_FROM > 100 && i < 50; i++) {
    const first = PICK_FROM + Math.floor(Math.random() * (PICK_BELOW - PICK_FROM - count + 1));
    const run = Array.from({ length: count }, (_, k) => first + k);
    if (run.some((p) => handedOut.has(p))) continue;
    let free = true;
    for (const p of run) if (!(free = await isFree(p))) break;
    if (!free) continue;
    run.forEach(handOut);
    return first;
  }
  if (count > 1) throw new Error(`no ${count} free ports in a row on 127.0.0.1`);
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      handOut(port);
      srv.close(() => resolve(port));
    });
  });
}

/** Fresh random values for the two secrets the rooms need. */
export function randomSecrets() {
  return {
    CONVERSAS_SESSION_SECRET: randomBytes(24).toString("base64url"),
    CONVERSAS_ADMIN_KEY: randomBytes(24).toString("base64url"),
  };
}

/**
 * @param {{
 *   name: string,
 *   args: string[],
 *   cwd: string,
 *   env: NodeJS.ProcessEnv,
 *   quiet?: boolean,
 *   isUp: () => Promise<boolean>,
 *   timeoutMs: number,
 * }} opts
 */
export async function runService(opts) {
  const child = spawn(process.execPath, opts.args, { cwd: opts.cwd, detached: true, stdio: ["ignore", "pipe", "pipe"], env: opts.env });
  /** @type {Error | null} */
  let failed = null;
  child.once("error", (err) => (failed = err));
  /** Settles once the child has exited and its output has been read to the end. */
  const closed = new Promise((r) => child.once("close", r));
  let log = "";
  const onData = (/** @type {Buffer} */ d) => {
    log += d.toString();
    if (!opts.quiet) process.stderr.write(d);
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    const kill = (/** @type {NodeJS.Signals} */ sig) => {
      try {
        process.kill(-(/** @type {number} */ (child.pid)), sig);
      } catch {
        /* gone */
      }
    };
    kill("SIGTERM");
    const timer = setTimeout(() => kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (failed) throw new Error(`${opts.name} could not start: ${/** @type {Error} */ (failed).message}`);
    if (child.exitCode !== null) {
      // What it started (workerd) may outlive it: its process group goes too. Its last words (why it exited:
      // what the caller's retry looks for) may still be in the pipes: they are read to the end first.
      try {
        process.kill(-(/** @type {number} */ (child.pid)), "SIGKILL");
      } catch {
        /* gone */
      }
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
      throw new Error(`${opts.name} exited (${child.exitCode}):\n${log}`);
    }
    try {
      if (await opts.isUp()) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${opts.name} did not start in ${opts.timeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { log: () => log, stop, pid: /** @type {number} */ (child.pid) };
}
