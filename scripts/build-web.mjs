/**
 * Builds the web client with esbuild into web/dist: ES modules with code
 * splitting (heavy parts such as sip.js load on demand as their own chunks),
 * hashed file names, web/public copied as is, and the emoji picker's data.
 * Returns the entry's size.
 */
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const WEB = join(ROOT, "web");
const OUT = join(WEB, "dist");

export async function buildWeb({ minify = true } = {}) {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(join(OUT, "assets"), { recursive: true });
  if (existsSync(join(WEB, "public"))) cpSync(join(WEB, "public"), OUT, { recursive: true });
  // The emoji picker's Portuguese data, served from our origin (the picker would otherwise fetch it from a CDN).
  mkdirSync(join(OUT, "emoji"), { recursive: true });
  cpSync(join(ROOT, "node_modules", "emoji-picker-element-data", "pt", "cldr", "data.json"), join(OUT, "emoji", "pt.json"));
  const result = await build({
    entryPoints: { app: join(WEB, "src", "main.tsx") },
    bundle: true,
    splitting: true,
    format: "esm",
    target: "es2022",
    minify,
    sourcemap: true,
    jsx: "automatic",
    jsxImportSource: "preact",
    outdir: join(OUT, "assets"),
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[name]-[hash]",
    assetNames: "[name]-[hash]",
    loader: { ".css": "css", ".svg": "file", ".mp3": "file", ".wav": "file" },
    metafile: true,
    logLevel: "warning",
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([f]) => /assets\/app-[^/]+\.js$/.test(f));
  const css = outputs.find(([f]) => /assets\/app-[^/]+\.css$/.test(f));
  if (!entry) throw new Error("web build produced no entry");
  const rel = (/** @type {string} */ f) => "/" + f.slice(f.indexOf("assets/"));
  const template = readFileSync(join(WEB, "index.html"), "utf8");
  const html = template
    .replace("<!--CSS-->", css ? `<link rel="stylesheet" href="${rel(css[0])}">` : "")
    .replace("<!--APP-->", `<script type="module" src="${rel(entry[0])}"></script>`);
  writeFileSync(join(OUT, "index.html"), html);
  // What the first screen downloads: the entry, every chunk it imports statically
  // (transitively), and its CSS. Dynamic imports (sip.js, the emoji picker, Yjs) load later.
  const initial = new Set([entry[0]]);
  for (const queue = [entry[0]]; queue.length;) {
    for (const imp of result.metafile.outputs[/** @type {string} */ (queue.pop())]?.imports ?? []) {
      if (imp.kind === "import-statement" && !initial.has(imp.path)) {
        initial.add(imp.path);
        queue.push(imp.path);
      }
    }
  }
  const initialBytes = [...initial].reduce((n, f) => n + (result.metafile.outputs[f]?.bytes ?? 0), 0) + (css ? css[1].bytes : 0);
  const lazy = outputs.filter(([f, o]) => f.endsWith(".js") && !initial.has(f) && o.bytes > 0);
  return {
    entry: rel(entry[0]),
    entryBytes: entry[1].bytes,
    initialBytes,
    lazyBytes: lazy.reduce((n, [, o]) => n + o.bytes, 0),
    outputs: outputs.map(([f, o]) => ({ file: rel(f), bytes: o.bytes })),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const info = await buildWeb({ minify: !process.argv.includes("--dev") });
  const kib = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(
    `web/dist: ${info.entry} (${kib(info.entryBytes)}); first screen ${kib(info.initialBytes)}; on demand ${kib(info.lazyBytes)}`,
  );
}
