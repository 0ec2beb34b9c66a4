/**
 * The worker bundle and the web build, made once per test run however many
 * projects' global set-ups ask for them (they all run in vitest's own process):
 * a whole `npm test` bundled the worker four times and built the web client twice.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildWeb } from "../../scripts/build-web.mjs";
import { bundleWorker } from "../../tools/dev/runtime.mjs";

const made = globalThis as { __conversasBuilds?: { bundle?: string; web?: Promise<string> } };
const builds = (made.__conversasBuilds ??= {});

/** The worker bundled as a deploy bundles it (test/support/server.ts runs it). */
export function workerBundle(): string {
  return (builds.bundle ??= bundleWorker());
}

/** The web client built into a folder of its own (never web/dist, which a running `npm start` may be serving). */
export function webBuild(): Promise<string> {
  return (builds.web ??= (async () => {
    const assets = mkdtempSync(join(tmpdir(), "conversas-web-"));
    await buildWeb({ outDir: assets });
    return assets;
  })());
}

/** Removes both builds once the whole run is over (every project's global set-up returns this as its teardown). */
export async function removeBuilds(): Promise<void> {
  const { bundle, web } = builds;
  builds.bundle = undefined;
  builds.web = undefined;
  if (bundle) rmSync(dirname(bundle), { recursive: true, force: true });
  if (web) rmSync(await web, { recursive: true, force: true });
}
