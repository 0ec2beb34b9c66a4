/**
 * Starts the real `wrangler dev` (workerd, local mode) on the Workers build in
 * wrangler.toml, on a free port with its own state folder and random secrets,
 * for the workers smoke test. It runs offline: no metrics, no request.cf
 * download, no interactive session, and no login (local mode needs none).
 * Kills only the process group it started.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./server.mjs";
import { freePort, randomSecrets, runService } from "./process.mjs";

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
  const secrets = opts.secrets ?? randomSecrets();
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
  const base = `http://127.0.0.1:${port}`;
  const service = await runService({
    name: "wrangler dev",
    args,
    cwd: ROOT,
    env: OFFLINE_ENV,
    quiet: opts.quiet,
    // Any answer from the worker itself (the API's JSON 404) means it is up.
    isUp: async () => (await fetch(`${base}/api/ping`)).headers.get("content-type")?.includes("application/json") ?? false,
    timeoutMs: 120_000,
  });
  return {
    port,
    base,
    wsBase: `ws://127.0.0.1:${port}`,
    persist,
    secrets,
    adminKey: secrets.CONVERSAS_ADMIN_KEY,
    log: service.log,
    stop: service.stop,
  };
}
