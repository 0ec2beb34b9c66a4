/**
 * Global set-up of the browser suite: Debian's Chromium present (installed if it
 * can be), the worker bundled once, and the web client built once into a folder
 * of its own (never web/dist, which a running `npm start` may be serving).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildWeb } from "../../scripts/build-web.mjs";
import { bundleWorker } from "../../tools/dev/runtime.mjs";
import { CHROMIUM, ensurePrograms } from "./setup-system";

export default async function setup(project: TestProject) {
  ensurePrograms([CHROMIUM]);
  const assets = mkdtempSync(join(tmpdir(), "conversas-web-"));
  await buildWeb({ outDir: assets });
  project.provide("webAssets", assets);
  project.provide("workerBundle", bundleWorker());
}
