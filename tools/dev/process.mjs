/**
 * Runs one local service (wrangler dev) for tests, the bench and `npm start`:
 * spawned in its own process group, polled until it answers, and stopped by
 * signalling only that group. Also random dev secrets and free ports.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";

/** @returns {Promise<number>} a TCP port free on 127.0.0.1 right now */
export function freePort() {
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
