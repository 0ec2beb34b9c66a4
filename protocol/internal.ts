/**
 * Room-to-room calls, defined once (CONVENTIONS "Joins as typed as the edges").
 * Each route names the party that answers it, the schema of its body (checked by
 * the callee: a malformed body is refused naming the field, never a crash) and
 * the shape of its reply. Callers use the typed `callRoom(route, roomId, body)`
 * of party/runtime; each room answers through one table of handlers keyed by
 * these names. Calls travel as Durable Object RPC (structured clone), not HTTP:
 * one hop, no JSON, no service token (only code in this worker holds the stubs).
 */
import * as v from "valibot";
import { Message, MessagePreview } from "./chat";
import { CallFilter, CallRecord, type CallHistoryEntry, type CallsServerFrame } from "./calls";
import type { ErrorCode } from "./errors";
import { GroupCreateBody, GroupInfo } from "./groups";
import { PublicUser, UserUpsertBody } from "./http";
import { ConversationSummary, type SearchHit } from "./hub";
import { UserId } from "./ids";
import { ShareBody } from "./share";
import type { PartyName } from "./ids";

const Str = (max: number) => v.pipe(v.string(), v.maxLength(max));
const Int = v.pipe(v.number(), v.integer(), v.minValue(0));
const ChatId = Str(200);

/** A user as the edge needs it to sign someone in or keep a session: never sent to a browser. */
export type UserAccess = {
  user: PublicUser;
  passwordHash: string | null;
  /** Bumped by disabling, a password change or "Sair de todos os dispositivos": older sessions end. */
  sessionVersion: number;
  /** The user's PBX credentials (issue 16.6), sealed at rest (domain/crypto.ts sealSecret); only the edge opens them, only for the sip-proxy. */
  sipCredentials: string | null;
  /** Enabled, with the Conversas module (R1). */
  mayUse: boolean;
};

/** A member's line of a list update: who, and their unread state in the chat now (count, newest's time, mentioned). */
export const MemberState = v.tuple([UserId, Int, v.nullable(v.number()), v.boolean()]);
export type MemberState = v.InferOutput<typeof MemberState>;

/** A chat's summary without the per-member parts (unread, and a DM's peer). */
export const SummaryBase = v.object({
  chatId: ChatId,
  kind: v.picklist(["direct", "group"]),
  /** A DM's two members, so the hub can name each one's peer. */
  members: v.optional(v.array(UserId)),
  name: v.optional(v.string()),
  imageFileId: v.optional(v.nullable(v.string())),
  lastMessage: v.nullable(MessagePreview),
  rev: Int,
});
export type SummaryBase = v.InferOutput<typeof SummaryBase>;

/** A route: its party and body schema inferred, its reply type given (`route<Reply>()(party, body)`). */
const route =
  <R>() =>
  <P extends PartyName, B extends v.GenericSchema>(party: P, body: B) => ({ party, body, reply: undefined as unknown as R });

