/**
 * The deployment (issue 13): `wrangler deploy --dry-run` — what `npm run deploy`
 * uploads — bundles the worker with every room class, the R2 bucket and the
 * web client, exports the classes wrangler.toml binds, and leaves no trace of
 * PartyKit. (Every other suite already runs this very bundle on `wrangler dev`.)
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OFFLINE_ENV, ROOT, WRANGLER_BIN } from "../../tools/dev/runtime.mjs";

describe("issue 13 deploy", () => {
  it("the dry-run bundle binds every room as a SQLite-backed Durable Object, R2 and the web client, and exports their classes", () => {
    const outdir = mkdtempSync(join(tmpdir(), "conversas-bundle-"));
    const assets = mkdtempSync(join(tmpdir(), "conversas-assets-"));
    mkdirSync(assets, { recursive: true });
    writeFileSync(join(assets, "index.html"), "<!doctype html><title>Conversas</title>");
    try {
      const run = spawnSync(process.execPath, [WRANGLER_BIN, "deploy", "--dry-run", "--outdir", outdir, "--assets", assets], {
        cwd: ROOT,
        env: OFFLINE_ENV,
        encoding: "utf8",
        timeout: 120_000,
      });
      const out = `${run.stdout}\n${run.stderr}`;
      expect(run.status, out).toBe(0);
      const classes = ["Hub", "Chat", "Drafts", "Directory", "User", "Search", "Guard"];
      for (const c of classes) expect(out).toContain(`env.${c} (${c})`);
      expect(out).toContain("env.FILES (conversas-files)");
      expect(out).toContain("env.ASSETS");
      const bundle = readFileSync(join(outdir, "worker.js"), "utf8");
      for (const c of classes) expect(bundle, c).toMatch(new RegExp(`export\\s*\\{[^}]*\\b${c}\\b[^}]*\\}`));
      expect(bundle).not.toMatch(/partykit\.dev|from "partykit/);
      const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
      for (const c of classes) expect(toml).toMatch(new RegExp(`new_sqlite_classes = \\[[^\\]]*"${c}"`));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
      rmSync(assets, { recursive: true, force: true });
    }
  });

  it("package.json deploys through wrangler after building the web client, and PartyKit is gone", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.scripts.deploy).toMatch(/build-web\.mjs.*wrangler deploy/);
    expect(pkg.dependencies.partyserver).toBeDefined();
    expect({ ...pkg.dependencies, ...pkg.devDependencies }).not.toHaveProperty("partykit");
    expect({ ...pkg.dependencies, ...pkg.devDependencies }).not.toHaveProperty("y-partykit");
  });
});
