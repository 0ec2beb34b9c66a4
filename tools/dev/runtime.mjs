/**
 * Runs the rooms on `wrangler dev` — the workerd that wrangler ships, the
 * runtime a deployment uses — for `npm start`, every test suite and the bench,
 * started through wrangler's API by `wrangler-dev.mjs` (so the DevTools
 * inspector can be left off).
 *
 * Two ways:
 * - live (`npm start`): the repository's wrangler.toml as it is, rebuilt by
 *   wrangler when a source file changes, with the inspector;
 * - frozen (tests, bench): the worker bundled once (`wrangler deploy --dry-run`,
 *   the very bundle a deploy uploads) into a folder of its own and run as it
 *   is, unwatched and without the inspector, so editing the working tree never
 *   restarts a running suite, and with its own static folder, so a test build
 *   never touches web/dist.
 *
 * Settings and secrets go in an env file (mode 600), never on the command line
 * where `ps` would show them. State lives in the `persist` folder and survives
 * restarts. Only the process group started here is ever stopped.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { freePort, randomSecrets, runService } from "./process.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const WRANGLER_BIN = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
/** `wrangler dev` through wrangler's API, with or without the inspector. */
const DEV_LAUNCHER = join(ROOT, "tools", "dev", "wrangler-dev.mjs");

/** Temp folders made here for servers (state, settings, an empty static folder), until removeTempDirs(). */
const tempDirs = [];
/** A new temp folder, removed by removeTempDirs(). @param {string} prefix */
export const tempDir = (prefix) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
};

/**
 * Removes the temp folders of the servers this process started (call it once they
 * have stopped: a test file's end). A run of the suites started ~50 servers and
 * left each one's state and its settings file (secrets) behind in /tmp.
 */
export function removeTempDirs() {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The environment every wrangler invocation here runs with: nothing leaves the machine. */
export const OFFLINE_ENV = {
  ...process.env,
  CI: "true",
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  NO_COLOR: "1",
};

/**
 * Bundles the worker as a deploy would, into `outDir` (a new temp folder by default).
 * @param {string} [outDir]
 * @returns {string} the bundle's path
 */
export function bundleWorker(outDir = mkdtempSync(join(tmpdir(), "conversas-worker-"))) {
  mkdirSync(outDir, { recursive: true });
  const assets = mkdtempSync(join(tmpdir(), "conversas-noassets-"));
  const run = spawnSync(process.execPath, [WRANGLER_BIN, "deploy", "--dry-run", "--outdir", outDir, "--assets", assets], {
    cwd: ROOT,
    env: OFFLINE_ENV,
    encoding: "utf8",
    timeout: 120_000,
  });
  rmSync(assets, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.stdout}\n${run.stderr}`);
  return join(outDir, "worker.js");
}

/**
 * @param {{
 *   port?: number,
 *   persist?: string,
 *   secrets?: Record<string, string>,
 *   vars?: Record<string, string>,
 *   quiet?: boolean,
 *   bundle?: string,
 *   assets?: string,
 *   config?: string,
 *   logLevel?: "log" | "info" | "warn",
 *   inspector?: boolean,
 * }} [opts] `bundle`: a bundleWorker() result (frozen); without it, the live source.
 *   `config`: another wrangler config than the repository's (a test's fixture worker).
 *   `inspector`: DevTools on a free port (npm start), off otherwise.
 */
export async function startServer(opts = {}) {
  // A port found free can be taken by another process before wrangler binds it (a shared
  // machine, several suites at once): then the start is tried again on other ports. A runtime
  // that says only that it "failed to start" (seen in CI: a browser file's server) is tried
  // again too. Either way the launcher (wrangler-dev.mjs) exits saying why, where wrangler
  // alone would have waited in silence.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerOnce(opts);
    } catch (err) {
      const raced = /Address already in use|EADDRINUSE|Workers runtime failed to start/i.test(String(err));
      if (!raced || opts.port !== undefined || attempt >= 3) throw err;
    }
  }
}

/** @param {Parameters<typeof startServer>[0]} [opts] */
async function startServerOnce(opts = {}) {
  const port = opts.port ?? (await freePort());
  const persist = opts.persist ?? tempDir("conversas-state-");
  const secrets = opts.secrets ?? Object.assign(randomSecrets(), { CONVERSAS_WEBHOOK_SECRET: randomSecrets().CONVERSAS_SESSION_SECRET });
  const settings = { ...secrets, ...opts.vars };
  const envDir = tempDir("conversas-env-");
  const envFile = join(envDir, "vars.env");
  writeFileSync(
    envFile,
    Object.entries(settings)
      .map(([k, v]) => `${k}=${JSON.stringify(String(v))}`)
      .join("\n") + "\n",
    { mode: 0o600 },
  );
  chmodSync(envFile, 0o600);
  const assets = opts.assets ?? (opts.bundle ? tempDir("conversas-noassets-") : undefined);
  const args = [
    DEV_LAUNCHER,
    "--config",
    opts.config ?? join(ROOT, "wrangler.toml"),
    ...(opts.bundle ? ["--bundle", opts.bundle] : []),
    ...(assets ? ["--assets", assets] : []),
    "--env-file",
    envFile,
    "--port",
    String(port),
    // Tests and the bench run without the DevTools inspector, as a deployment does (wrangler-dev.mjs says why).
    ...(opts.inspector ? ["--inspector-port", String(await freePort())] : []),
    "--persist",
    persist,
    "--log-level",
    opts.logLevel ?? (process.env.CONVERSAS_DEV_LOGS ? "info" : "warn"),
  ];
  const base = `http://127.0.0.1:${port}`;
  // Any answer from the worker itself (the API's JSON 404) means the rooms are up.
  const isUp = opts.config ? async () => (await fetch(`${base}/`, { signal: AbortSignal.timeout(10_000) })).status > 0 : undefined;
  return serveRuntime("wrangler dev", args, { port, persist, secrets, quiet: opts.quiet, isUp });
}

/**
 * Runs a runtime (wrangler dev, or Miniflare directly) as a child until it answers,
 * and says how to reach it; by default it is up when `/api/ping` answers JSON.
 * @param {string} name  @param {string[]} args
 * @param {{ port: number, persist: string, secrets: { CONVERSAS_ADMIN_KEY: string } & Record<string, string>, quiet?: boolean, isUp?: () => Promise<boolean> }} o
 */
export async function serveRuntime(name, args, { port, persist, secrets, quiet, isUp }) {
  const base = `http://127.0.0.1:${port}`;
  const service = await runService({
    name,
    args,
    cwd: ROOT,
    env: OFFLINE_ENV,
    quiet,
    // Each probe gives up after 10 s, so one held request cannot outlast the start's deadline.
    isUp:
      isUp ??
      (async () =>
        (await fetch(`${base}/api/ping`, { signal: AbortSignal.timeout(10_000) })).headers
          .get("content-type")
          ?.includes("application/json") ?? false),
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
    pid: service.pid,
    stop: service.stop,
  };
}
