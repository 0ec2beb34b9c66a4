/**
 * The tenant's directory room (one per company): users, password hashes,
 * extensions, enabled modules. It signs people in and answers who exists.
 * Only the edge and sibling rooms call it (service token); the edge has already
 * checked the admin key or the caller's session.
 *
 * Storage layout:
 *   user:<userId>   → UserRecord (domain/directory.ts)
 *   login:<login>   → userId   (login lower-cased; unique per tenant)
 *   link:<hash>     → a one-time sign-in link (R31, directory-links.ts)
 * All users are loaded into memory on start: a company's directory is small.
 */
import { CloseCode, LoginBody, UserUpsertBody, USER_ID_RE, parseJson, userRoomId, type DirectoryServerFrame } from "../../protocol";
import { DUMMY_HASH, hashPassword, verifyPassword } from "../domain/crypto";
import { PresenceBoard } from "../domain/presence";
import { applyUpsert, LOGIN_REFUSAL, loginKey, maySignIn, publicUser, sessionStillValid, type UserRecord } from "../domain/directory";
import { issueSession } from "../domain/session";
import type { RoomFactory, RoomHost, RoomLogic } from "./host";
import { directoryLinks } from "./directory-links";
import { errorResponse, json, readBody, refuse } from "./respond";

const BODY_LIMIT = 16 * 1024;
/** An on-line user whose room has not confirmed it for this long is taken as off-line (user-presence.ts refreshes every minute). */
const PRESENCE_EXPIRY_MS = 150_000;

