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
 * The projects run one after another (groupOrder). Browser files mostly wait (on
 * sockets, timers, the browser), so two run at once, each with its own server on
 * its own port: 672 → 353 s measured here (integration: 157 → 80 s, then four at once).
 */
const TWO = { maxWorkers: 2, fileParallelism: true };
/**
 * Integration files wait most of all (a server start each, timers, sockets): four at once take the
 * project from 71–75 s to 49–51 s here (three: 55–63 s). Browser files are bound by the CPU: three at
 * once measured 219 s against 223 s for two, so they stay at two. SIP files stay one at a time: four
 * at once took 34 → 16 s but failed two runs of eight (rtpengine calls and a registrar start timing out).
 */
const FOUR = { maxWorkers: 4, fileParallelism: true };
const ONE = { maxWorkers: 1, fileParallelism: false };
const LOAD = "test/e2e/delivery.test.ts";

export default defineConfig({
  test: {
    maxWorkers: 4,
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
          ...FOUR,
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
      // Issue 15's randomized delivery test slows its pages' CPU 4× and runs alone, so it neither starves nor is starved.
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
