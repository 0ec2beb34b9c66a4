/**
 * The company's administration over HTTP (issue 18.2–18.4, 18.6, 18.7): the
 * company record and its keys (the platform key creates them; a company key or
 * a signed-in company admin manages its own), settings, users (list, search,
 * page, create, edit, enable/disable, password, sessions, erasure) and the audit
 * trail. Same validation and errors as the user API; every write is audited.
 */
import * as v from "valibot";
import {
  AuditFilter,
  CompanyBody,
  EraseBody,
  KeyCreateBody,
  KeyRotateBody,
  PasswordBody,
  SettingsBody,
  UserPatchBody,
} from "../../protocol/admin";
import { SipCredentialsBody, UserUpsertBody } from "../../protocol/http";
import { chatRoomId, userRoomId } from "../../protocol/ids";
import { parse } from "../../protocol/validate";
import { hashPassword } from "../domain/crypto";
import { seal } from "../domain/secretbox";
import { DEFAULT_GRACE_MS } from "../domain/keys";
import { errorResponse, json, refusalResponse } from "../runtime/respond";
import { audit, companySettings, forgetSettings, passwordsAllowed } from "./company";
import { companyChats } from "./archive";
import { SIP_PURPOSE, T, U, jsonBody, type ApiRoute, type AuditNote, type Ctx } from "./route";
import type { Route, RouteBody } from "../../protocol/internal";

const body = jsonBody;

const tenantOf = (ctx: Ctx) => ctx.params.tenant!;

/** A route under `/api/tenants/{t}`; `rest` is the rest of its path, as a regex source. */
const tenantRoute = (method: ApiRoute["method"], rest: string, access: ApiRoute["access"], handle: ApiRoute["handle"]): ApiRoute => ({
  method,
  path: new RegExp(`^/api/tenants/${T}${rest}$`),
  access,
  handle,
});

/**
 * A write to the user in the path with nothing to answer: the company's room
 * does it, the audit trail records it against that user, then 204.
 */
async function userWrite<R extends Route>(
  ctx: Ctx,
  route: R,
  input: RouteBody<R>,
  action: AuditNote["action"],
  detail?: AuditNote["detail"],
): Promise<Response> {
  const res = await ctx.call(route, tenantOf(ctx), input);
  if (!res.ok) return refusalResponse(res);
  await audit(ctx, tenantOf(ctx), ctx.actor!, { action, target: ctx.params.userId!, ...(detail ? { detail } : {}) });
  return new Response(null, { status: 204 });
}

/** `PUT /api/tenants/{t}/users/{u}`: create or replace; the password is hashed here, at the edge. */
async function upsertUser(ctx: Ctx): Promise<Response> {
  const parsed = await body(ctx, UserUpsertBody);
  if (!parsed.ok) return parsed.response;
  return storeUser(ctx, parsed.value);
}

async function storeUser(ctx: Ctx, user: v.InferOutput<typeof UserUpsertBody>): Promise<Response> {
  const tenant = tenantOf(ctx);
  if (user.password !== undefined && !passwordsAllowed((await companySettings(ctx.call, tenant))?.sso ?? null))
    return errorResponse("forbidden", "o login por senha está desligado nesta empresa (entrada pela conta da empresa)", "password");
  const passwordHash = user.password !== undefined ? await hashPassword(user.password) : undefined;
  const res = await ctx.call("directory.upsert", tenant, {
    userId: ctx.params.userId!,
    body: user,
    ...(passwordHash ? { passwordHash } : {}),
  });
  if (!res.ok) return refusalResponse(res);
  await audit(ctx, tenant, ctx.actor!, {
    action: res.value.created ? "user.create" : "user.update",
    target: ctx.params.userId!,
    detail: { enabled: user.enabled, admin: user.admin ?? null, password: user.password !== undefined },
  });
  const admin = await ctx.call("directory.admin", tenant, { userId: ctx.params.userId! });
  return json(admin.ok && admin.value.user ? admin.value.user : res.value.user, res.value.created ? 201 : 200);
}

