/**
 * Identifiers shared by the rooms and the client: tenants, users, chats and the
 * room names derived from them. A 1:1 chat's id is derived from its two members,
 * so both sides reach the same room without asking anyone.
 */
import * as v from "valibot";

export const TENANT_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const USER_ID_RE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export const TenantId = v.pipe(v.string(), v.regex(TENANT_RE, "empresa inválida"));
export const UserId = v.pipe(v.string(), v.regex(USER_ID_RE, "id de usuário inválido"));

/** Parties a browser may reach at /parties/<party>/<room> (the app's socket, a chat, the drafts doc). */
export type PublicParty = "hub" | "chat" | "drafts";
/** Every room kind (a Durable Object class each); the others are reached only by the edge and the rooms. */
export type PartyName = PublicParty | "directory" | "user" | "search" | "guard" | "tenant" | "audit";
export const PUBLIC_PARTIES: readonly PublicParty[] = ["hub", "chat", "drafts"];

export function directChatId(a: string, b: string): string {
  if (a === b) throw new Error("a direct chat needs two different users");
  const [x, y] = a < b ? [a, b] : [b, a];
  return `dm.${x}.${y}`;
}

/** The members of a direct chat, read back from its id; null for anything else. */
export function directChatMembers(chatId: string): [string, string] | null {
  const parts = chatId.split(".");
  if (parts.length !== 3 || parts[0] !== "dm") return null;
  const [, a, b] = parts as [string, string, string];
  if (!USER_ID_RE.test(a) || !USER_ID_RE.test(b) || a >= b) return null;
  return [a, b];
}

export const GROUP_CHAT_RE = /^g\.[a-z0-9]{16}$/;

/** Group chats (R13) get a random id: `g.<16 lowercase letters or digits>`. */
export function isGroupChatId(chatId: string): boolean {
  return GROUP_CHAT_RE.test(chatId);
}

export function newGroupChatId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `g.${[...bytes].map((b) => alphabet[b % alphabet.length]).join("")}`;
}

export function isChatId(chatId: string): boolean {
  return directChatMembers(chatId) !== null || isGroupChatId(chatId);
}

export function chatRoomId(tenant: string, chatId: string): string {
  return `${tenant}.${chatId}`;
}

export function userRoomId(tenant: string, userId: string): string {
  return `${tenant}.${userId}`;
}

/** Splits a room id into its tenant and the local part (chat id or user id). */
export function splitRoomId(roomId: string): { tenant: string; local: string } | null {
  const dot = roomId.indexOf(".");
  if (dot <= 0) return null;
  const tenant = roomId.slice(0, dot);
  if (!TENANT_RE.test(tenant)) return null;
  return { tenant, local: roomId.slice(dot + 1) };
}

/**
 * Which hub shard holds a user's sockets (FNV-1a of the user id): every tab of
 * one person lands on the same shard, so that shard alone knows their presence.
 */
export function shardOf(userId: string, shards: number): number {
  if (shards <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shards;
}

/** A hub shard's room id: `<tenant>.<shard>`. */
export function hubRoomId(tenant: string, shard: number): string {
  return `${tenant}.${shard}`;
}
