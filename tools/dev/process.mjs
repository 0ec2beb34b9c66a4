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
 * which every outgoing connection and every "any port" bind (wrangler's own picks for workerd, the SIP peers')
 * draws from. A port found free there can be handed to one of those before its server binds it: seen in CI, where
 * workerd could not bind a port wrangler had just found free. Above baresip's RTP ports (10000–20000) and below
 * the rtpengine ranges the SIP tests give out (30000 and up).
 */
const PICK_FROM = 20_000;
const pickBelow = () => {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Math.min(30_000, low);
  } catch {
    return 30_000; // not Linux: the same range
  }
};

/** @param {number} port @returns {Promise<boolean>} nothing holds `port` on 127.0.0.1, TCP or UDP (SIP peers use both) */
function isFree(port) {
  return new Promise((resolve) => {
    const tcp = createServer();
    tcp.once("error", () => resolve(false));
    tcp.listen(port, "127.0.0.1", () => {
      const udp = createSocket("udp4");
      udp.once("error", () => tcp.close(() => resolve(false)));
      udp.bind(port, "127.0.0.1", () => udp.close(() => tcp.close(() => resolve(true))));
    });
  });
}

/** @returns {Promise<number>} a port free on 127.0.0.1 right now (TCP and UDP), outside the ephemeral range when it can */
export async function freePort() {
  const below = pickBelow();
  for (let i = 0; below - PICK_FROM > 100 && i < 50; i++) {
    const port = PICK_FROM + Math.floor(Math.random() * (below - PICK_FROM));
    if (await isFree(port)) return port;
  }
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
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
      // What it started (workerd) may outlive it: its process group goes too.
      try {
        process.kill(-(/** @type {number} */ (child.pid)), "SIGKILL");
      } catch {
        /* gone */
      }
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
