/**
 * The frozen worker bundle on Miniflare directly, without wrangler dev's proxy:
 * `wrangler dev` puts a second workerd in front of the one that runs the worker
 * (its proxy), a hop a deployment does not have. The bench runs the same bundle
 * both ways to say what that hop costs (issue 15).
 *
 * The worker's options (Durable Object classes on SQLite, R2, compatibility date
 * and flags, the static-assets router in front) come from wrangler.toml through
 * wrangler's own `unstable_getMiniflareWorkerOptions`, so they match what wrangler
 * dev would run; state goes to `<persist>/v3` as wrangler dev keeps it, under the
 * same worker name, so either launcher can open the other's state. Miniflare
 * names modules relative to `modulesRoot` and rejects a name that climbs out of
 * it, so the root is the bundle's own folder.
 *
 * `startDirectServer()` answers like runtime.mjs `startServer()`; it runs
 * Miniflare in a child process (its own process group, stopped by pid only),
 * with settings in an env file of mode 600 as runtime.mjs does.
 */
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, randomSecrets } from "./process.mjs";
import { ROOT, serveRuntime, tempDir } from "./runtime.mjs";

const HERE = fileURLToPath(import.meta.url);

/**
 * @param {{ bundle: string, port?: number, persist?: string, secrets?: Record<string, string>,
 *   vars?: Record<string, string>, quiet?: boolean, assets?: string, inspectorPort?: number }} opts
 *   `inspectorPort`: workerd's DevTools inspector on 127.0.0.1 (bench/profile.mjs takes CPU profiles through it)
 */
export async function startDirectServer(opts) {
  const port = opts.port ?? (await freePort());
  const persist = opts.persist ?? tempDir("conversas-state-");
  const secrets = opts.secrets ?? Object.assign(randomSecrets(), { CONVERSAS_WEBHOOK_SECRET: randomSecrets().CONVERSAS_SESSION_SECRET });
  const dir = tempDir("conversas-miniflare-");
  const configFile = join(dir, "config.json");
  const config = {
    bundle: opts.bundle,
    port,
    persist,
    assets: opts.assets ?? tempDir("conversas-noassets-"),
    bindings: { ...secrets, ...opts.vars },
    inspectorPort: opts.inspectorPort,
  };
  writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
  chmodSync(configFile, 0o600);
  return serveRuntime("miniflare (direct)", [HERE, configFile], { port, persist, secrets, quiet: opts.quiet });
}

/** The child: reads its config, starts Miniflare, stops it on SIGTERM. @param {string} configFile */
async function serve(configFile) {
  const config = JSON.parse(readFileSync(configFile, "utf8"));
  const { Miniflare, Log, LogLevel } = await import("miniflare");
  const { unstable_getMiniflareWorkerOptions } = await import("wrangler");
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, "wrangler.toml"), undefined, {
    overrides: { assets: { directory: config.assets } },
  });
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: config.port,
    log: new Log(LogLevel.WARN),
    ...(config.inspectorPort ? { inspectorPort: config.inspectorPort } : {}),
    defaultPersistRoot: join(config.persist, "v3"),
    workers: [
      {
        ...workerOptions,
        name: "conversas",
        modules: true,
        scriptPath: config.bundle,
        modulesRoot: dirname(config.bundle),
        bindings: { ...workerOptions.bindings, ...config.bindings },
      },
    ],
  });
  await mf.ready;
  const stop = () => void mf.dispose().finally(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

if (process.argv[1] === HERE) {
  serve(/** @type {string} */ (process.argv[2])).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
