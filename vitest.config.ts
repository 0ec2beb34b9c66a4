/**
 * Test projects: `unit` (pure code and rooms on the in-memory host, beside the
 * code), `integration` (the real runtime, `wrangler dev`, over real sockets),
 * `e2e` (Debian Chromium via playwright-core), `sip` (the real sip-proxy with
 * sip.js user agents and real SIP peers), `workers` (the deploy bundle).
 * Each project's global set-up bundles the worker once (and finds or installs
 * the programs it drives); the ten slowest tests are printed at the end.
 */
import { defineConfig } from "vitest/config";

const SLOW = { testTimeout: 60_000, hookTimeout: 180_000, fileParallelism: false };

export default defineConfig({
  test: {
    // Suites that start real servers, browsers and SIP peers share 2 cores: one file at a time.
    maxWorkers: 1,
    reporters: ["default", "./test/support/slowest-reporter.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["protocol/**/*.test.ts", "party/**/*.test.ts", "web/src/**/*.test.ts", "sip-proxy/src/**/*.test.ts"],
        },
      },
      { test: { name: "integration", include: ["test/integration/**/*.test.ts"], globalSetup: ["test/support/setup-worker.ts"], ...SLOW } },
      { test: { name: "sip", include: ["test/sip/**/*.test.ts"], globalSetup: ["test/support/setup-sip.ts"], ...SLOW } },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/support/setup-e2e.ts"],
          ...SLOW,
          testTimeout: 120_000,
        },
      },
      { test: { name: "workers", include: ["test/workers/**/*.test.ts"], ...SLOW, testTimeout: 120_000 } },
    ],
  },
});
