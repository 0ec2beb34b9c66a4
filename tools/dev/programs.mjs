/**
 * The programs the browser and SIP suites (and the bench's SIP phase) drive (issue 14.9): found where
 * Debian puts them (or where CHROMIUM_PATH says), and when missing on a machine
 * where we are root with apt, installed from Debian's packages — saying what it
 * does; otherwise the run stops at once with the exact command to run.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

/** @typedef {{ name: string, paths: string[], debian: string }} Program */

/** @type {Program} */
export const CHROMIUM = {
  name: "chromium",
  paths: [process.env.CHROMIUM_PATH ?? "", "/usr/bin/chromium"].filter(Boolean),
  debian: "chromium",
};
/**
 * Debian's build of the same Chromium without the browser around the page (its
 * "old headless shell"): the same Blink and V8, no windows, no notifications.
 * Most browser tests run on it: their pages took 2.4× less renderer CPU and 3×
 * less browser-process CPU than on the whole browser (the same six files, back to back).
 */
/** @type {Program} */
export const CHROMIUM_HEADLESS = {
  name: "chromium-headless-shell",
  paths: [process.env.CHROMIUM_HEADLESS_PATH ?? "", "/usr/bin/chromium-headless-shell"].filter(Boolean),
  debian: "chromium-headless-shell",
};
/** @type {Program[]} */
export const SIP_PROGRAMS = [
  { name: "sipp", paths: ["/usr/bin/sipp"], debian: "sip-tester" },
  { name: "rtpengine", paths: ["/usr/bin/rtpengine"], debian: "rtpengine-daemon" },
  { name: "kamailio", paths: ["/usr/sbin/kamailio"], debian: "kamailio" },
  { name: "baresip", paths: ["/usr/bin/baresip"], debian: "baresip" },
];

const runnable = (/** @type {string} */ path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** @param {Program} p  @returns {string | null} */
export function findProgram(p) {
  return p.paths.find(runnable) ?? null;
}

/** Makes sure every program is there, installing the missing ones when this machine allows it. @param {Program[]} programs */
export function ensurePrograms(programs) {
  const missing = programs.filter((p) => !findProgram(p));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((p) => p.debian))];
  const command = `apt-get update && apt-get install -y --no-install-recommends ${packages.join(" ")}`;
  const root = process.getuid?.() === 0;
  const apt = spawnSync("sh", ["-c", "command -v apt-get"], { encoding: "utf8" }).status === 0;
  if (!root || !apt) {
    throw new Error(`Faltam programas para os testes: ${missing.map((p) => p.name).join(", ")}. Instale com:\n  sudo ${command}`);
  }
  console.log(`[testes] instalando pacotes do Debian: ${packages.join(" ")} (${command})`);
  execFileSync(
    "sh",
    [
      "-c",
      `DEBIAN_FRONTEND=noninteractive ${command.replace("apt-get install", "apt-get install -qq").replace("apt-get update", "apt-get update -qq")}`,
    ],
    {
      stdio: "inherit",
      timeout: 15 * 60_000,
    },
  );
  const still = programs.filter((p) => !findProgram(p));
  if (still.length) throw new Error(`Mesmo depois de instalar, faltam: ${still.map((p) => p.name).join(", ")}`);
}
