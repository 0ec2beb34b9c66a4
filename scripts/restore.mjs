/**
 * `npm run restore -- --from <pasta> [--tenant <empresa>]`: puts a company back
 * from a `npm run backup` folder into a deployment where it does not exist yet
 * (issue 18.9), through the API with the platform key: the company and its
 * users (with their passwords), every chat (head, log, read cursors, files'
 * records and bytes, shared transcripts), every user's call history, and last
 * the settings. Lists and the search index are rebuilt by the rooms themselves.
 * SSO is not restored: its client secret never leaves the deployment (set it
 * again with PUT /api/tenants/{t}/sso).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { connection, flags } from "./backup.mjs";

const BATCH = 1000;

/** @param {string} base @param {string} key @param {string} method @param {string} path @param {unknown} body */
async function send(base, key, method, path, body, contentType = "application/json") {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": contentType },
    body: contentType === "application/json" ? JSON.stringify(body) : /** @type {Uint8Array} */ (body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

const readJson = (/** @type {string} */ path) => JSON.parse(readFileSync(path, "utf8"));

/**
 * @param {{ base: string, key: string, from: string, tenant?: string, log?: (line: string) => void }} opts
 * @returns {Promise<{ users: number, chats: number, messages: number, files: number }>}
 */
export async function restoreCompany({ base, key, from, tenant: asTenant, log = () => undefined }) {
  const backup = readJson(join(from, "backup.json"));
  if (backup.format !== "conversas-backup" || backup.version !== 1) throw new Error("pasta não é uma cópia do Conversas (versão 1)");
  const tenant = asTenant ?? backup.tenant;
  const t = `/api/tenants/${tenant}`;
  if (backup.company) await send(base, key, "PUT", t, { name: backup.company.name });
  const users = readJson(join(from, "users.json"));
  for (let i = 0; i < users.length; i += 500) await send(base, key, "POST", `${t}/restore/users`, { users: users.slice(i, i + 500) });
  let messages = 0;
  let files = 0;
  const chatsDir = join(from, "chats");
  for (const chatId of existsSync(chatsDir) ? readdirSync(chatsDir) : []) {
    log(`conversa ${chatId}`);
    const dir = join(chatsDir, chatId);
    const head = readJson(join(dir, "chat.json"));
    const log_ = readJson(join(dir, "messages.json"));
    const records = readJson(join(dir, "files.json")).map((/** @type {any} */ { path: _p, link: _l, ...r }) => r);
    const shares = readJson(join(dir, "shares.json"));
    const restoreHead = { kind: head.kind, createdAt: head.createdAt, members: head.members, base: head.base };
    await send(base, key, "POST", `${t}/restore/chats/${chatId}`, { head: restoreHead, files: [], shares: [] });
    const cursors = Object.fromEntries(
      head.cursors.filter((/** @type {any} */ c) => c.read > 0).map((/** @type {any} */ c) => [c.userId, c.read]),
    );
    for (let i = 0; i === 0 || i < log_.length; i += BATCH) {
      const last = i + BATCH >= log_.length;
      await send(base, key, "POST", `${t}/chats/${chatId}/import`, {
        ...(i === 0 && head.group ? { group: head.group } : {}),
        messages: log_.slice(i, i + BATCH),
        ...(last ? { cursors } : {}),
      });
    }
    messages += log_.length;
    for (const r of records) {
      const bytes = join(dir, "files", r.attachment.fileId);
      if (existsSync(bytes)) {
        await send(
          base,
          key,
          "PUT",
          `${t}/restore/chats/${chatId}/files/${r.attachment.fileId}`,
          readFileSync(bytes),
          r.attachment.contentType,
        );
        files += 1;
      }
    }
    for (const shareId of new Set(shares.map((/** @type {any} */ s) => s.shareId))) {
      const transcript = join(dir, "transcripts", `${shareId}.json`);
      if (existsSync(transcript))
        await send(base, key, "PUT", `${t}/restore/chats/${chatId}/transcripts/${shareId}`, readFileSync(transcript), "application/json");
    }
    for (let i = 0; i < Math.max(records.length, shares.length); i += BATCH)
      await send(base, key, "POST", `${t}/restore/chats/${chatId}`, {
        head: restoreHead,
        files: records.slice(i, i + BATCH),
        shares: shares.slice(i, i + BATCH),
      });
  }
  for (const u of users) {
    const calls = join(from, "users", u.id, "calls.json");
    const records = existsSync(calls) ? readJson(calls) : [];
    for (let i = 0; i < records.length; i += BATCH)
      await send(base, key, "POST", `${t}/restore/users/${u.id}/calls`, { records: records.slice(i, i + BATCH) });
  }
  if (backup.settings) await send(base, key, "PUT", `${t}/settings`, backup.settings);
  if (backup.sso?.enabled)
    log("SSO não restaurado: configure de novo com PUT /api/tenants/{empresa}/sso (o segredo do cliente não sai da implantação)");
  return { users: users.length, chats: existsSync(chatsDir) ? readdirSync(chatsDir).length : 0, messages, files };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const f = flags(process.argv.slice(2));
  if (!f.from) {
    console.error("uso: npm run restore -- --from <pasta> [--tenant <empresa>]");
    process.exit(2);
  }
  const done = await restoreCompany({
    ...connection(),
    from: f.from,
    ...(f.tenant ? { tenant: f.tenant } : {}),
    log: (l) => console.log(l),
  });
  console.log(`restaurado: ${done.users} usuários, ${done.chats} conversas, ${done.messages} mensagens, ${done.files} arquivos`);
}
