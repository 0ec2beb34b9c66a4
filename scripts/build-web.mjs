/**
 * Builds the web client with esbuild into web/dist: ES modules with code
 * splitting (heavy parts such as sip.js load on demand as their own chunks),
 * hashed file names, web/public copied as is (the web app manifest and its
 * icons among them), the emoji picker's data, and the service worker (web/sw.js
 * with this build's shell and version). Returns the bundle's sizes: entry, first
 * screen (also gzipped), on demand.
 *
 * `withoutSoftphone` builds the same client with the softphone's door
 * (ui/calls/loader.tsx) swapped for a stub with the same exports, so the bench
 * can print the softphone's share of the first screen (issue 7: it must not grow).
 * `outDir` lets such a measuring build go elsewhere than web/dist.
 */
import { build, transform } from "esbuild";
import { cpSync, mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const WEB = join(ROOT, "web");
const OUT = join(WEB, "dist");
const LOADER = join(WEB, "src", "ui", "calls", "loader");
const LOADER_STUB = join(WEB, "src", "ui", "calls", "loader.stub.tsx");

/** Resolves every import of the calls loader, from wherever, to its stub. @type {import("esbuild").Plugin} */
const stubSoftphone = {
  name: "stub-softphone",
  setup(b) {
    b.onResolve({ filter: /(^|\/)loader(\.tsx)?$/ }, (args) =>
      resolve(args.resolveDir, args.path).replace(/\.tsx$/, "") === LOADER ? { path: LOADER_STUB } : undefined,
    );
  },
};

/**
 * A stylesheet imported `with { type: "text" }` (an on-demand part's own styles,
 * which it adds to the page itself) is minified like the main one.
 * @type {import("esbuild").Plugin}
 */
const cssAsText = {
  name: "css-as-text",
  setup(b) {
    b.onLoad({ filter: /\.css$/ }, async (args) => {
      if (args.with.type !== "text") return undefined;
      const source = readFileSync(args.path, "utf8");
      const minify = b.initialOptions.minify;
      return { contents: minify ? (await transform(source, { loader: "css", minify })).code : source, loader: "text" };
    });
  },
};

/**
 * valibot's schema builders have no side effects, but esbuild cannot know that
 * of a call, so every schema in protocol/ (and party/domain/) that the client
 * imports a module of would ship in the first screen although the client never
 * validates with them: it takes the protocol's constants and helpers. Marking the
 * builders pure lets esbuild drop the unused ones (about 5 KB of the first screen).
 * `parse`, `parseAsync` and `assert` stay unmarked: throwing is their effect.
 * @type {import("esbuild").Plugin}
 */
const pureSchemas = {
  name: "pure-schemas",
  setup(b) {
    b.onLoad({ filter: /[\\/](protocol|party[\\/]domain)[\\/][^\\/]+\.ts$/ }, async (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes('import * as v from "valibot"')) return undefined;
      const marked = source.replace(/(?<![\w.$])v\.(\w+)\(/g, (call, name) =>
        /^(parse|parseAsync|assert)$/.test(name) ? call : `${MARK}${call}`,
      );
      // A textual edit, so check that it only added annotations: esbuild prints a real one as PURE, while
      // one that landed in a string keeps MARK's spelling and one in a comment breaks the parse.
      const out = async (/** @type {string} */ code) => (await transform(code, { loader: "ts" })).code;
      try {
        const [mine, theirs] = await Promise.all([out(marked), out(source)]);
        if (!mine.includes(MARK) && mine.replaceAll(PURE, "") === theirs.replaceAll(PURE, "")) return { contents: marked, loader: "ts" };
      } catch {
        /* fall through */
      }
      console.warn(`build-web: ${args.path} built without pure annotations (a "v." call inside a string or comment?)`);
      return undefined;
    });
  },
};
const MARK = "/*@__PURE__*/";
const PURE = "/* @__PURE__ */ ";

/** Files of web/public the service worker keeps from the start, beside the first screen's. */
const PUBLIC_SHELL = ["/favicon.svg", "/manifest.webmanifest", "/icons/icon-192.png", "/icons/icon-512.png"];

/**
 * web/sw.js with this build's shell and version: the version is a hash of the
 * shell's bytes, so a new build is a new cache and an unchanged one keeps its own.
 * @param {string} outDir @param {string[]} shell
 */
async function writeServiceWorker(outDir, shell) {
  const hash = createHash("sha256");
  for (const path of shell) hash.update(path).update(readFileSync(join(outDir, path === "/" ? "index.html" : path)));
  const version = hash.digest("hex").slice(0, 16);
  const source = readFileSync(join(WEB, "sw.js"), "utf8")
    .replace('"__VERSION__"', JSON.stringify(version))
    .replace("__SHELL__", JSON.stringify(shell));
  writeFileSync(join(outDir, "sw.js"), (await transform(source, { loader: "js", minify: true, target: "es2020" })).code);
  return version;
}

/** @param {{ minify?: boolean, outDir?: string, withoutSoftphone?: boolean }} [options] */
export async function buildWeb({ minify = true, outDir = OUT, withoutSoftphone = false } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, "assets"), { recursive: true });
  if (existsSync(join(WEB, "public"))) cpSync(join(WEB, "public"), outDir, { recursive: true });
  // The emoji picker's Portuguese data, served from our origin (the picker would otherwise fetch it from a CDN).
  mkdirSync(join(outDir, "emoji"), { recursive: true });
  cpSync(join(ROOT, "node_modules", "emoji-picker-element-data", "pt", "cldr", "data.json"), join(outDir, "emoji", "pt.json"));
  const result = await build({
    entryPoints: { app: join(WEB, "src", "main.tsx") },
    bundle: true,
    splitting: true,
    format: "esm",
    target: "es2022",
    minify,
    // pt-BR text as UTF-8 rather than \xNN escapes: smaller, and module scripts are always decoded as UTF-8.
    charset: "utf8",
    sourcemap: true,
    jsx: "automatic",
    jsxImportSource: "preact",
    outdir: join(outDir, "assets"),
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[name]-[hash]",
    assetNames: "[name]-[hash]",
    loader: { ".css": "css", ".svg": "file", ".mp3": "file", ".wav": "file" },
    metafile: true,
    logLevel: "warning",
    plugins: [pureSchemas, cssAsText, ...(withoutSoftphone ? [stubSoftphone] : [])],
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
  writeFileSync(join(outDir, "index.html"), html);
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
  const firstScreen = [...initial, ...(css ? [css[0]] : [])];
  // What people download in practice: the first screen gzipped (issue 17 keeps it at 60 KB or less).
  const initialGzipBytes = firstScreen.reduce((n, f) => n + gzipSync(readFileSync(join(outDir, rel(f)))).length, 0);
  const lazy = outputs.filter(([f, o]) => f.endsWith(".js") && !initial.has(f) && o.bytes > 0);
  await writeServiceWorker(outDir, ["/", ...firstScreen.map(rel), ...PUBLIC_SHELL]);
  return {
    entry: rel(entry[0]),
    entryBytes: entry[1].bytes,
    initialBytes,
    initialGzipBytes,
    lazyBytes: lazy.reduce((n, [, o]) => n + o.bytes, 0),
    outputs: outputs.map(([f, o]) => ({ file: rel(f), bytes: o.bytes })),
    /** The first screen's files (as the metafile names them) and esbuild's metafile, to see what weighs on it. */
    initialFiles: [...initial],
    metafile: result.metafile,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const info = await buildWeb({ minify: !process.argv.includes("--dev") });
  const kib = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(
    `web/dist: ${info.entry} (${kib(info.entryBytes)}); first screen ${kib(info.initialBytes)} (${kib(info.initialGzipBytes)} gzip); on demand ${kib(info.lazyBytes)}`,
  );
}
