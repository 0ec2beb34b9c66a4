/**
 * Starts the real `partykit dev` (workerd) on a free port with its own state
 * folder, for integration tests, browser tests, the bench and `npm start`.
 * Kills only the process group it started.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, randomSecrets, runService } from "./process.mjs";

export { freePort };
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * @param {{ port?: number, persist?: string, secrets?: Record<string,string>, quiet?: boolean }} [opts]
 */
export async function startServer(opts = {}) {
  const port = opts.port ?? (await freePort());
  const persist = opts.persist ?? mkdtempSync(join(tmpdir(), "conversas-state-"));
  // The share webhook's secret (R30) too, so tests can sign with `secrets.CONVERSAS_WEBHOOK_SECRET`.
  const secrets = opts.secrets ?? Object.assign(randomSecrets(), { CONVERSAS_WEBHOOK_SECRET: randomSecrets().CONVERSAS_SESSION_SECRET });
  const base = `http://127.0.0.1:${port}`;
  const service = await runService({
    name: "partykit dev",
    args: [
      join(ROOT, "node_modules", "partykit", "dist", "bin.mjs"),
      "dev",
      "--port",
      String(port),
      "--persist",
      persist,
      "--no-hotkeys",
      "--disable-request-cf-fetch",
      ...Object.entries(secrets).flatMap(([k, v]) => ["--var", `${k}=${v}`]),
    ],
    cwd: ROOT,
    env: { ...process.env, CI: "true" },
    quiet: opts.quiet,
    // Any answer from the API (its JSON 404 for an unknown route) means the rooms are up.
    isUp: async () => {
      const res = await fetch(`${base}/api/ping`);
      return res.status === 404 || res.ok;
    },
    timeoutMs: 60_000,
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
