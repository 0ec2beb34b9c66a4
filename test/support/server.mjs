/**
 * Starts the real `partykit dev` (workerd) on a free port with its own state
 * folder, for integration tests, browser tests, the bench and `npm start`.
 * Kills only the process group it started.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** @returns {Promise<number>} */
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

/**
 * @param {{ port?: number, persist?: string, secrets?: Record<string,string>, quiet?: boolean }} [opts]
 */
export async function startServer(opts = {}) {
  const port = opts.port ?? (await freePort());
  const persist = opts.persist ?? mkdtempSync(join(tmpdir(), "conversas-state-"));
  const secrets = opts.secrets ?? {
    CONVERSAS_SESSION_SECRET: randomBytes(24).toString("base64url"),
    CONVERSAS_ADMIN_KEY: randomBytes(24).toString("base64url"),
  };
  const args = [
    join(ROOT, "node_modules", "partykit", "dist", "bin.mjs"),
    "dev",
    "--port",
    String(port),
    "--persist",
    persist,
    "--no-hotkeys",
    "--disable-request-cf-fetch",
    ...Object.entries(secrets).flatMap(([k, v]) => ["--var", `${k}=${v}`]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "true" },
  });
  let log = "";
  const onData = (/** @type {Buffer} */ d) => {
    log += d.toString();
    if (!opts.quiet) process.stderr.write(d);
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`partykit dev exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${base}/api/ping`);
      if (res.status === 404 || res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`partykit dev did not start on ${port}:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    base,
    wsBase: `ws://127.0.0.1:${port}`,
    persist,
    secrets,
    adminKey: secrets.CONVERSAS_ADMIN_KEY,
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-(/** @type {number} */ (child.pid)), "SIGTERM");
      } catch {
        /* gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-(/** @type {number} */ (child.pid)), "SIGKILL");
        } catch {
          /* gone */
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
