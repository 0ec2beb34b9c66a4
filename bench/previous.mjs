/**
 * The previous release as a bench target (`--previous`, issue 13.6): the commit
 * that ran on `partykit dev` (workerd 1.20240718), measured on the same machine
 * in the same run as today's runtime, so "no slower than before" is a ratio of
 * two figures taken side by side rather than a figure against an old note.
 *
 * The release is extracted once with `git archive` into `.data/bench-previous/<commit>`
 * (git-ignored) and its runtime dependencies installed there with its own
 * lockfile (`npm ci --omit=dev`: partykit and what the rooms import); later runs
 * reuse the folder. Its own launcher (test/support/server.mjs) starts it. Nothing
 * in the working tree is touched.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The last release on partykit dev (the commit before the runtime move). */
export const PREVIOUS_COMMIT = "6981e21";

/**
 * Extracts and installs the release if that was not done before.
 * @param {string} [commit]
 * @returns {{ dir: string, commit: string, partykit: string | null, workerd: string | null, prepared: boolean }}
 */
export function preparePrevious(commit = PREVIOUS_COMMIT) {
  const full = execFileSync("git", ["rev-parse", `${commit}^{commit}`], { cwd: ROOT, encoding: "utf8" }).trim();
  const dir = join(ROOT, ".data", "bench-previous", full.slice(0, 12));
  const stamp = join(dir, ".installed");
  let prepared = false;
  if (!existsSync(stamp)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const archive = spawnSync("sh", ["-c", `git archive --format=tar ${full} | tar -x -C "${dir}"`], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
    });
    if (archive.status !== 0) throw new Error(`git archive ${full}: ${archive.stderr}`);
    const install = spawnSync("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 600_000,
      env: { ...process.env, CI: "true" },
    });
    if (install.status !== 0) throw new Error(`npm ci in ${dir} failed:\n${install.stdout}\n${install.stderr}`);
    // partykit.json serves web/dist; an empty folder is enough for the rooms.
    mkdirSync(join(dir, "web", "dist"), { recursive: true });
    writeFileSync(stamp, `${new Date().toISOString()}\n`);
    prepared = true;
  }
  const version = (/** @type {string} */ rel) => {
    try {
      return JSON.parse(readFileSync(join(dir, "node_modules", rel, "package.json"), "utf8")).version;
    } catch {
      return null;
    }
  };
  return {
    dir,
    commit: full.slice(0, 12),
    partykit: version("partykit"),
    workerd: version("partykit/node_modules/@cloudflare/workerd-linux-64") ?? version("@cloudflare/workerd-linux-64"),
    prepared,
  };
}

/**
 * Starts the previous release with its own launcher (partykit dev on a free port).
 * @param {string} dir  a preparePrevious() folder
 * @returns {Promise<{ base: string, wsBase: string, adminKey: string, pid: number, port: number, persist: string,
 *   stop(): Promise<void>, log(): string }>}
 */
export async function startPrevious(dir) {
  const mod = await import(pathToFileURL(join(dir, "test", "support", "server.mjs")).href);
  const server = await mod.startServer({ quiet: true });
  const pid = findPid(server.port);
  return {
    ...server,
    pid,
    stop: async () => {
      await server.stop();
      rmSync(server.persist, { recursive: true, force: true });
    },
  };
}

/**
 * The previous launcher returns no pid: its partykit process is the one whose
 * command line names the port it was given.
 * @param {number} port
 */
function findPid(port) {
  const out = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  for (const line of out.split("\n")) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (m && /partykit\/dist\/bin\.mjs dev/.test(m[2] ?? "") && (m[2] ?? "").includes(`--port ${port} `)) return Number(m[1]);
  }
  throw new Error(`no partykit dev process for port ${port}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(preparePrevious());
