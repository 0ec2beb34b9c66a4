/**
 * Starts the real `wrangler dev` (workerd, local mode) on the Workers build in
 * wrangler.toml, on a free port with its own state folder and random secrets,
 * for the workers smoke test. It runs offline: no metrics, no request.cf
 * download, no interactive session, and no login (local mode needs none).
 * Kills only the process group it started.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { freePort, ROOT } from "./server.mjs";

export const WRANGLER_BIN = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

/** The environment every wrangler invocation here runs with: nothing leaves the machine. */
export const OFFLINE_ENV = {
  ...process.env,
  CI: "true",
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  NO_COLOR: "1",
};

/**
 * @param {{ port?: number, persist?: string, secrets?: Record<string,string>, quiet?: boolean }} [opts]
 */
export async function startWrangler(opts = {}) {
  const port = opts.port ?? (await freePort());
  const inspectorPort = await freePort();
  const persist = opts.persist ?? mkdtempSync(join(tmpdir(), "conversas-wrangler-"));
  const secrets = opts.secrets ?? {
    CONVERSAS_SESSION_SECRET: randomBytes(24).toString("base64url"),
    CONVERSAS_ADMIN_KEY: randomBytes(24).toString("base64url"),
  };
  const args = [
    WRANGLER_BIN,
    "dev",
    "--local",
    "--port",
    String(port),
    "--ip",
    "127.0.0.1",
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    persist,
    "--show-interactive-dev-session=false",
    "--log-level",
    "warn",
    // wrangler's --var is NAME:value (split on the first colon).
    ...Object.entries(secrets).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: OFFLINE_ENV });
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

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${log}`);
    try {
      // Any answer from the worker itself (the API's JSON 404) means it is up.
      const res = await fetch(`${base}/api/ping`);
      if (res.headers.get("content-type")?.includes("application/json")) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not start on ${port}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { port, base, wsBase: `ws://127.0.0.1:${port}`, persist, secrets, adminKey: secrets.CONVERSAS_ADMIN_KEY, log: () => log, stop };
}
