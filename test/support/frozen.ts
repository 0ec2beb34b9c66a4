/**
 * Runs the integration tests' `partykit dev` from a frozen copy of the server
 * code. `partykit dev` restarts workerd (dropping every socket) whenever a file in
 * its build graph or its `serve` folder changes; in a working tree that others are
 * editing, or while web/dist is rebuilt, tests would see restarts, not the server.
 * The copy holds what the rooms are built from plus its own test/support/server.mjs,
 * so the real, unchanged `startServer` runs from there (as bench/snapshot.mjs does).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, startServer as liveStartServer } from "./server.mjs";

const COPIED = ["package.json", "tsconfig.json", "partykit.json", "party", "protocol", "test/support/server.mjs"];

export type StartServer = typeof liveStartServer;
export type TestServer = Awaited<ReturnType<StartServer>>;

/** Copies the server code once; `startServer` from the copy can be called again (restart tests). */
export async function frozenServerCode(): Promise<{ startServer: StartServer; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "conversas-test-src-"));
  for (const rel of COPIED) cpSync(join(ROOT, rel), join(dir, rel), { recursive: true });
  // Static assets are not under test here; an empty folder satisfies partykit.json's `serve`.
  mkdirSync(join(dir, "web", "dist"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const mod = (await import(pathToFileURL(join(dir, "test", "support", "server.mjs")).href)) as { startServer: StartServer };
  return { startServer: mod.startServer, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One quiet server from a frozen copy; `stop()` also removes the copy. */
export async function startTestServer(): Promise<TestServer> {
  const code = await frozenServerCode();
  const server = await code.startServer({ quiet: true });
  const stop = server.stop.bind(server);
  return {
    ...server,
    async stop() {
      await stop();
      code.remove();
    },
  };
}
