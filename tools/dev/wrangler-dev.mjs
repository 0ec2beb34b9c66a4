/**
 * `wrangler dev` through wrangler's own API (`unstable_startWorker`, what the
 * CLI runs), for the one thing the CLI cannot say: no DevTools inspector.
 *
 * With the inspector on, wrangler's inspector proxy enables the runtime's
 * Network domain and hands every event to this Node process over an HTTP
 * loopback: four or five events per room-to-room call, each also written to
 * wrangler's debug log file. Measured on a browser test file (messaging,
 * 9 tests): 4,494 loopback requests; on four browser files the inspector cost
 * ~5 s of wrangler's Node CPU and ~4.5 s of workerd's (17.5 → 12.2 s, 15.4 → 10.9 s).
 * A deployment has no inspector, so tests and the bench run without it; `npm
 * start` keeps it (`--inspector-port`) for a developer's DevTools.
 *
 * Run as a child (tools/dev/runtime.mjs): options on the command line are paths
 * and ports only; settings and secrets come from the env file.
 */
import { createRequire } from "node:module";
import { parseArgs } from "node:util";

// Required, not imported: importing wrangler's 10 MB CommonJS bundle as ESM parses it once more for its
// export names (~0.4 s of the launcher's ~1.3 s of CPU, measured), and a test run starts ~50 servers.
/** @type {typeof import("wrangler")} */
const { unstable_startWorker } = createRequire(import.meta.url)("wrangler");

const { values: o } = parseArgs({
  options: {
    config: { type: "string" },
    bundle: { type: "string" },
    assets: { type: "string" },
    "env-file": { type: "string" },
    port: { type: "string" },
    persist: { type: "string" },
    "log-level": { type: "string", default: "warn" },
    "inspector-port": { type: "string" },
  },
});

const worker = await unstable_startWorker({
  config: o.config,
  ...(o.bundle ? { entrypoint: o.bundle, build: { bundle: false } } : {}),
  ...(o.assets ? { assets: o.assets } : {}),
  envFiles: o["env-file"] ? [o["env-file"]] : [],
  sendMetrics: false,
  dev: {
    remote: false,
    server: { hostname: "127.0.0.1", port: Number(o.port) },
    inspector: o["inspector-port"] ? { hostname: "127.0.0.1", port: Number(o["inspector-port"]) } : false,
    persist: o.persist,
    logLevel: /** @type {"warn"} */ (o["log-level"]),
    // The live source (npm start) is rebuilt on change; a frozen bundle never is.
    watch: !o.bundle,
    liveReload: false,
  },
});
// A start that fails (workerd exits: our port was taken by another process after it was found free) reaches
// wrangler only as an error event nobody acts on: at log level "warn" it printed nothing, the start never became
// ready, and the caller waited out its whole timeout (seen in CI: "bind: Address already in use" in wrangler's debug
// log, then 120 s of silence). So the launcher says it and exits, and the caller tries again on other ports. The
// start is over once the proxy is ready and the worker's own runtime has loaded for the first time (`ready` is the
// proxy's alone); after that an error is printed and the server keeps running (npm start's reloads).
let up = false;
worker.raw.on("error", (/** @type {any} */ err) => {
  // A wrangler UserError carries its message; a runtime failure comes as an event { source, reason, cause }.
  const what =
    err instanceof Error
      ? err.message
      : [err?.source, err?.reason, err?.cause?.message, err?.cause?.cause?.message].filter(Boolean).join(": ") || String(err);
  console.error(`wrangler dev: ${what}`);
  if (!up) process.exit(1);
});
await Promise.all([worker.ready, worker.raw.proxy.localServerReady.promise]);
up = true;

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await worker.dispose().catch(() => {});
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
