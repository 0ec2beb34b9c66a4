/**
 * The company's directory (one room per company): its users and their logins,
 * and the one-time sign-in links of R31. Only the edge and sibling rooms reach
 * it (the edge has checked the admin key or the caller's session). It does no
 * password hashing and holds no sockets: a flood of sign-ins or open apps never
 * slows it (the edge hashes, the hub holds the sockets, the guard rooms count
 * failures).
 *
 *   dir_kv(key, value)                  'schema' → layout version
 *   users(id, login_key, record)        UserRecord (domain/directory.ts) as JSON; login_key unique
 *   links(hash, user_id, target, expires_at)
 *                                       one-time sign-in links: only a hash of the token
 *
 * All users are kept in memory too: a company's directory is small, and
 * "contacts" and "known" are asked often.
 */
import type { PublicUser } from "../../../protocol/http";
import { userRoomId } from "../../../protocol/ids";
import { answer, refusal, type RouteBody } from "../../../protocol/internal";
import { adminUser, applyUpsert, erasedRecord, loginKey, mayUse, publicUser, type UserRecord } from "../../domain/directory";
import { foldText } from "../../domain/search";
import type { RoomFactory, RoomHost } from "../../runtime/host";
import { directoryLinks } from "./links";
import { migrateLegacy } from "./migrate";

