/**
 * Test projects: `unit` (pure code, beside it, no runtime), `integration` (real
 * partykit dev over real sockets), `e2e` (Debian Chromium via playwright-core),
 * `sip` (the real sip-proxy with sip.js user agents and sipp peers), `workers`
 * (the wrangler build and a smoke test on wrangler dev).
 * `npm test` runs them all.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
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
