/**
 * Signing in and out (R1, issue 12.3/12.4). A sign-in is counted by the guard
 * rooms before the password is looked at (429 "Muitas tentativas…" once an
 * account or an address has failed too often), the password is checked here at
 * the edge (the directory only hands over the stored hash), every failure is
 * logged with company, login and address, and a success opens a session in the
 * user's own room. The browser keeps the refresh token and renews the
 * short-lived access token with it while the app is open; "Sair" ends that
 * session, "Sair de todos os dispositivos" (and a password change, or disabling
 * the user) ends all of them, and their sockets close at once.
 */
import { LoginBody } from "../../protocol/http";
import { TENANT_RE, userRoomId } from "../../protocol/ids";
import type { UserAccess } from "../../protocol/internal";
import { parseJson } from "../../protocol/validate";
import { DUMMY_HASH, verifyPassword } from "../domain/crypto";
import { LOGIN_REFUSAL, loginKey } from "../domain/directory";
import { tooManyAttempts } from "../domain/guard";
import { issueAccess, issueRefresh, readAccess, readRefresh, type Identity } from "../domain/session";
import { bearerOf } from "../runtime/adapter";
import type { RoomConfig } from "../runtime/config";
import type { CallRoom } from "../runtime/host";
import { errorResponse, json, readBody, refusalResponse } from "../runtime/respond";
import { log } from "../runtime/log";
import { clientAddress } from "./address";
import { audit, companySettings, passwordsAllowed } from "./company";
import type { Ctx } from "./route";

/** Guard rooms for client addresses: a few, chosen by the address. */
const ADDRESS_GUARDS = 8;

function addressGuard(address: string): string {
  let h = 0;
  for (let i = 0; i < address.length; i++) h = (h * 31 + address.charCodeAt(i)) >>> 0;
  return `ip.${h % ADDRESS_GUARDS}`;
}

/** Opens a session for a user the caller has proven to be, and answers like `/api/login`. */
export async function openSession(
  req: Request,
  config: RoomConfig,
  call: CallRoom,
  tenant: string,
  access: UserAccess,
  extra: Record<string, unknown> = {},
): Promise<Response> {
  const created = await call("user.sessionCreate", userRoomId(tenant, access.user.id), {
    sessionVersion: access.sessionVersion,
    agent: (req.headers.get("user-agent") ?? "").slice(0, 300),
    address: clientAddress(req),
  });
  if (!created.ok) return refusalResponse(created);
  const who: Identity = { userId: access.user.id, tenant, sid: created.value.sid };
  const now = Date.now();
  return json({
    token: await issueAccess(config.sessionSecret, who, config.accessTtlMs, now),
    expiresAt: now + config.accessTtlMs,
    refreshToken: await issueRefresh(config.sessionSecret, who, created.value.secret),
    user: access.user,
    ...extra,
  });
}

export async function login(ctx: Ctx): Promise<Response> {
  const { req, config, call } = ctx;
  const text = await readBody(req, 16 * 1024);
  if (text === null) return errorResponse("too_large", "corpo grande demais");
  const parsed = parseJson(LoginBody, text);
  if (!parsed.ok) return errorResponse("invalid_body", parsed.message, parsed.field);
  const { tenant, login: name, password } = parsed.value;
  ctx.trace.tenant = tenant;
  const address = clientAddress(req);
  // A company that signs in only through its identity provider (issue 18.1) refuses passwords outright.
  if (!passwordsAllowed((await companySettings(call, tenant))?.sso ?? null))
    return errorResponse("forbidden", 'Esta empresa entra com a conta da empresa: use "Entrar com a conta da empresa".', "password");
  const accountKey = `acct:${loginKey(name)}`;
  const addressKey = `ip:${address}`;
  const [account, place] = await Promise.all([
    call("guard.check", tenant, { keys: [accountKey] }),
    call("guard.check", addressGuard(address), { keys: [addressKey] }),
  ]);
  const wait = Math.max(account.ok ? account.value.retryAfterMs : 0, place.ok ? place.value.retryAfterMs : 0);
  if (wait > 0) {
    log("warn", "login_limited", { tenant, login: name, address, retryAfterMs: wait });
    return errorResponse("rate_limited", tooManyAttempts(wait), undefined, { "retry-after": String(Math.ceil(wait / 1000)) });
  }
  const found = await call("directory.access", tenant, { login: name });
  if (!found.ok) return refusalResponse(found);
  const access = found.value.access;
  // Always run the hash, so an unknown login takes as long as a wrong password.
  const good = await verifyPassword(password, access?.passwordHash ?? DUMMY_HASH);
  const ok = good && !!access?.mayUse && !!access.passwordHash;
  await Promise.all([
    call("guard.record", tenant, { keys: [accountKey], ok }),
    call("guard.record", addressGuard(address), { keys: [addressKey], ok }),
  ]);
  if (!ok) {
    log("warn", "login_failed", { requestId: ctx.trace.requestId, tenant, login: name, address });
    // Written after the answer: a flood of wrong passwords never waits on the trail.
    ctx.waitUntil(
      audit(
        ctx,
        tenant,
        { kind: "anonymous", id: name },
        { action: "login.failure", target: access?.user.id ?? "", ok: false, detail: { method: "password" } },
      ),
    );
    return errorResponse("unauthorized", LOGIN_REFUSAL);
  }
  ctx.trace.userId = access!.user.id;
  log("info", "login", { requestId: ctx.trace.requestId, tenant, userId: access!.user.id, address });
  ctx.waitUntil(
    audit(
      ctx,
      tenant,
      { kind: "user", id: access!.user.id },
      { action: "login.success", target: access!.user.id, detail: { method: "password" } },
    ),
  );
  return openSession(req, config, call, tenant, access!);
}