export const directoryRoom: RoomFactory = (host: RoomHost): RoomLogic => {
  const users = new Map<string, UserRecord>();
  const byLogin = new Map<string, string>();
  /**
   * Who is on-line (R5), as each user's own room last announced it, stamped so a
   * late announcement cannot undo a newer one. Kept in memory only: presence is
   * about open sockets, which do not outlive the process either.
   */
  const presence = new PresenceBoard(PRESENCE_EXPIRY_MS);
  let expiry: ReturnType<typeof setInterval> | null = null;
  const fanOut = (userId: string, online: boolean) => {
    const data = JSON.stringify({ type: "presence.update", userId, online } satisfies DirectoryServerFrame);
    for (const s of host.sockets()) s.send(data);
  };

  /** Turns off-line whoever has not been confirmed on-line lately (their user room went away without a word). */
  function expire() {
    for (const userId of presence.expire(Date.now())) fanOut(userId, false);
    if (!presence.anyOnline() && expiry) {
      clearInterval(expiry);
      expiry = null;
    }
  }
  /** Upserts run one after another: the login-uniqueness check and the write must not interleave. */
  let upserts: Promise<unknown> = Promise.resolve();
  /** One-time sign-in links (R31): storage keys link:<hash>. */
  const links = directoryLinks({ host, user: (id) => users.get(id) ?? null });

  async function login(req: Request): Promise<Response> {
    const text = await readBody(req, BODY_LIMIT);
    if (text === null) return errorResponse("too_large", "corpo grande demais");
    const parsed = parseJson(LoginBody, text);
    if (!parsed.ok) return errorResponse("invalid_body", parsed.message, parsed.field);
    const id = byLogin.get(loginKey(parsed.value.login));
    const user = id ? (users.get(id) ?? null) : null;
    // Always run the hash, so an unknown login takes as long as a wrong password.
    const good = await verifyPassword(parsed.value.password, maySignIn(user) ? user.passwordHash : DUMMY_HASH);
    if (!good || !maySignIn(user)) return errorResponse("unauthorized", LOGIN_REFUSAL);
    const token = await issueSession(host.config.sessionSecret, {
      userId: user.id,
      // The room's own id, not the body: a session names the directory that issued it.
      tenant: host.id,
      sessionVersion: user.sessionVersion,
    });
    return json({ token, user: publicUser(user) });
  }

  async function upsert(id: string, req: Request): Promise<Response> {
    const text = await readBody(req, BODY_LIMIT);
    if (text === null) return errorResponse("too_large", "corpo grande demais");
    const parsed = parseJson(UserUpsertBody, text);
    if (!parsed.ok) return errorResponse("invalid_body", parsed.message, parsed.field);
    const body = parsed.value;
    const hash = body.password !== undefined ? await hashPassword(body.password) : undefined;
    const existing = users.get(id) ?? null;
    const result = applyUpsert(id, existing, body, hash, byLogin.get(loginKey(body.login)) ?? null, Date.now());
    if ("refused" in result) return errorResponse("invalid_body", "login já usado por outro usuário", "login");
    const { record, created, disabledNow } = result;
    const writes: Record<string, unknown> = { [`user:${id}`]: record, [`login:${loginKey(record.login)}`]: id };
    await host.storage.put(writes);
    if (existing && loginKey(existing.login) !== loginKey(record.login)) {
      await host.storage.delete(`login:${loginKey(existing.login)}`);
      byLogin.delete(loginKey(existing.login));
    }
    users.set(id, record);
    byLogin.set(loginKey(record.login), id);
    if (disabledNow) {
      // End the user's open sockets: this room's (presence), their user room's and their chats'.
      for (const s of [...host.sockets()]) if (s.identity.userId === id) s.close(CloseCode.disabled, "usuário desativado");
      host.waitUntil(host.call("user", userRoomId(host.id, id), "/kick", { method: "POST" }).catch(() => undefined));
    }
    return json(publicUser(record), created ? 201 : 200);
  }

  /** `POST /presence {userId, online, at}` from a user's room: fanned out to every watcher of the company. */
  async function announce(req: Request): Promise<Response> {
    const text = await readBody(req, 1024);
    let body: { userId?: unknown; online?: unknown; at?: unknown } = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      /* answered below */
    }
    const { userId, online, at } = body;
    if (typeof userId !== "string" || !users.has(userId) || typeof online !== "boolean" || typeof at !== "number")
      return errorResponse("invalid_body", "corpo inválido");
    const change = presence.announce(userId, online, at, Date.now());
    if (online) expiry ??= setInterval(expire, PRESENCE_EXPIRY_MS / 4);
    if (change) fanOut(change.userId, change.online);
    return json({ ok: true, changed: !!change });
  }

  return {
    async onStart() {
      const stored = await host.storage.list<UserRecord>({ prefix: "user:" });
      for (const u of stored.values()) {
        users.set(u.id, u);
        byLogin.set(loginKey(u.login), u.id);
      }
    },
    async onConnect(socket) {
      socket.admitted = true;
      socket.send(JSON.stringify({ type: "presence.snapshot", online: presence.online() } satisfies DirectoryServerFrame));
    },
    async onMessage() {},
    onClose() {},
    async onRequest(req, caller) {
      if (!caller.service) return refuse(req, "unauthorized", "chamada não autorizada");
      const url = new URL(req.url);
      const path = url.pathname.replace(/^.*\/parties\/directory\/[^/]+/, "");
      if (path === "/login" && req.method === "POST") return login(req);
      if (path === "/presence" && req.method === "POST") return announce(req);
      if ((path === "/links" || path === "/links/redeem") && req.method === "POST") {
        const text = await readBody(req, 4096);
        if (text === null) return errorResponse("too_large", "corpo grande demais");
        return path === "/links" ? links.issue(text) : links.redeem(text);
      }
      if (path === "/contacts" && req.method === "GET") {
        const list = [...users.values()].filter((u) => u.enabled && u.modules.includes("conversas")).map(publicUser);
        list.sort((a, b) => a.name.localeCompare(b.name, "pt-BR"));
        return json({ users: list });
      }
      if (path === "/session-check" && req.method === "GET") {
        const u = users.get(url.searchParams.get("user") ?? "") ?? null;
        const ok = sessionStillValid(u, Number(url.searchParams.get("sv")));
        return ok ? json({ ok: true, user: publicUser(u!) }) : errorResponse("unauthorized", "sessão encerrada");
      }
      if (path === "/users-exist" && req.method === "GET") {
        const ids = (url.searchParams.get("ids") ?? "").split(",").filter(Boolean);
        return json({ existing: ids.filter((i) => users.has(i)) });
      }
      const m = /^\/users\/([^/]+)$/.exec(path);
      if (m) {
        const id = decodeURIComponent(m[1]!);
        if (!USER_ID_RE.test(id)) return errorResponse("invalid_body", "id de usuário inválido", "userId");
        if (req.method === "PUT") {
          const run = upserts.then(() => upsert(id, req));
          upserts = run.catch(() => undefined);
          return run;
        }
        if (req.method === "GET") {
          const u = users.get(id);
          return u ? json(publicUser(u)) : errorResponse("not_found", "usuário não encontrado");
        }
      }
      return refuse(req, "not_found", "rota desconhecida");
    },
  };
};
