/**
 * `npm run backup -- --tenant <empresa> [--out <pasta>]`: exports a whole
 * company to a folder through the API (issue 18.9), in the export format of
 * README "Exportação", unpacked:
 *
 *   backup.json          the company, its settings, its SSO (without the secret), the chats' ids
 *   users.json           every user with what a restore needs (password hashes: keep the folder safe)
 *   chats/<chatId>/      a chat's archive (manifest, chat.json, messages.json, files.json, shares.json, files/, transcripts/)
 *   users/<userId>/      a user's archive (manifest, profile.json, calls.json, messages/, files.json)
 *
 * The platform key comes from CONVERSAS_ADMIN_KEY (or .data/dev-secrets.json
 * under `npm start`); the address from CONVERSAS_URL (http://localhost:1999).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { unzipSync } from "fflate";

/** @param {string} base @param {string} key @param {string} path */
async function get(base, key, path) {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res;
}

/** Writes an archive's members under `dir` (names are the archive's own: no absolute paths, no "..", checked). */
function unpack(/** @type {Uint8Array} */ zip, /** @type {string} */ dir) {
  for (const [name, bytes] of Object.entries(unzipSync(zip))) {
    if (name.startsWith("/") || name.split("/").includes("..")) throw new Error(`nome inválido no arquivo: ${name}`);
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
}

/**
 * @param {{ base: string, key: string, tenant: string, out: string, log?: (line: string) => void }} opts
 * @returns {Promise<{ users: number, chats: number }>}
 */
export async function backupCompany({ base, key, tenant, out, log = () => undefined }) {
  const manifest = await (await get(base, key, `/api/tenants/${tenant}/backup`)).json();
  mkdirSync(out, { recursive: true });
  const { users, ...company } = manifest;
  writeFileSync(join(out, "backup.json"), JSON.stringify({ ...company, users: users.map((/** @type {any} */ u) => u.id) }, null, 1));
  writeFileSync(join(out, "users.json"), JSON.stringify(users, null, 1), { mode: 0o600 });
  for (const chatId of manifest.chats) {
    log(`conversa ${chatId}`);
    unpack(
      new Uint8Array(await (await get(base, key, `/api/tenants/${tenant}/export/chats/${chatId}`)).arrayBuffer()),
      join(out, "chats", chatId),
    );
  }
  for (const u of users) {
    log(`usuário ${u.id}`);
    unpack(
      new Uint8Array(await (await get(base, key, `/api/tenants/${tenant}/export/users/${u.id}`)).arrayBuffer()),
      join(out, "users", u.id),
    );
  }
  return { users: users.length, chats: manifest.chats.length };
}

/** Reads `--name value` flags. */
export function flags(/** @type {string[]} */ argv) {
  /** @type {Record<string, string>} */
  const out = {};
  for (let i = 0; i < argv.length; i++) if (argv[i].startsWith("--")) out[argv[i].slice(2)] = argv[i + 1] ?? "";
  return out;
}

/** The platform key and the address, from the environment or `npm start`'s dev secrets. */
export function connection() {
  const base = (process.env.CONVERSAS_URL ?? "http://localhost:1999").replace(/\/+$/, "");
  let key = process.env.CONVERSAS_ADMIN_KEY;
  if (!key && existsSync(".data/dev-secrets.json")) key = JSON.parse(readFileSync(".data/dev-secrets.json", "utf8")).CONVERSAS_ADMIN_KEY;
  if (!key) throw new Error("defina CONVERSAS_ADMIN_KEY (a chave da plataforma)");
  return { base, key };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const f = flags(process.argv.slice(2));
  if (!f.tenant) {
    console.error("uso: npm run backup -- --tenant <empresa> [--out <pasta>]");
    process.exit(2);
  }
  const out = f.out || join("backups", `${f.tenant}-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  const done = await backupCompany({ ...connection(), tenant: f.tenant, out, log: (l) => console.log(l) });
  console.log(`cópia de ${f.tenant} em ${out}: ${done.users} usuários, ${done.chats} conversas`);
}
