/**
 * Who may act for a company (issue 18.2), its settings as the edge reads them,
 * and the audit trail's entries.
 *
 * The company API accepts three callers: the deployment's CONVERSAS_ADMIN_KEY
 * (the platform key: every company), a company key `cvk.<company>.<id>.<secret>`
 * (that company only: checked by the company's room; another company's valid key
 * is a 403, a key that is not valid a 401), and the access token of a signed-in
 * user of that company with the `admin` flag and a live session (for the
 * "Administração" screen). Anything else is a 401.
 */
import type { Settings } from "../../protocol/admin";
import { type StoredSso } from "../../protocol/internal";
import { userRoomId } from "../../protocol/ids";
import { constantTimeEqual } from "../domain/crypto";
import { parseKey } from "../domain/keys";
import { readAccess } from "../domain/session";
import type { RoomConfig } from "../runtime/config";
import type { CallRoom } from "../runtime/host";
import { log } from "../runtime/log";
import { errorResponse, refuse } from "../runtime/respond";
import type { Actor, AuditNote, Ctx } from "./route";
import { clientAddress } from "./address";

const enc = new TextEncoder();

function bearer(req: Request): string | null {
  const auth = req.headers.get("authorization") ?? "";
  return auth.startsWith("Bearer ") ? auth.slice(7).trim() : null;
}

export function isPlatformKey(req: Request, config: RoomConfig): boolean {
  const key = bearer(req);
  return key !== null && constantTimeEqual(enc.encode(key), enc.encode(config.adminKey));
}

export type CompanyGate = { ok: true; actor: Actor; userId: string | null } | { ok: false; response: Response };

export async function companyAccess(req: Request, config: RoomConfig, call: CallRoom, tenant: string): Promise<CompanyGate> {
  const fail = async (code: "unauthorized" | "forbidden" | "unavailable", message: string): Promise<CompanyGate> => ({
    ok: false,
    response: await refuse(req, code, message),
  });
  const key = bearer(req);
  if (!key) return fail("unauthorized", "chave de administração ou sessão obrigatória");
  if (isPlatformKey(req, config)) return { ok: true, actor: { kind: "platform", id: "" }, userId: null };
  const companyKey = parseKey(key);
  if (companyKey) {
    const res = await call("tenant.keyCheck", companyKey.tenant, { id: companyKey.id, secret: companyKey.secret });
    if (!res.ok) return fail("unavailable", "serviço indisponível no momento; tente de novo");
    if (!res.value.ok) return fail("unauthorized", "chave de administração inválida ou expirada");
    if (companyKey.tenant !== tenant) return fail("forbidden", "esta chave é de outra empresa");
    return { ok: true, actor: { kind: "key", id: companyKey.id }, userId: null };
  }
  const who = await readAccess(config.sessionSecret, key);
  if (!who) return fail("unauthorized", "chave de administração inválida");
  const alive = await call("user.sessionAlive", userRoomId(who.tenant, who.userId), { sid: who.sid });
  if (!alive.ok) return fail("unauthorized", "sessão encerrada; entre de novo");
  if (who.tenant !== tenant) return fail("forbidden", "acesso negado a esta empresa");
  const found = await call("directory.access", tenant, { userId: who.userId });
  const access = found.ok ? found.value.access : null;
  if (!access?.mayUse || !access.admin) return fail("forbidden", "somente administradores da empresa");
  return { ok: true, actor: { kind: "user", id: who.userId }, userId: who.userId };
}

// ---- the company's settings at the edge --------------------------------------------------

/** Settings change rarely and sign-ins are many: the edge keeps them a few seconds (this isolate forgets on its own writes). */
const CACHE_MS = 5_000;
const cache = new Map<string, { at: number; settings: Settings; sso: StoredSso | null }>();

export async function companySettings(call: CallRoom, tenant: string): Promise<{ settings: Settings; sso: StoredSso | null } | null> {
  const hit = cache.get(tenant);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit;
  const res = await call("tenant.get", tenant, {});
  if (!res.ok) return null;
  const entry = { at: Date.now(), settings: res.value.settings, sso: res.value.sso };
  if (cache.size > 1000) cache.clear();
  cache.set(tenant, entry);
  return entry;
}

export function forgetSettings(tenant: string): void {
  cache.delete(tenant);
}

/** Whether "Login" + "Senha" work for the company: on unless its SSO is on with passwords turned off. */
export function passwordsAllowed(sso: StoredSso | null): boolean {
  return !sso?.enabled || sso.passwordSignIn;
}

// ---- the audit trail -------------------------------------------------------------------------

/** Records an action of the caller in the company's trail; a trail that cannot be written is logged, never an error to the caller. */
export async function audit(ctx: Pick<Ctx, "req" | "call" | "trace">, tenant: string, actor: Actor, note: AuditNote): Promise<void> {
  const res = await ctx.call("audit.record", tenant, {
    events: [
      {
        action: note.action,
        actorKind: actor.kind,
        actor: actor.id.slice(0, 200),
        target: (note.target ?? "").slice(0, 300),
        address: clientAddress(ctx.req),
        ok: note.ok ?? true,
        ...(note.detail ? { detail: note.detail } : {}),
      },
    ],
  });
  if (!res.ok) log("error", "audit_failed", { requestId: ctx.trace.requestId, tenant, action: note.action, error: res.message });
}

/** A refusal for routes that need the company to exist first. */
export function noCompany(): Response {
  return errorResponse("not_found", "empresa não encontrada");
}
