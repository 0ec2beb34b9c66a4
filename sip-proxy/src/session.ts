/**
 * Who is on a WebSocket (issue 12.1): the browser brings a one-time ticket the
 * platform gave it (`POST /api/tenants/{t}/sip/ticket`, ~30 s, never the session
 * token), and the proxy redeems it once with its service token
 * (`POST /api/sip/tickets/redeem`) before the upgrade. The answer says whose
 * socket it is, bound to their extension (the browser never states its own), the
 * name callers see, the class of service, the platform session it belongs to and
 * the user's PBX credentials (issue 16.6). While the socket lives the proxy asks
 * `POST /api/sip/sessions/check` now and then: an ended session (Sair, a password
 * change, a disabled user) closes the socket, and an admin's change of class or
 * credentials applies without a restart.
 */
import * as v from "valibot";
import { issueServiceToken, SERVICE_HEADER } from "../../party/domain/session";
import type { Credential } from "./credentials";
import type { CallClass } from "./routing/dial-plan";

/** The platform user on a socket: whose extension it is bound to, the name callers see, how far they may call. */
export type Caller = {
  tenant: string;
  userId: string;
  extension: string | null;
  name?: string;
  callClass?: CallClass;
  /** The platform session the socket belongs to (checked while it lives). */
  sid?: string;
  /** The extension's PBX credentials from the platform (issue 16.6), when an admin set them. */
  credentials?: Credential | null;
};

const CLASSES = ["internal", "local", "national", "international"] as const;

const SoftphoneUser = v.object({
  user: v.object({
    id: v.string(),
    name: v.optional(v.string()),
    extension: v.nullable(v.string()),
    // A platform that does not send it, or sends a class this proxy does not know: internal calls only.
    callClass: v.optional(v.fallback(v.picklist(CLASSES), "internal"), "internal"),
    enabled: v.optional(v.boolean()),
  }),
  credentials: v.optional(v.nullable(v.object({ username: v.optional(v.string()), password: v.pipe(v.string(), v.minLength(1)) })), null),
});

const Redeemed = v.object({ tenant: v.string(), userId: v.string(), sid: v.string(), ...SoftphoneUser.entries });

const TICKET_RE = /^[a-z0-9][a-z0-9-]{0,39}\.[a-z0-9][a-z0-9_-]{0,39}\.[A-Za-z0-9_-]{20,64}$/;

type Platform = { api: string; secret: string; fetch?: typeof fetch };

async function post(p: Platform, path: string, body: unknown): Promise<Response | null> {
  try {
    return await (p.fetch ?? fetch)(`${p.api}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", [SERVICE_HEADER]: await issueServiceToken(p.secret) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return null;
  }
}

function callerOf(tenant: string, userId: string, sid: string, body: v.InferOutput<typeof SoftphoneUser>): Caller | null {
  const { user, credentials } = body;
  if (user.id !== userId || user.enabled === false) return null;
  return {
    tenant,
    userId,
    extension: user.extension,
    name: user.name ?? "",
    callClass: user.callClass,
    sid,
    credentials: credentials ? { username: credentials.username || user.extension || userId, password: credentials.password } : null,
  };
}

/** Redeems a browser's one-time ticket: the caller, or null (unknown, used, expired ticket; user without access). */
export async function redeemTicket(p: Platform, ticket: string | null): Promise<Caller | null> {
  if (!ticket || !TICKET_RE.test(ticket)) return null;
  const res = await post(p, "/api/sip/tickets/redeem", { ticket });
  if (!res) throw new Error("platform unreachable");
  if (!res.ok) return null;
  const body = v.safeParse(Redeemed, await res.json().catch(() => null));
  if (!body.success) return null;
  return callerOf(body.output.tenant, body.output.userId, body.output.sid, body.output);
}

/**
 * Whether a socket's session still holds: the caller as the platform sees them now, "ended" when the
 * session or the user is gone, "unknown" when the platform could not be asked (the socket stays).
 */
export async function checkSession(p: Platform, caller: Caller): Promise<Caller | "ended" | "unknown"> {
  if (!caller.sid) return "unknown";
  const res = await post(p, "/api/sip/sessions/check", { tenant: caller.tenant, userId: caller.userId, sid: caller.sid });
  if (!res || res.status >= 500) return "unknown";
  if (res.status === 401 || res.status === 403 || res.status === 404) return "ended";
  if (!res.ok) return "unknown";
  const body = v.safeParse(SoftphoneUser, await res.json().catch(() => null));
  if (!body.success) return "unknown";
  return callerOf(caller.tenant, caller.userId, caller.sid, body.output) ?? "ended";
}

/** A user as the platform sees them now, without a socket (a restarted proxy withdrawing a crashed run's registrations). */
export async function lookupUser(p: Platform, tenant: string, userId: string): Promise<Caller | null> {
  const res = await post(p, "/api/sip/users", { tenant, userId });
  if (!res?.ok) return null;
  const body = v.safeParse(SoftphoneUser, await res.json().catch(() => null));
  return body.success ? callerOf(tenant, userId, "", body.output) : null;
}
