/**
 * Test projects: `unit` (pure code and rooms on the in-memory host, beside the
 * code), `integration` (the real runtime, `wrangler dev`, over real sockets),
 * `e2e` (Debian Chromium via playwright-core), `sip` (the real sip-proxy with
 * sip.js user agents and real SIP peers), `workers` (the deploy bundle).
 * Each project's global set-up bundles the worker once (and finds or installs
 * the programs it drives); the ten slowest tests are printed at the end.
 */
import { defineConfig } from "vitest/config";

const SLOW = { testTimeout: 60_000, hookTimeout: 180_000 };
/**
 * The projects run one after another (groupOrder). Integration and browser files
 * mostly wait (on sockets, timers, the browser), so two run at once, each with its
 * own server on its own port: 157 → 80 s and 672 → 353 s measured here.
 * Tried and not kept: integration four at once (71–75 → 48–51 s, but 12.7's latency
 * comparison failed once in ~13 runs, its neighbours' CPU in its samples); browser
 * files three at once (219 s against 223 s: bound by the CPU); SIP files four at once
 * (34 → 16 s, but two runs of eight failed: rtpengine calls, a registrar start).
 */
const TWO = { maxWorkers: 2, fileParallelism: true };
const ONE = { maxWorkers: 1, fileParallelism: false };
const LOAD = "test/e2e/delivery.test.ts";

export default defineConfig({
  test: {
    maxWorkers: 2,
    reporters: ["default", "./test/support/slowest-reporter.ts"],
    projects: [
      {
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          ...TWO,
          include: ["protocol/**/*.test.ts", "party/**/*.test.ts", "web/src/**/*.test.ts", "sip-proxy/src/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/support/setup-worker.ts"],
          ...SLOW,
          ...TWO,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: "sip",
          include: ["test/sip/**/*.test.ts"],
          globalSetup: ["test/support/setup-sip.ts"],
          ...SLOW,
          ...ONE,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          exclude: [LOAD],
          globalSetup: ["test/support/setup-e2e.ts"],
          ...SLOW,
          ...TWO,
          // A browser test that fails is run once more and, if it passes then, named at the end of the run
          // (test/support/slowest-reporter.ts): on 2 shared cores a page load now and then stalls in wrangler dev.
          retry: 1,
          sequence: { groupOrder: 3 },
          testTimeout: 120_000,
        },
      },
      // Issue 15's randomized delivery test slows a page 4× (Chromium spins it: a core's worth of load) and runs alone,
      // so it neither starves nor is starved.
      {
        test: {
          name: "e2e-load",
          include: [LOAD],
          globalSetup: ["test/support/setup-e2e.ts"],
          ...SLOW,
          ...ONE,
          sequence: { groupOrder: 4 },
          testTimeout: 900_000,
        },
      },
      {
        test: {
          name: "workers",
          include: ["test/workers/**/*.test.ts"],
          ...SLOW,
          ...ONE,
          sequence: { groupOrder: 4 },
          testTimeout: 120_000,
        },
      },
    ],
  },
});
