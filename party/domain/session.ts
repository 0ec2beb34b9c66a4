/**
 * Sessions (R1, issue 12): who is calling, and whether they may reach a room.
 *
 * Signing in opens a session, kept server-side in the user's own room (id,
 * secret hash, last use), and hands the browser two tokens:
 * - a refresh token (`typ: "refresh"`: user, company, session id and the secret),
 *   which only `POST /api/session/refresh` accepts, and which stops working the
 *   moment the session ends ("Sair", "Sair de todos os dispositivos", a password
 *   change, the user disabled, 30 days unused);
 * - a short-lived access token (`typ: "access"`, ≤ 1 h), sent as
 *   `Authorization: Bearer` on HTTP and in the WebSocket subprotocol, never in a
 *   URL. The edge also asks the user's room whether its session is still alive
 *   before any socket opens, so an ended session's tokens are refused at once.
 * Pure rules over the crypto primitives; the edge and every room call these.
 */
import * as v from "valibot";
import { TenantId, UserId, splitRoomId, directChatMembers, isGroupChatId, shardOf, type PartyName } from "../../protocol";
import { b64url, openToken, signToken } from "./crypto";

const SERVICE_TTL_MS = 60 * 1000;

const SessionId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,64}$/));

const AccessPayload = v.object({ typ: v.literal("access"), sub: UserId, ten: TenantId, sid: SessionId, exp: v.number() });
const RefreshPayload = v.object({
  typ: v.literal("refresh"),
  sub: UserId,
  ten: TenantId,
  sid: SessionId,
  key: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{20,100}$/)),
});

/** Who a token speaks for: a user of a company, in one session. */
export type Identity = { userId: string; tenant: string; sid: string };

export function newSecret(bytes = 32): string {
  return b64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function issueAccess(secret: string, who: Identity, ttlMs: number, now = Date.now()): Promise<string> {
  return signToken(secret, { typ: "access", sub: who.userId, ten: who.tenant, sid: who.sid, exp: now + ttlMs });
}

export async function readAccess(secret: string, token: string | null | undefined, now = Date.now()): Promise<Identity | null> {
  if (!token) return null;
  const r = v.safeParse(AccessPayload, await openToken(secret, token));
  if (!r.success || r.output.exp <= now) return null;
  return { userId: r.output.sub, tenant: r.output.ten, sid: r.output.sid };
}

export function issueRefresh(secret: string, who: Identity, key: string): Promise<string> {
  return signToken(secret, { typ: "refresh", sub: who.userId, ten: who.tenant, sid: who.sid, key });
}

export async function readRefresh(secret: string, token: string | null | undefined): Promise<(Identity & { key: string }) | null> {
  if (!token) return null;
  const r = v.safeParse(RefreshPayload, await openToken(secret, token));
  if (!r.success) return null;
  return { userId: r.output.sub, tenant: r.output.ten, sid: r.output.sid, key: r.output.key };
}

/** SHA-256 of a secret, base64url: what rooms store of session secrets, tickets and links. */
export async function digest(secret: string): Promise<string> {
  return b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret))));
}

/** A stored session as the user's room keeps it. */
export type SessionRow = {
  sid: string;
  keyHash: string;
  sessionVersion: number;
  createdAt: number;
  lastUsedAt: number;
  endedAt: number | null;
};

/** Whether a stored session still opens the app: not ended, used within the idle limit, of the user's current version. */
export function sessionUsable(row: SessionRow | null, now: number, idleMs: number, sessionVersion?: number): row is SessionRow {
  if (!row || row.endedAt !== null) return false;
  if (now - row.lastUsedAt > idleMs) return false;
  return sessionVersion === undefined || row.sessionVersion === sessionVersion;
}

/** Rooms call each other by RPC; the sip-proxy calls the HTTP API with a short-lived service token in this header. */
export const SERVICE_HEADER = "x-conversas-service";

let issued: { secret: string; token: string; at: number } | null = null;
const verified = new Map<string, { secret: string; exp: number }>();

/** A service token is reused for the first half of its life; a verified one is remembered until it expires. */
export async function issueServiceToken(secret: string, now = Date.now()): Promise<string> {
  if (issued && issued.secret === secret && now >= issued.at && now - issued.at < SERVICE_TTL_MS / 2) return issued.token;
  const token = await signToken(secret, { typ: "service", exp: now + SERVICE_TTL_MS });
  issued = { secret, token, at: now };
  return token;
}

export async function isServiceToken(secret: string, token: string | null, now = Date.now()): Promise<boolean> {
  if (!token) return false;
  const known = verified.get(token);
  if (known && known.secret === secret) return known.exp > now;
  const p = (await openToken(secret, token)) as { typ?: unknown; exp?: unknown } | null;
  const ok = !!p && p.typ === "service" && typeof p.exp === "number" && p.exp > now;
  if (ok) {
    if (verified.size >= 64) verified.clear();
    verified.set(token, { secret, exp: p.exp as number });
  }
  return ok;
}

/**
 * May this identity open a socket to, or call, this room? Decided from the room id
 * alone, before the room runs; rooms whose membership is not in their id check
 * again inside. Only the public parties are ever reachable from outside.
 */
export function mayReachRoom(who: Identity, party: PartyName, roomId: string, hubShards = 1): boolean {
  const split = splitRoomId(roomId);
  if (!split || split.tenant !== who.tenant) return false;
  // The app's socket lands on the shard that holds all of this user's apps.
  if (party === "hub") return split.local === String(shardOf(who.userId, hubShards));
  // A drafts doc (the Yjs doc of R9 drafts) belongs to one user only.
  if (party === "drafts") return split.local === who.userId;
  if (party !== "chat") return false;
  // A group's membership changes, so only its room can tell; the edge lets the tenant through.
  if (isGroupChatId(split.local)) return true;
  const members = directChatMembers(split.local);
  return members !== null && members.includes(who.userId);
}
