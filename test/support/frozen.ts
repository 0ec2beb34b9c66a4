/**
 * Integration tests run `partykit dev` from a frozen copy of the server code
 * (see snapshot.mjs for why); `stop()` also removes the copy.
 */
import type { startServer as liveStartServer } from "./server.mjs";
import { snapshotServer } from "./snapshot.mjs";

export type StartServer = typeof liveStartServer;
export type TestServer = Awaited<ReturnType<StartServer>>;

/** Copies the server code once; `startServer` from the copy can be called again (restart tests). */
export async function frozenServerCode(): Promise<{ startServer: StartServer; remove(): void }> {
  return snapshotServer("test");
}

/** One quiet server from a frozen copy; `stop()` also removes the copy. */
export async function startTestServer(): Promise<TestServer> {
  const code = await frozenServerCode();
  const server = await code.startServer({ quiet: true });
  return {
    ...server,
    async stop() {
      await server.stop();
      code.remove();
    },
  };
}
