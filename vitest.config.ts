/**
 * Test projects: `unit` (pure code, beside it, no runtime), `integration` (real
 * partykit dev over real sockets), `e2e` (Debian Chromium via playwright-core),
 * `sip` (the real sip-proxy with sip.js user agents and sipp peers), `workers`
 * (the wrangler build and a smoke test on wrangler dev).
 * `npm test` runs them all, one file at a time.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // One test file at a time across all projects: the suites start real servers,
    // browsers and SIP peers on a 2-core machine, and the browser and Workers suites
    // build web/dist, which a concurrently running suite would be serving.
    maxWorkers: 1,
    projects: [
      {
        test: {
          name: "unit",
          include: ["protocol/**/*.test.ts", "party/**/*.test.ts", "web/src/**/*.test.ts", "sip-proxy/src/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/support/setup-worker.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      { test: { name: "sip", include: ["test/sip/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false } },
      { test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false } },
      {
        test: {
          name: "workers",
          include: ["test/workers/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
