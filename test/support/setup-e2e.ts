/**
 * Global set-up of the browser suite: Debian's Chromium present (installed if it
 * can be), the worker bundled once, and the web client built once into a folder
 * of its own (never web/dist, which a running `npm start` may be serving).
 */
import type { TestProject } from "vitest/node";
import { removeBuilds, webBuild, workerBundle } from "./builds";
import { CHROMIUM, ensurePrograms } from "./setup-system";

export default async function setup(project: TestProject) {
  ensurePrograms([CHROMIUM]);
  project.provide("webAssets", await webBuild());
  project.provide("workerBundle", workerBundle());
  return removeBuilds;
}
