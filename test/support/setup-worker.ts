/**
 * Global set-up of the suites that run the rooms: the worker is bundled once
 * per test run, as a deploy would bundle it, and every test file starts
 * `wrangler dev` on that bundle (test/support/server.ts).
 */
import type { TestProject } from "vitest/node";
import { removeBuilds, workerBundle } from "./builds";

export default function setup(project: TestProject) {
  project.provide("workerBundle", workerBundle());
  return removeBuilds;
}
