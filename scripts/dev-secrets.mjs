/**
 * Secrets for local runs: taken from the environment when set, otherwise random
 * ones generated once and kept in .data/dev-secrets.json (git-ignored), so a
 * restart keeps sessions valid. Never used when the variables are set.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname } from "node:path";

// CONVERSAS_WEBHOOK_SECRET signs the share webhook (R30); the README's curl example reads it from the file.
const NAMES = ["CONVERSAS_SESSION_SECRET", "CONVERSAS_ADMIN_KEY", "CONVERSAS_WEBHOOK_SECRET"];

/** @param {string} file */
export function devSecrets(file = ".data/dev-secrets.json") {
  /** @type {Record<string,string>} */
  let stored = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8"));
  let changed = false;
  /** @type {Record<string,string>} */
  const out = {};
  for (const name of NAMES) {
    const fromEnv = process.env[name];
    if (fromEnv) out[name] = fromEnv;
    else {
      if (!stored[name]) {
        stored[name] = randomBytes(24).toString("base64url");
        changed = true;
      }
      out[name] = stored[name];
    }
  }
  if (changed) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return out;
}
