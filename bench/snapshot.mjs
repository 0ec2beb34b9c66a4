/**
 * A frozen copy of the server code for one bench run. `partykit dev` rebuilds and
 * restarts its rooms whenever a file in its build graph (or a folder it resolved
 * through) changes, dropping every socket; in a working tree that is being edited
 * a multi-minute run would measure restarts, not the server. The copy holds just
 * what the server is built from, links node_modules, and brings its own copy of
 * test/support/server.mjs so the real `startServer` runs unchanged from there.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const COPIED = ["package.json", "tsconfig.json", "partykit.json", "party", "protocol", "test/support/server.mjs"];

/**
 * @param {string} root  the project root
 * @returns {Promise<{ dir: string, startServer: typeof import("../test/support/server.mjs").startServer, remove(): void }>}
 */
export async function snapshotServer(root) {
  const dir = mkdtempSync(join(tmpdir(), "conversas-bench-src-"));
  for (const rel of COPIED) cpSync(join(root, rel), join(dir, rel), { recursive: true });
  // The static assets are not benchmarked; an empty folder satisfies partykit.json's `serve`.
  mkdirSync(join(dir, "web", "dist"), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  const mod = await import(pathToFileURL(join(dir, "test", "support", "server.mjs")).href);
  return {
    dir,
    startServer: mod.startServer,
    remove: () => {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