export const ROUTES = {
  // ---- the company's directory (users, sign-in links) --------------------------------
  "directory.access": route<{ access: UserAccess | null }>()(
    "directory",
    v.object({ login: v.optional(Str(200)), userId: v.optional(UserId) }),
  ),
  "directory.contacts": route<{ users: PublicUser[] }>()("directory", v.object({})),
  /** Which of these ids are enabled Conversas users of the company. */
  "directory.known": route<{ known: string[] }>()("directory", v.object({ ids: v.pipe(v.array(UserId), v.maxLength(5000)) })),
  "directory.upsert": route<{ user: PublicUser; created: boolean }>()(
    "directory",
    v.object({ userId: UserId, body: UserUpsertBody, passwordHash: v.optional(Str(300)) }),
  ),
  "directory.user": route<{ user: PublicUser | null }>()("directory", v.object({ userId: UserId })),
  /** Ends every session of the user (sessionVersion + 1): "Sair de todos os dispositivos". */
  "directory.endSessions": route<{ sessionVersion: number }>()("directory", v.object({ userId: UserId })),
  /** Sets (sealed) or clears a user's PBX credentials (issue 16.6). */
  "directory.sipCredentials": route<{ updated: boolean }>()("directory", v.object({ userId: UserId, sealed: v.nullable(Str(2000)) })),
  "directory.linkIssue": route<{ token: string; expiresAt: number }>()("directory", v.object({ userId: UserId, to: Str(300) })),
  "directory.linkRedeem": route<{ userId: string; to: string }>()("directory", v.object({ token: Str(200) })),

  // ---- a user's own room (sessions, conversation list, calls, search) ---------------
  "user.sessionCreate": route<{ sid: string; secret: string }>()(
    "user",
    v.object({ sessionVersion: Int, agent: Str(300), address: Str(100) }),
  ),
  "user.sessionRefresh": route<{ ok: true }>()("user", v.object({ sid: Str(64), secret: Str(128), sessionVersion: Int })),
  "user.sessionAlive": route<{ ok: true }>()("user", v.object({ sid: Str(64) })),
  "user.sessionEnd": route<{ ended: boolean }>()("user", v.object({ sid: Str(64) })),
  /** Every session ends and every socket of the user closes (disabled, password changed, signed out everywhere). */
  "user.sessionEndAll": route<{ ended: number }>()("user", v.object({ reason: v.picklist(["disabled", "password", "signout"]) })),
  "user.ticketIssue": route<{ ticket: string; expiresAt: number }>()("user", v.object({ sid: Str(64), purpose: v.picklist(["sip"]) })),
  "user.ticketRedeem": route<{ sid: string }>()("user", v.object({ secret: Str(128), purpose: v.picklist(["sip"]) })),
  "user.listAdd": route<{ added: boolean }>()("user", v.object({ chatId: ChatId })),
  "user.listRemove": route<{ removed: boolean }>()("user", v.object({ chatId: ChatId })),
  "user.snapshot": route<{ conversations: ConversationSummary[] }>()("user", v.object({})),
  "user.callStore": route<{ stored: boolean; entry: CallHistoryEntry | null }>()("user", v.object({ record: CallRecord })),
  "user.callPage": route<CallsServerFrame>()(
    "user",
    v.object({ filter: CallFilter, query: Str(64), before: v.optional(Str(300)), limit: v.pipe(Int, v.maxValue(100)) }),
  ),
  "user.search": route<{ hits: SearchHit[]; hasMore: boolean }>()(
    "user",
    v.object({ q: Str(100), chatId: v.nullable(ChatId), offset: v.pipe(Int, v.maxValue(1000)), limit: v.pipe(Int, v.maxValue(100)) }),
  ),

  // ---- a conversation ---------------------------------------------------------------
  "chat.createGroup": route<{ chatId: string; group: GroupInfo }>()("chat", v.object({ creator: UserId, ...GroupCreateBody.entries })),
  "chat.membership": route<{ exists: boolean; member: boolean }>()("chat", v.object({ userId: UserId })),
  "chat.receiveForward": route<{ seq: number; duplicate: boolean }>()(
    "chat",
    v.object({
      senderId: UserId,
      clientId: Str(64),
      source: Str(300),
      fromChatId: ChatId,
      message: Message,
    }),
  ),
  "chat.receiveShare": route<{ messageId: string; created: boolean }>()("chat", v.object({ share: ShareBody })),
  /** Closes a user's sockets here (a session ended, or the user was disabled). */
  "chat.kick": route<{ closed: number }>()("chat", v.object({ userId: UserId, sid: v.optional(Str(64)), code: Int, reason: Str(120) })),
  /**
   * Restores a chat's log (a backup's restore; the bench's big chats): messages
   * appended in seq order after the last one stored, each stored once (a retried
   * batch is a no-op). A DM's head is made from its id; a group's comes first.
   */
  "chat.import": route<{ lastSeq: number; imported: number }>()(
    "chat",
    v.object({
      group: v.optional(GroupInfo),
      messages: v.pipe(v.array(Message), v.maxLength(10_000)),
      cursors: v.optional(v.record(UserId, Int)),
    }),
  ),
  /** The chat as `userId`'s list shows it now; null when they are not a member, or when `knownRev` is still current. */
  "chat.summary": route<{ member: boolean; summary: ConversationSummary | null }>()(
    "chat",
    v.object({ userId: UserId, knownRev: v.optional(Int) }),
  ),

  // ---- the company's hub (every open app's socket) ------------------------------------
  /** A chat changed: tell the members with the app open here (one call per chat change, not per member). */
  "hub.chatChanged": route<{ delivered: number; reached: string[] }>()(
    "hub",
    v.object({ base: SummaryBase, members: v.pipe(v.array(MemberState), v.maxLength(20_000)) }),
  ),
  "hub.listRemove": route<{ delivered: number }>()(
    "hub",
    v.object({ userIds: v.pipe(v.array(UserId), v.maxLength(5000)), chatId: ChatId }),
  ),
  /** A frame (already JSON) for every open app of the user. */
  "hub.toUser": route<{ delivered: number }>()("hub", v.object({ userId: UserId, frame: Str(64 * 1024) })),
  /**
   * Presence of users whose apps are on another shard: their changes as they
   * happen, and every minute that shard's whole on-line list (`full`), so a
   * shard that forgot (or missed a change) catches up.
   */
  "hub.presence": route<{ changed: number }>()(
    "hub",
    v.object({
      from: Int,
      full: v.boolean(),
      changes: v.pipe(v.array(v.object({ userId: UserId, online: v.boolean(), at: v.number() })), v.maxLength(20_000)),
    }),
  ),
  "hub.kick": route<{ closed: number }>()("hub", v.object({ userId: UserId, sid: v.optional(Str(64)), code: Int, reason: Str(120) })),

  // ---- a user's drafts doc (Yjs) ---------------------------------------------------------
  "drafts.kick": route<{ closed: number }>()("drafts", v.object({ userId: UserId, sid: v.optional(Str(64)), code: Int, reason: Str(120) })),

  // ---- the company's message index (R12) -----------------------------------------------
  "search.index": route<{ indexed: number }>()(
    "search",
    v.object({
      chatId: ChatId,
      docs: v.pipe(v.array(v.object({ seq: Int, senderId: UserId, createdAt: v.number(), text: Str(20_000) })), v.maxLength(1000)),
      removed: v.pipe(v.array(Int), v.maxLength(1000)),
    }),
  ),
  "search.query": route<{ hits: SearchHit[]; hasMore: boolean }>()(
    "search",
    v.object({
      chatIds: v.pipe(v.array(ChatId), v.maxLength(5000)),
      q: Str(100),
      offset: v.pipe(Int, v.maxValue(1000)),
      limit: v.pipe(Int, v.maxValue(100)),
    }),
  ),

  // ---- sign-in rate limits, kept apart from the directory --------------------------------
  "guard.check": route<{ retryAfterMs: number }>()("guard", v.object({ keys: v.pipe(v.array(Str(300)), v.maxLength(4)) })),
  "guard.record": route<{ retryAfterMs: number }>()(
    "guard",
    v.object({ keys: v.pipe(v.array(Str(300)), v.maxLength(4)), ok: v.boolean() }),
  ),
} as const;

export type Route = keyof typeof ROUTES;
export type RouteParty<R extends Route> = (typeof ROUTES)[R]["party"];
export type RouteBody<R extends Route> = v.InferInput<(typeof ROUTES)[R]["body"]>;
export type RouteReply<R extends Route> = (typeof ROUTES)[R]["reply"];
/** Routes a given party answers. */
export type RoutesOf<P extends PartyName> = { [R in Route]: RouteParty<R> extends P ? R : never }[Route];

/** A room's answer to a call: its reply, or a refusal in the one error shape. */
export type Answer<T> = { ok: true; value: T } | Refusal;
export type Refusal = { ok: false; code: ErrorCode; message: string; field?: string };

export const refusal = (code: ErrorCode, message: string, field?: string): Refusal => ({
  ok: false,
  code,
  message,
  ...(field ? { field } : {}),
});
export const answer = <T>(value: T): Answer<T> => ({ ok: true, value });
