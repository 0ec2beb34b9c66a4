/**
 * A company's own room (issue 18; one per company, id = the company): its
 * record, its settings (retention), its single sign-on, its admin keys, the
 * sign-ins through the identity provider under way, and the register of its
 * chats. Small and rarely written; the edge reads settings through a short
 * cache (edge/company.ts), so sign-ins do not ask here each time.
 *
 *   tenant_kv(key, value)   'schema' → layout version; 'company' → Company (JSON);
 *                           'settings' → Settings; 'sso' → StoredSso (the secret sealed)
 *   keys(id, hash, label, created_at, expires_at)
 *                           company admin keys: SHA-256 of the secret only; a rotated key
 *                           has an expiry (its grace period), a revoked one is deleted
 *   sso_states(hash, verifier, nonce, target, expires_at)
 *                           one row per sign-in started at the provider: taken (deleted)
 *                           by its callback, so a `state` works once; 10 minutes at most
 *   chats(chat_id, seen_at) every chat of the company that has run since this release
 */
import { DEFAULT_SETTINGS, type Company, type KeyInfo, type Settings } from "../../../protocol/admin";
import { answer, refusal, type StoredSso } from "../../../protocol/internal";
import { constantTimeEqual } from "../../domain/crypto";
import { keyLive, newKey } from "../../domain/keys";
import { digest } from "../../domain/session";
import type { RoomFactory, RoomHost } from "../../runtime/host";

/** Sign-ins under way, at most: past this a flood of starts is refused, not stored. */
const MAX_PENDING_STATES = 10_000;

const enc = new TextEncoder();