export async function refresh(req: Request, config: RoomConfig, call: CallRoom): Promise<Response> {
  const text = await readBody(req, 8 * 1024);
  let token: unknown;
  try {
    token = text ? (JSON.parse(text) as { refreshToken?: unknown }).refreshToken : undefined;
  } catch {
    /* answered below */
  }
  const who = await readRefresh(config.sessionSecret, typeof token === "string" ? token : null);
  if (!who) return errorResponse("unauthorized", "sessão encerrada; entre de novo");
  const found = await call("directory.access", who.tenant, { userId: who.userId });
  const access = found.ok ? found.value.access : null;
  if (!access?.mayUse) return errorResponse("unauthorized", "sessão encerrada; entre de novo");
  const renewed = await call("user.sessionRefresh", userRoomId(who.tenant, who.userId), {
    sid: who.sid,
    secret: who.key,
    sessionVersion: access.sessionVersion,
  });
  if (!renewed.ok) return errorResponse("unauthorized", "sessão encerrada; entre de novo");
  const now = Date.now();
  return json({
    token: await issueAccess(config.sessionSecret, who, config.accessTtlMs, now),
    expiresAt: now + config.accessTtlMs,
    user: access.user,
  });
}

/** "Sair": ends this session (the access token, or the refresh token when the access token has expired). */
export async function logout(ctx: Ctx): Promise<Response> {
  const { req, config, call } = ctx;
  let who: Identity | null = await readAccess(config.sessionSecret, bearerOf(req));
  if (!who) {
    const text = await readBody(req, 8 * 1024);
    try {
      who = await readRefresh(config.sessionSecret, text ? ((JSON.parse(text) as { refreshToken?: string }).refreshToken ?? null) : null);
    } catch {
      who = null;
    }
  }
  if (!who) return errorResponse("unauthorized", "sessão inválida");
  const res = await call("user.sessionEnd", userRoomId(who.tenant, who.userId), { sid: who.sid });
  if (!res.ok) return refusalResponse(res);
  ctx.trace.tenant = who.tenant;
  ctx.trace.userId = who.userId;
  log("info", "logout", { requestId: ctx.trace.requestId, tenant: who.tenant, userId: who.userId });
  ctx.waitUntil(audit(ctx, who.tenant, { kind: "user", id: who.userId }, { action: "session.end", target: who.userId }));
  return new Response(null, { status: 204 });
}

/** "Sair de todos os dispositivos": every session of the caller ends, here and elsewhere. */
export async function logoutEverywhere(ctx: Ctx): Promise<Response> {
  const who = ctx.who!;
  const res = await ctx.call("directory.endSessions", who.tenant, { userId: who.userId });
  if (!res.ok) return refusalResponse(res);
  log("info", "logout_all", { requestId: ctx.trace.requestId, tenant: who.tenant, userId: who.userId });
  ctx.waitUntil(audit(ctx, who.tenant, { kind: "user", id: who.userId }, { action: "session.end_all", target: who.userId }));
  return new Response(null, { status: 204 });
}

export const isTenant = (t: string) => TENANT_RE.test(t);