/** `PATCH …/users/{u}`: the stored user with the given fields changed, validated as a whole like a PUT. */
async function patchUser(ctx: Ctx): Promise<Response> {
  const parsed = await body(ctx, UserPatchBody);
  if (!parsed.ok) return parsed.response;
  const found = await ctx.call("directory.admin", tenantOf(ctx), { userId: ctx.params.userId! });
  if (!found.ok) return refusalResponse(found);
  const u = found.value.user;
  if (!u || u.erased) return errorResponse("not_found", "usuário não encontrado");
  const { id: _id, localLogin: _p, erased: _e, createdAt: _c, updatedAt: _u, ...current } = u;
  const merged = parse(UserUpsertBody, { ...current, ...parsed.value });
  if (!merged.ok) return errorResponse("invalid_body", merged.message, merged.field);
  return storeUser(ctx, merged.value);
}

function intParam(url: URL, name: string, fallback: number, max: number): number | null {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) > max) return null;
  return Number(raw);
}

export const ADMIN_ROUTES: ApiRoute[] = [
  // ---- companies and keys -----------------------------------------------------------------
  tenantRoute("PUT", "", "platform", async (ctx) => {
    const parsed = await body(ctx, CompanyBody);
    if (!parsed.ok) return parsed.response;
    const res = await ctx.call("tenant.put", tenantOf(ctx), parsed.value);
    if (!res.ok) return refusalResponse(res);
    await audit(ctx, tenantOf(ctx), ctx.actor!, { action: "company.put", target: tenantOf(ctx), detail: { created: res.value.created } });
    return json(res.value.company, res.value.created ? 201 : 200);
  }),
  tenantRoute("GET", "", "company", async (ctx) => {
    const res = await ctx.call("tenant.get", tenantOf(ctx), {});
    if (!res.ok) return refusalResponse(res);
    return json({ company: res.value.company, settings: res.value.settings });
  }),
  tenantRoute("POST", "/keys", "platform", async (ctx) => {
    const parsed = await body(ctx, KeyCreateBody);
    if (!parsed.ok) return parsed.response;
    const company = await ctx.call("tenant.get", tenantOf(ctx), {});
    if (!company.ok) return refusalResponse(company);
    if (!company.value.company) return errorResponse("not_found", "empresa não encontrada: crie-a antes (PUT /api/tenants/{empresa})");
    const res = await ctx.call("tenant.keyCreate", tenantOf(ctx), { label: parsed.value.label });
    if (!res.ok) return refusalResponse(res);
    await audit(ctx, tenantOf(ctx), ctx.actor!, { action: "key.create", target: res.value.info.id });
    // The only time the key is shown: it is kept hashed.
    return json({ ...res.value.info, key: res.value.key }, 201);
  }),
  tenantRoute("GET", "/keys", "company", async (ctx) => {
    const res = await ctx.call("tenant.keyList", tenantOf(ctx), {});
    return res.ok ? json(res.value) : refusalResponse(res);
  }),
  tenantRoute("POST", "/keys/(?<keyId>[a-z0-9]{10})/rotate", "company", async (ctx) => {
    const parsed = await body(ctx, KeyRotateBody);
    if (!parsed.ok) return parsed.response;
    const graceMs = parsed.value.graceSeconds !== undefined ? parsed.value.graceSeconds * 1000 : DEFAULT_GRACE_MS;
    const res = await ctx.call("tenant.keyRotate", tenantOf(ctx), { id: ctx.params.keyId!, graceMs });
    if (!res.ok) return refusalResponse(res);
    await audit(ctx, tenantOf(ctx), ctx.actor!, {
      action: "key.rotate",
      target: ctx.params.keyId!,
      detail: { newKey: res.value.info.id, graceSeconds: graceMs / 1000 },
    });
    return json({ ...res.value.info, key: res.value.key, previous: { id: ctx.params.keyId!, expiresAt: Date.now() + graceMs } }, 201);
  }),
  tenantRoute("DELETE", "/keys/(?<keyId>[a-z0-9]{10})", "company", async (ctx) => {
    const res = await ctx.call("tenant.keyRevoke", tenantOf(ctx), { id: ctx.params.keyId! });
    if (!res.ok) return refusalResponse(res);
    if (!res.value.revoked) return errorResponse("not_found", "chave não encontrada");
    await audit(ctx, tenantOf(ctx), ctx.actor!, { action: "key.revoke", target: ctx.params.keyId! });
    return new Response(null, { status: 204 });
  }),

  // ---- settings (retention) -----------------------------------------------------------------
  tenantRoute("GET", "/settings", "company", async (ctx) => {
    const res = await ctx.call("tenant.get", tenantOf(ctx), {});
    return res.ok ? json(res.value.settings) : refusalResponse(res);
  }),
  tenantRoute("PUT", "/settings", "company", async (ctx) => {
    const parsed = await body(ctx, SettingsBody);
    if (!parsed.ok) return parsed.response;
    const tenant = tenantOf(ctx);
    const res = await ctx.call("tenant.settingsPut", tenant, parsed.value);
    if (!res.ok) return refusalResponse(res);
    forgetSettings(tenant);
    await audit(ctx, tenant, ctx.actor!, {
      action: "settings.put",
      target: tenant,
      detail: { retentionDays: parsed.value.retentionDays },
    });
    // Every chat of the company learns it now (they also ask again on their own every few hours).
    const days = parsed.value.retentionDays;
    ctx.waitUntil(
      companyChats(ctx.call, tenant).then(async (chats) => {
        for (let i = 0; i < chats.length; i += 50)
          await Promise.all(chats.slice(i, i + 50).map((chatId) => ctx.call("chat.retention", chatRoomId(tenant, chatId), { days })));
      }),
    );
    return json(res.value.settings);
  }),

  // ---- users ------------------------------------------------------------------------------
  tenantRoute("GET", "/users", "company", async (ctx) => {
    const url = new URL(ctx.req.url);
    const offset = intParam(url, "offset", 0, 1_000_000);
    const limit = intParam(url, "limit", 50, 200);
    if (offset === null) return errorResponse("invalid_body", "offset deve ser um inteiro de 0 a 1000000", "offset");
    if (limit === null || limit < 1) return errorResponse("invalid_body", "limit deve ser um inteiro de 1 a 200", "limit");
    const q = (url.searchParams.get("q") ?? "").slice(0, 100);
    const enabledRaw = url.searchParams.get("enabled");
    if (enabledRaw !== null && enabledRaw !== "true" && enabledRaw !== "false")
      return errorResponse("invalid_body", "enabled deve ser true ou false", "enabled");
    const res = await ctx.call("directory.list", tenantOf(ctx), {
      q,
      offset,
      limit,
      ...(enabledRaw !== null ? { enabled: enabledRaw === "true" } : {}),
    });
    return res.ok ? json(res.value) : refusalResponse(res);
  }),
  tenantRoute("PUT", `/users/${U}`, "company", upsertUser),
  tenantRoute("PATCH", `/users/${U}`, "company", patchUser),
  tenantRoute("GET", `/users/${U}`, "company", async (ctx) => {
    const res = await ctx.call("directory.admin", tenantOf(ctx), { userId: ctx.params.userId! });
    if (!res.ok) return refusalResponse(res);
    return res.value.user ? json(res.value.user) : errorResponse("not_found", "usuário não encontrado");
  }),
  tenantRoute("POST", `/users/${U}/password`, "company", async (ctx) => {
    const parsed = await body(ctx, PasswordBody);
    if (!parsed.ok) return parsed.response;
    const tenant = tenantOf(ctx);
    if (!passwordsAllowed((await companySettings(ctx.call, tenant))?.sso ?? null))
      return errorResponse("forbidden", "o login por senha está desligado nesta empresa (entrada pela conta da empresa)", "password");
    const found = await ctx.call("directory.admin", tenant, { userId: ctx.params.userId! });
    if (!found.ok) return refusalResponse(found);
    if (!found.value.user || found.value.user.erased) return errorResponse("not_found", "usuário não encontrado");
    const passwordHash = await hashPassword(parsed.value.password);
    return userWrite(ctx, "directory.setPassword", { userId: ctx.params.userId!, passwordHash }, "user.password");
  }),
  // The user's PBX credentials (issue 16.6): sealed at rest, never returned, never sent to a browser.
  tenantRoute("PUT", `/users/${U}/sip-credentials`, "company", async (ctx) => {
    const parsed = await body(ctx, SipCredentialsBody, 4096);
    if (!parsed.ok) return parsed.response;
    const sealed = await seal(ctx.config.sessionSecret, SIP_PURPOSE, tenantOf(ctx), JSON.stringify(parsed.value));
    return userWrite(ctx, "directory.sipCredentials", { userId: ctx.params.userId!, sealed }, "user.sip_credentials");
  }),
  tenantRoute("DELETE", `/users/${U}/sip-credentials`, "company", (ctx) =>
    userWrite(ctx, "directory.sipCredentials", { userId: ctx.params.userId!, sealed: null }, "user.sip_credentials", { removed: true }),
  ),
  tenantRoute("POST", `/users/${U}/logout`, "company", (ctx) =>
    userWrite(ctx, "directory.endSessions", { userId: ctx.params.userId! }, "user.sessions_end"),
  ),
  // Issue 18.7: irreversible, so the body repeats the id.
  tenantRoute("POST", `/users/${U}/erase`, "company", async (ctx) => {
    const parsed = await body(ctx, EraseBody);
    if (!parsed.ok) return parsed.response;
    const tenant = tenantOf(ctx);
    const userId = ctx.params.userId!;
    if (parsed.value.confirm !== userId) return errorResponse("invalid_body", "confirm deve repetir o id do usuário", "confirm");
    const found = await ctx.call("directory.admin", tenant, { userId });
    if (!found.ok) return refusalResponse(found);
    if (!found.value.user) return errorResponse("not_found", "usuário não encontrado");
    // The person goes first (no more sign-ins, sessions end), then what they wrote.
    const erased = await ctx.call("directory.erase", tenant, { userId });
    if (!erased.ok) return refusalResponse(erased);
    const chats = await companyChats(ctx.call, tenant);
    let messages = 0;
    let files = 0;
    const failed: string[] = [];
    for (const chatId of chats) {
      const res = await ctx.call("chat.eraseUser", chatRoomId(tenant, chatId), { userId });
      if (res.ok) {
        messages += res.value.messages;
        files += res.value.files;
      } else failed.push(chatId);
    }
    const user = await ctx.call("user.erase", userRoomId(tenant, userId), {});
    await audit(ctx, tenant, ctx.actor!, {
      action: "user.erase",
      target: userId,
      ok: failed.length === 0 && user.ok,
      detail: { chats: chats.length, messages, files, failedChats: failed.length },
    });
    if (failed.length || !user.ok)
      return errorResponse("unavailable", `parte dos dados não pôde ser apagada agora (${failed.length} conversas); repita o pedido`);
    return json({ user: erased.value.user, chats: chats.length, messages, files, calls: user.value.calls });
  }),

  // ---- the audit trail ----------------------------------------------------------------------
  tenantRoute("GET", "/audit", "company", async (ctx) => {
    const url = new URL(ctx.req.url);
    const q = url.searchParams;
    const limit = intParam(url, "limit", 50, 200);
    if (limit === null || limit < 1) return errorResponse("invalid_body", "limit deve ser um inteiro de 1 a 200", "limit");
    const before = q.get("before");
    if (before !== null && !/^\d{1,15}$/.test(before)) return errorResponse("invalid_body", "before deve ser o id de um evento", "before");
    const num = (name: string) => (q.get(name) !== null ? Number(q.get(name)) : undefined);
    const filter = parse(AuditFilter, {
      ...(q.get("action") ? { action: q.get("action") } : {}),
      ...(q.get("prefix") ? { prefix: q.get("prefix") } : {}),
      ...(q.get("actor") !== null ? { actor: q.get("actor") } : {}),
      ...(q.get("target") !== null ? { target: q.get("target") } : {}),
      ...(q.get("ok") !== null ? { ok: q.get("ok") === "true" ? true : q.get("ok") === "false" ? false : q.get("ok") } : {}),
      ...(num("since") !== undefined ? { since: num("since") } : {}),
      ...(num("until") !== undefined ? { until: num("until") } : {}),
    });
    if (!filter.ok) return errorResponse("invalid_body", filter.message, filter.field);
    const res = await ctx.call("audit.page", tenantOf(ctx), {
      filter: filter.value,
      limit,
      ...(before !== null ? { before: Number(before) } : {}),
    });
    return res.ok ? json(res.value) : refusalResponse(res);
  }),
];
