/**
 * Who is on a WebSocket: the platform session token is checked twice before the
 * upgrade — its HMAC locally (cheap, refuses forgeries without a round trip), then
 * `GET /api/tenants/{t}/me` on the platform, which says whether the session is
 * still alive (not signed out, user not disabled) and gives the user's extension.
 * The browser never states its own extension: the proxy binds it from here.
 */
import * as v from "valibot";
import { readSession } from "../../party/domain/session";
import type { CallClass } from "./routing/dial-plan";

/** The platform user on a socket: whose extension it is bound to, the name callers see, how far they may call. */
export type Caller = { tenant: string; userId: string; extension: string | null; name?: string; callClass?: CallClass };

const MeBody = v.object({
  ok: v.literal(true),
  user: v.object({
    id: v.string(),
    name: v.optional(v.string()),
    extension: v.nullable(v.string()),
    // A platform that does not send it (or sends a class this proxy does not know) gets the safe default: internal calls only.
    callClass: v.fallback(v.picklist(["internal", "local", "national", "international"]), "internal"),
    enabled: v.optional(v.boolean()),
  }),
});

export async function authenticate(
  secret: string,
  api: string,
  token: string | null,
  fetchImpl: typeof fetch = fetch,
): Promise<Caller | null> {
  const who = await readSession(secret, token);
  if (!who || !token) return null;
  let res: Response;
  try {
    res = await fetchImpl(`${api}/api/tenants/${encodeURIComponent(who.tenant)}/me`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return null;
  }
  if (!res.ok) return null;
  const body = v.safeParse(MeBody, await res.json().catch(() => null));
  if (!body.success || body.output.user.id !== who.userId || body.output.user.enabled === false) return null;
  const { extension, name, callClass } = body.output.user;
  return { tenant: who.tenant, userId: who.userId, extension, name: name ?? "", callClass };
}
