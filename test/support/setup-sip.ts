/** Global set-up of the SIP suite: the SIP peers present (installed if they can be) and the worker bundled once. */
import type { TestProject } from "vitest/node";
import { removeBuilds, workerBundle } from "./builds";
import { ensurePrograms, SIP_PROGRAMS } from "../../tools/dev/programs.mjs";

export default function setup(project: TestProject) {
  ensurePrograms(SIP_PROGRAMS);
  project.provide("workerBundle", workerBundle());
  return removeBuilds;
}
