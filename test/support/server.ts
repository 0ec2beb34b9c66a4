/**
 * The real runtime for integration and browser tests: `wrangler dev` on the
 * worker bundled once per test run (test/support/setup-worker.ts), on a free
 * port with its own state folder and random secrets. Editing the working tree
 * while a suite runs restarts nothing, and no test writes into web/dist.
 *
 * Test servers raise the per-person frame limits (issue 12.7), because many
 * tests fill chats with thousands of messages in a burst; the tests of the
 * limits themselves start a server with the production defaults
 * (`productionLimits: true`).
 */
import { afterAll, inject } from "vitest";
import { removeTempDirs, startServer } from "../../tools/dev/runtime.mjs";

export type TestServer = Awaited<ReturnType<typeof startServer>>;

// Registered when a test file imports this module, so it runs after the file's own hooks have stopped its
// servers (after-hooks run last-registered first): their state and settings folders go with the file.
afterAll(() => removeTempDirs());

export const RAISED_LIMITS = { CONVERSAS_RATE_SEND: "1000000/1000000", CONVERSAS_RATE_READ: "1000000/1000000" };

export async function startTestServer(
  opts: {
    persist?: string;
    secrets?: Record<string, string>;
    vars?: Record<string, string>;
    assets?: string;
    productionLimits?: boolean;
    port?: number;
    /** Another bundle than the run's (a test of the start itself). */
    bundle?: string;
    /** "log" keeps the worker's own JSON log lines in `log()` (the log tests read them). */
    logLevel?: "log" | "info" | "warn";
  } = {},
): Promise<TestServer> {
  return startServer({
    // CONVERSAS_DEV_LOGS=1 shows the runtime's own output (every request, and the rooms' JSON logs).
    quiet: !process.env.CONVERSAS_DEV_LOGS,
    bundle: inject("workerBundle"),
    ...opts,
    vars: { ...(opts.productionLimits ? {} : RAISED_LIMITS), ...opts.vars },
  });
}

/** Stops the file's server after its tests (its log printed first when SHOW_SERVER_LOG is set). */
export function stopAfterFile(server: () => TestServer | undefined): void {
  afterAll(async () => {
    if (process.env.SHOW_SERVER_LOG) console.log(server()?.log());
    await server()?.stop();
  });
}

declare module "vitest" {
  export interface ProvidedContext {
    workerBundle: string;
    webAssets: string;
  }
}
