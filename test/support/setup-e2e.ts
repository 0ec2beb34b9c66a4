/**
 * Global set-up of the browser suite: Debian's Chromium and its headless shell
 * present (installed if they can be) and where they are, the worker bundled
 * once, and the web client built once into a folder of its own (never web/dist,
 * which a running `npm start` may be serving).
 */
import type { TestProject } from "vitest/node";
import { removeBuilds, webBuild, workerBundle } from "./builds";
import { CHROMIUM, CHROMIUM_HEADLESS, ensurePrograms, findProgram } from "../../tools/dev/programs.mjs";

export default async function setup(project: TestProject) {
  ensurePrograms([CHROMIUM, CHROMIUM_HEADLESS]);
  project.provide("chromium", findProgram(CHROMIUM)!);
  project.provide("chromiumHeadless", findProgram(CHROMIUM_HEADLESS)!);
  project.provide("webAssets", await webBuild());
  project.provide("workerBundle", workerBundle());
  return removeBuilds;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Debian's Chromium, the whole browser. */
    chromium: string;
    /** Debian's Chromium headless shell. */
    chromiumHeadless: string;
  }
}
