/**
 * Bundles the sip-proxy into one file, `sip-proxy/dist/main.mjs`, runnable with
 * plain `node` (Node 20 cannot run TypeScript). Every dependency is bundled, so
 * the container needs nothing but that file. The bench's relay harness is a
 * separate bundle (`buildBenchRelay`), so no bench code ships.
 *
 * One patch at bundle time: sip.js's peggy grammar rebuilds and decodes its whole
 * bytecode table (hundreds of strings) on every `Grammar.parse` call, about 0.3 ms
 * each, and parsing one message calls it once per header, so a proxy spent ~4 ms
 * per message there. The table is only ever read, so it is built once.
 */
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

const TABLE = "const peg$bytecode = [";
const BUILT_ONCE = "const peg$bytecode = globalThis.__sipProxyPegBytecode ??= [";

/** @type {import("esbuild").Plugin} */
const peggyTableOnce = {
  name: "peggy-table-once",
  setup(b) {
    b.onLoad({ filter: /sip\.js[\\/]lib[\\/]grammar[\\/]pegjs[\\/]dist[\\/]grammar\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      // If sip.js changes this code the bundle still works, only slower: say so rather than fail.
      if (!text.includes(TABLE)) console.warn("sip-proxy build: sip.js grammar changed; its bytecode table is rebuilt per parse");
      return { contents: text.replace(TABLE, BUILT_ONCE), loader: "js" };
    });
  },
};

/** The production bundle, `dist/main.mjs`. */
export function buildSipProxy() {
  return bundle(join(here, "src", "main.ts"), join(here, "dist", "main.mjs"));
}

/** The bench's harness (`src/harness/bench-relay.ts`), `dist/bench-relay.mjs`: never part of the production bundle. */
export function buildBenchRelay() {
  return bundle(join(here, "src", "harness", "bench-relay.ts"), join(here, "dist", "bench-relay.mjs"));
}

/** @param {string} entry  @param {string} outfile */
async function bundle(entry, outfile) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    sourcemap: true,
    external: ["bufferutil", "utf-8-validate"],
    // ws is CommonJS and calls require(); give the ESM bundle a real one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "warning",
    plugins: [peggyTableOnce],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildSipProxy();
