/**
 * Session and service tokens: who is calling, and whether they may reach a room.
 * Pure rules over the crypto primitives; the edge and every room call these.
 */
import * as v from "valibot";
import { TenantId, UserId, splitRoomId, directChatMembers, isGroupChatId, type PartyName } from "../../protocol";
import { openToken, signToken } from "./crypto";

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const SERVICE_TTL_MS = 60 * 1000;

const SessionPayload = v.object({
  typ: v.literal("session"),
  sub: UserId,
  ten: TenantId,
  /** The user's session version: bumped when disabled, which ends old tokens. */
  sv: v.number(),
  exp: v.number(),
});

export type Identity = { userId: string; tenant: string; sessionVersion: number };

export function issueSession(secret: string, who: Identity, now = Date.now()): Promise<string> {
  return signToken(secret, { typ: "session", sub: who.userId, ten: who.tenant, sv: who.sessionVersion, exp: now + SESSION_TTL_MS });
}

export async function readSession(secret: string, token: string | null | undefined, now = Date.now()): Promise<Identity | null> {
  if (!token) return null;
  const payload = await openToken(secret, token);
  const r = v.safeParse(SessionPayload, payload);
  if (!r.success || r.output.exp <= now) return null;
  return { userId: r.output.sub, tenant: r.output.ten, sessionVersion: r.output.sv };
}

/** Rooms call each other with a short-lived service token in this header. */
export const SERVICE_HEADER = "x-conversas-service";

/**
 * A big group's fan-out makes hundreds of room-to-room calls per message, so a
 * service token is reused for the first half of its life and a verified one is
 * remembered (with its expiry and secret) until it expires; both stay in memory only.
 */
let issued: { secret: string; token: string; at: number } | null = null;
const verified = new Map<string, { secret: string; exp: number }>();

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
 * again inside.
 */
export function mayReachRoom(who: Identity, party: PartyName, roomId: string): boolean {
  if (party === "directory") return roomId === who.tenant;
  const split = splitRoomId(roomId);
  if (!split || split.tenant !== who.tenant) return false;
  // A user room and a drafts room (the Yjs doc of R9 drafts) belong to one user only.
  if (party === "user" || party === "drafts") return split.local === who.userId;
  // A group's membership changes, so only its room can tell; the edge lets the tenant through.
  if (isGroupChatId(split.local)) return true;
  const members = directChatMembers(split.local);
  return members !== null && members.includes(who.userId);
}