export const tenantRoom: RoomFactory<"tenant"> = (host: RoomHost) => {
  const db = host.storage;
  const tenant = host.id;

  const read = <T>(key: string): T | null => {
    const row = db.one<{ value: string }>("SELECT value FROM tenant_kv WHERE key = ?", key);
    return row ? (JSON.parse(row.value) as T) : null;
  };
  const write = (key: string, value: unknown) =>
    db.run(
      "INSERT INTO tenant_kv(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );

  type KeyRow = { id: string; hash: string; label: string; created_at: number; expires_at: number | null };
  const info = (r: KeyRow): KeyInfo => ({ id: r.id, label: r.label, createdAt: r.created_at, expiresAt: r.expires_at });

  async function createKey(label: string) {
    const k = newKey(tenant);
    const row: KeyRow = { id: k.id, hash: await digest(k.secret), label, created_at: host.now(), expires_at: null };
    db.run("INSERT INTO keys(id, hash, label, created_at, expires_at) VALUES (?, ?, ?, ?, NULL)", row.id, row.hash, label, row.created_at);
    return { info: info(row), key: k.key };
  }

  return {
    start() {
      db.run("CREATE TABLE IF NOT EXISTS tenant_kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      db.run(
        "CREATE TABLE IF NOT EXISTS keys (id TEXT PRIMARY KEY, hash TEXT NOT NULL, label TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER)",
      );
      db.run(
        "CREATE TABLE IF NOT EXISTS sso_states (hash TEXT PRIMARY KEY, verifier TEXT NOT NULL, nonce TEXT NOT NULL, target TEXT NOT NULL, expires_at INTEGER NOT NULL)",
      );
      db.run("CREATE INDEX IF NOT EXISTS sso_states_expiry ON sso_states(expires_at)");
      db.run("CREATE TABLE IF NOT EXISTS chats (chat_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL)");
      db.run("INSERT OR IGNORE INTO tenant_kv(key, value) VALUES ('schema', '1')");
    },

    handlers: {
      "tenant.get": () =>
        answer({
          company: read<Company>("company"),
          settings: { ...DEFAULT_SETTINGS, ...(read<Settings>("settings") ?? {}) },
          sso: read<StoredSso>("sso"),
        }),

      "tenant.put": ({ name }) => {
        const now = host.now();
        const before = read<Company>("company");
        const company: Company = { tenant, name, createdAt: before?.createdAt ?? now, updatedAt: now };
        write("company", company);
        return answer({ company, created: !before });
      },

      "tenant.settingsPut": (settings) => {
        write("settings", settings);
        return answer({ settings });
      },

      "tenant.ssoPut": ({ sso }) => {
        write("sso", sso);
        return answer({ sso });
      },

      "tenant.keyCreate": async ({ label }) => answer(await createKey(label)),

      "tenant.keyCheck": async ({ id, secret }) => {
        const row = db.one<KeyRow>("SELECT id, hash, label, created_at, expires_at FROM keys WHERE id = ?", id);
        // The digest runs for unknown ids too, so timing says nothing about which ids exist.
        const hash = await digest(secret);
        const ok = !!row && constantTimeEqual(enc.encode(hash), enc.encode(row.hash)) && keyLive(row, host.now());
        return answer({ ok });
      },

      "tenant.keyRotate": async ({ id, graceMs }) => {
        const row = db.one<KeyRow>("SELECT id, hash, label, created_at, expires_at FROM keys WHERE id = ?", id);
        if (!row || !keyLive(row, host.now())) return refusal("not_found", "chave não encontrada ou já expirada");
        const fresh = await createKey(row.label);

        const expiresAt = host.now() + graceMs;
        // A key already expiring sooner keeps its earlier end.
        db.run("UPDATE keys SET expires_at = ? WHERE id = ? AND (expires_at IS NULL OR expires_at > ?)", expiresAt, id, expiresAt);
        return answer(fresh);
      },

      "tenant.keyRevoke": ({ id }) => answer({ revoked: db.run("DELETE FROM keys WHERE id = ?", id) > 0 }),

      "tenant.keyList": () => {
        db.run("DELETE FROM keys WHERE expires_at IS NOT NULL AND expires_at <= ?", host.now());
        return answer({
          keys: db.all<KeyRow>("SELECT id, hash, label, created_at, expires_at FROM keys ORDER BY created_at, id").map(info),
        });
      },

      "tenant.ssoStateSave": ({ hash, verifier, nonce, to, ttlMs }) => {
        const now = host.now();
        db.run("DELETE FROM sso_states WHERE expires_at <= ?", now);
        const pending = db.one<{ n: number }>("SELECT count(*) AS n FROM sso_states")!.n;
        if (pending >= MAX_PENDING_STATES) return refusal("rate_limited", "Muitas entradas em andamento. Tente de novo em instantes.");
        db.run(
          "INSERT INTO sso_states(hash, verifier, nonce, target, expires_at) VALUES (?, ?, ?, ?, ?)",
          hash,
          verifier,
          nonce,
          to,
          now + ttlMs,
        );
        return answer({ ok: true as const });
      },

      "tenant.ssoStateTake": ({ hash }) => {
        const row = db.one<{ verifier: string; nonce: string; target: string; expires_at: number }>(
          "SELECT verifier, nonce, target, expires_at FROM sso_states WHERE hash = ?",
          hash,
        );
        // Taken out first: a state works once, also when two callbacks race.
        if (row) db.run("DELETE FROM sso_states WHERE hash = ?", hash);
        if (!row || row.expires_at <= host.now()) return answer({ state: null });
        return answer({ state: { verifier: row.verifier, nonce: row.nonce, to: row.target } });
      },

      "tenant.chatSeen": ({ chatId }) =>
        answer({ added: db.run("INSERT OR IGNORE INTO chats(chat_id, seen_at) VALUES (?, ?)", chatId, host.now()) > 0 }),

      "tenant.chats": ({ after, limit }) => {
        const rows = db.all<{ chat_id: string }>("SELECT chat_id FROM chats WHERE chat_id > ? ORDER BY chat_id LIMIT ?", after, limit + 1);
        const more = rows.length > limit;
        if (more) rows.pop();
        return answer({ chatIds: rows.map((r) => r.chat_id), next: more ? rows.at(-1)!.chat_id : null });
      },
    },
  };
};
