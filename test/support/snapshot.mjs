/**
 * A frozen copy of the server code, for integration tests and bench runs.
 * `partykit dev` rebuilds and restarts its rooms (dropping every socket) whenever a
 * file in its build graph or its `serve` folder changes; in a working tree that is
 * being edited, or while web/dist is rebuilt, a run would measure restarts, not the
 * server. The copy holds what the rooms are built from, links node_modules, and
 * brings its own test/support launcher so the real `startServer` runs from there.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./server.mjs";

const COPIED = [
  "package.json",
  "tsconfig.json",
  "partykit.json",
  "party",
  "protocol",
  "test/support/server.mjs",
  "test/support/process.mjs",
];

/**
 * @param {string} [label] names the temp folder (e.g. "test", "bench")
 * @returns {Promise<{ dir: string, startServer: typeof import("./server.mjs").startServer, remove(): void }>}
 */
export async function snapshotServer(label = "test") {
  const dir = mkdtempSync(join(tmpdir(), `conversas-${label}-src-`));
  for (const rel of COPIED) cpSync(join(ROOT, rel), join(dir, rel), { recursive: true });
  // Static assets are not under test here; an empty folder satisfies partykit.json's `serve`.
  mkdirSync(join(dir, "web", "dist"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const mod = await import(pathToFileURL(join(dir, "test", "support", "server.mjs")).href);
  return {
    dir,
    startServer: mod.startServer,
    remove: () => {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