export const directoryRoom: RoomFactory<"directory"> = (host: RoomHost) => {
  const db = host.storage;
  const users = new Map<string, UserRecord>();
  const byLogin = new Map<string, string>();
  /** Upserts run one after another: the login-uniqueness check and the write must not interleave. */
  let upserts: Promise<unknown> = Promise.resolve();
  const links = directoryLinks(host, (id) => users.get(id) ?? null);

  function store(record: UserRecord, previous: UserRecord | null): void {
    db.run(
      "INSERT INTO users(id, login_key, record) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET login_key = excluded.login_key, record = excluded.record",
      record.id,
      loginKey(record.login),
      JSON.stringify(record),
    );
    if (previous && loginKey(previous.login) !== loginKey(record.login)) byLogin.delete(loginKey(previous.login));
    users.set(record.id, record);
    byLogin.set(loginKey(record.login), record.id);
  }

  /** Ends every session of the user, wherever its sockets are (their own room knows where). */
  function endSessions(userId: string, reason: "disabled" | "password" | "signout"): Promise<unknown> {
    return host.call("user.sessionEndAll", userRoomId(host.id, userId), { reason });
  }

  function upsert({ userId, body, passwordHash }: RouteBody<"directory.upsert">) {
    const run = upserts.then(async () => {
      const existing = users.get(userId) ?? null;
      // Erasure is for good (issue 18.7): the id stays taken, the person does not come back.
      if (existing?.erased) return refusal("not_found", "usuário removido", "userId");
      const result = applyUpsert(userId, existing, body, passwordHash, byLogin.get(loginKey(body.login)) ?? null, host.now());
      if ("refused" in result) return refusal("invalid_body", "login já usado por outro usuário", "login");
      store(result.record, existing);
      if (result.disabledNow || result.passwordChanged) await endSessions(userId, result.disabledNow ? "disabled" : "password");
      return answer({ user: publicUser(result.record), created: result.created });
    });
    upserts = run.catch(() => undefined);
    return run;
  }

  /** The administration's list: every user (enabled or not), by name, searched on the folded text of their fields. */
  function list({ q, enabled, offset, limit }: RouteBody<"directory.list">) {
    const terms = foldText(q).split(/\s+/).filter(Boolean);
    const found = [...users.values()]
      .filter((u) => enabled === undefined || u.enabled === enabled)
      .filter((u) => {
        if (terms.length === 0) return true;
        const text = foldText([u.name, u.login, u.email, u.department, u.extension ?? "", u.id].join(" "));
        return terms.every((t) => text.includes(t));
      })
      .sort((a, b) => a.name.localeCompare(b.name, "pt-BR") || a.id.localeCompare(b.id));
    return answer({ users: found.slice(offset, offset + limit).map(adminUser), total: found.length, offset, limit });
  }

  /** Runs a change to one existing user after the upserts before it; ends their sessions when asked. */
  function change(userId: string, make: (u: UserRecord) => UserRecord, end: "password" | "disabled" | null) {
    const run = upserts.then(async () => {
      const existing = users.get(userId);
      if (!existing) return refusal("not_found", "usuário não encontrado");
      const next = make(existing);
      store(next, existing);
      if (end) await endSessions(userId, end);
      return answer({ user: adminUser(next) });
    });
    upserts = run.catch(() => undefined);
    return run;
  }

  const contacts = (): PublicUser[] =>
    [...users.values()]
      .filter((u) => mayUse(u))
      .map(publicUser)
      .sort((a, b) => a.name.localeCompare(b.name, "pt-BR"));

  return {
    async start() {
      db.run("CREATE TABLE IF NOT EXISTS dir_kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      db.run("CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, login_key TEXT NOT NULL UNIQUE, record TEXT NOT NULL)");
      db.run(
        "CREATE TABLE IF NOT EXISTS links (hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, target TEXT NOT NULL, expires_at INTEGER NOT NULL)",
      );
      db.run("INSERT OR IGNORE INTO dir_kv(key, value) VALUES ('schema', '1')");
      await migrateLegacy(host);
      for (const r of db.all<{ record: string }>("SELECT record FROM users")) {
        const u = JSON.parse(r.record) as UserRecord;
        users.set(u.id, u);
        byLogin.set(loginKey(u.login), u.id);
      }
    },

    handlers: {
      "directory.access": ({ login, userId }) => {
        const id = userId ?? (login !== undefined ? byLogin.get(loginKey(login)) : undefined);
        const u = id ? (users.get(id) ?? null) : null;
        return answer({
          access: u
            ? {
                user: publicUser(u),
                passwordHash: u.passwordHash,
                sessionVersion: u.sessionVersion,
                mayUse: mayUse(u),
                sipCredentials: u.sipCredentials ?? null,
                admin: u.admin === true,
              }
            : null,
        });
      },
      "directory.contacts": () => answer({ users: contacts() }),
      "directory.known": ({ ids }) => answer({ known: ids.filter((id) => mayUse(users.get(id) ?? null)) }),
      "directory.user": ({ userId }) => {
        const u = users.get(userId);
        return answer({ user: u ? publicUser(u) : null });
      },
      "directory.upsert": upsert,
      "directory.endSessions": async ({ userId }) => {
        const u = users.get(userId);
        if (!u) return refusal("not_found", "usuário não encontrado");
        const next: UserRecord = { ...u, sessionVersion: u.sessionVersion + 1, updatedAt: host.now() };
        store(next, u);
        await endSessions(userId, "signout");
        return answer({ sessionVersion: next.sessionVersion });
      },
      "directory.sipCredentials": ({ userId, sealed }) => {
        const u = users.get(userId);
        if (!u) return refusal("not_found", "usuário não encontrado");
        store({ ...u, sipCredentials: sealed, updatedAt: host.now() }, u);
        return answer({ updated: true });
      },
      "directory.linkIssue": (body) => links.issue(body),
      "directory.linkRedeem": (body) => links.redeem(body),
      "directory.list": list,
      "directory.admin": ({ userId }) => {
        const u = users.get(userId);
        return answer({ user: u ? adminUser(u) : null });
      },
      "directory.setPassword": ({ userId, passwordHash }) =>
        change(userId, (u) => ({ ...u, passwordHash, sessionVersion: u.sessionVersion + 1, updatedAt: host.now() }), "password"),
      "directory.erase": ({ userId }) => change(userId, (u) => erasedRecord(u, host.now()), "disabled"),
      // PBX credentials stay out: sealed with this deployment's secret, they mean nothing elsewhere (set them again).
      "directory.backup": () => answer({ users: [...users.values()].map(({ sipCredentials: _sealed, ...u }) => u) }),
      "directory.restore": ({ users: records }) => {
        const run = upserts.then(() => {
          for (const r of records) {
            const owner = byLogin.get(loginKey(r.login));
            if (owner && owner !== r.id) return refusal("invalid_body", `login já usado por outro usuário: ${r.login}`, "users");
          }
          db.transaction(() => {
            for (const r of records) store({ ...r } as UserRecord, users.get(r.id) ?? null);
          });
          return answer({ restored: records.length });
        });
        upserts = run.catch(() => undefined);
        return run;
      },
    },
  };
};
