/**
 * Bundles the sip-proxy into one file, `sip-proxy/dist/main.mjs`, runnable with
 * plain `node` (Node 20 cannot run TypeScript). Every dependency is bundled, so
 * the container needs nothing but that file.
 */
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

export async function buildSipProxy() {
  await build({
    entryPoints: [join(here, "src", "main.ts")],
    outfile: join(here, "dist", "main.mjs"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    sourcemap: true,
    external: ["bufferutil", "utf-8-validate"],
    // ws is CommonJS and calls require(); give the ESM bundle a real one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildSipProxy();
