/** Global set-up of the SIP suite: the SIP peers present (installed if they can be) and the worker bundled once. */
import type { TestProject } from "vitest/node";
import { bundleWorker } from "../../tools/dev/runtime.mjs";
import { ensurePrograms, SIP_PROGRAMS } from "./setup-system";

export default function setup(project: TestProject) {
  ensurePrograms(SIP_PROGRAMS);
  project.provide("workerBundle", bundleWorker());
}
