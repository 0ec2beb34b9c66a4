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
import { Attachment, Message, MessagePreview } from "./chat";
import { CallFilter, CallRecord, type CallHistoryEntry, type CallsServerFrame } from "./calls";
import type { ErrorCode } from "./errors";
import { GroupCreateBody, GroupInfo } from "./groups";
import { PublicUser, UserUpsertBody, type AdminUser } from "./http";
import { AuditFilter, AuditInput, SettingsBody, type AuditPage, type Company, type KeyInfo, type Settings, type UserPage } from "./admin";
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
  /** May use the company's admin API with their session (issue 18.2). */
  admin: boolean;
};

/** A company's single sign-on as its room keeps it: the client secret only sealed (domain/secretbox.ts). */
export const StoredSso = v.object({
  enabled: v.boolean(),
  issuer: Str(500),
  clientId: Str(300),
  secretSealed: v.nullable(Str(4000)),
  loginClaim: Str(64),
  passwordSignIn: v.boolean(),
  updatedAt: v.number(),
});
export type StoredSso = v.InferOutput<typeof StoredSso>;

/** A user record as a backup carries it (with the password hash: backups are platform-key only). */
export const UserBackup = v.object({
  ...PublicUser.entries,
  admin: v.optional(v.boolean()),
  erased: v.optional(v.boolean()),
  passwordHash: v.nullable(Str(300)),
  sessionVersion: Int,
  createdAt: v.number(),
  updatedAt: v.number(),
});
export type UserBackup = v.InferOutput<typeof UserBackup>;

/** A chat's file record as exports and restores carry it. */
export const FileRow = v.object({ uploaderId: UserId, attachment: Attachment, usedBySeq: v.nullable(Int), createdAt: v.number() });
export type FileRow = v.InferOutput<typeof FileRow>;
export const ShareRow = v.object({ shareId: Str(200), seq: Int, original: v.boolean() });
export type ShareRow = v.InferOutput<typeof ShareRow>;

/** A chat's head as an export carries it: enough to make the room again. */
export type ChatHeadExport = {
  exists: boolean;
  kind: "direct" | "group";
  createdAt: number;
  members: string[];
  group: GroupInfo | null;
  cursors: { userId: string; read: number; joined: number; sent: number }[];
  /** Messages up to `seq` are gone (retention); `ord` counted up to there. */
  base: { seq: number; ord: number };
  lastSeq: number;
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
  /** The administration's list (issue 18.3): searched by name, login, e-mail, department or extension; paged. */
  "directory.list": route<UserPage>()(
    "directory",
    v.object({
      q: Str(100),
      enabled: v.optional(v.boolean()),
      offset: v.pipe(Int, v.maxValue(1_000_000)),
      limit: v.pipe(Int, v.minValue(1), v.maxValue(200)),
    }),
  ),
  "directory.admin": route<{ user: AdminUser | null }>()("directory", v.object({ userId: UserId })),
  /** A new password (hashed at the edge); every session ends. */
  "directory.setPassword": route<{ user: AdminUser }>()("directory", v.object({ userId: UserId, passwordHash: Str(300) })),
  /** Anonymises a user for good (issue 18.7): no name, e-mail, login or password left; disabled; sessions end. */
  "directory.erase": route<{ user: AdminUser }>()("directory", v.object({ userId: UserId })),
  /** Every user with what a restore needs (backups, platform key only). */
  "directory.backup": route<{ users: UserBackup[] }>()("directory", v.object({})),
  "directory.restore": route<{ restored: number }>()("directory", v.object({ users: v.pipe(v.array(UserBackup), v.maxLength(5000)) })),

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
  /** One-time hand-off of an SSO sign-in to the app (a cookie, never an address): 2 minutes. */
  "user.handoffIssue": route<{ secret: string; expiresAt: number }>()("user", v.object({})),
  "user.handoffRedeem": route<{ ok: true }>()("user", v.object({ secret: Str(128) })),
  /** The chats in the user's list (exports, backups, erasure, retention). */
  "user.chatIds": route<{ chatIds: string[] }>()("user", v.object({})),
  /** The user's call records, oldest first, in pages (`after` is the last call id's cursor). */
  "user.exportCalls": route<{ records: CallRecord[]; next: string | null }>()(
    "user",
    v.object({ after: v.optional(Str(300)), limit: v.pipe(Int, v.minValue(1), v.maxValue(1000)) }),
  ),
  "user.importCalls": route<{ imported: number }>()("user", v.object({ records: v.pipe(v.array(CallRecord), v.maxLength(1000)) })),
  /** Erasure (issue 18.7): the call history and the list go; sessions were ended by the directory. */
  "user.erase": route<{ calls: number }>()("user", v.object({})),
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
  /** Exports and backups (issue 18.5/18.9): the head, then the log and the files in pages. */
  "chat.exportHead": route<ChatHeadExport>()("chat", v.object({})),
  "chat.exportPage": route<{ messages: Message[]; hasMore: boolean }>()(
    "chat",
    v.object({ after: Int, limit: v.pipe(Int, v.minValue(1), v.maxValue(1000)), sender: v.optional(UserId) }),
  ),
  "chat.exportFiles": route<{ files: FileRow[]; shares: ShareRow[]; next: string | null }>()(
    "chat",
    v.object({ after: Str(100), limit: v.pipe(Int, v.minValue(1), v.maxValue(1000)) }),
  ),
  /** A restore's first call: a DM's head without asking the directory, and where a retained log starts. */
  "chat.restoreHead": route<{ lastSeq: number }>()(
    "chat",
    v.object({
      direct: v.optional(v.object({ members: v.pipe(v.array(UserId), v.length(2)), createdAt: v.number() })),
      base: v.optional(v.object({ seq: Int, ord: Int })),
    }),
  ),
  "chat.restoreFiles": route<{ files: number; shares: number }>()(
    "chat",
    v.object({ files: v.pipe(v.array(FileRow), v.maxLength(1000)), shares: v.pipe(v.array(ShareRow), v.maxLength(1000)) }),
  ),
  /** The company's retention (issue 18.6): the chat keeps it and its alarm enforces it. */
  "chat.retention": route<{ days: number | null }>()("chat", v.object({ days: v.nullable(v.pipe(Int, v.minValue(1))) })),
  /** Erasure (issue 18.7): the user's messages become "Mensagem apagada", their files go. */
  "chat.eraseUser": route<{ messages: number; files: number }>()("chat", v.object({ userId: UserId })),
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
  /** Retention: everything of the chat up to `seq` leaves the index. */
  "search.forgetBefore": route<{ removed: number }>()("search", v.object({ chatId: ChatId, seq: Int })),
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
  /** The health check's probe of a room and its SQL. */
  "guard.ping": route<{ ok: true }>()("guard", v.object({})),

  // ---- a company's own room: its record, settings, keys, SSO (issue 18) -----------------------
  "tenant.get": route<{ company: Company | null; settings: Settings; sso: StoredSso | null }>()("tenant", v.object({})),
  "tenant.put": route<{ company: Company; created: boolean }>()("tenant", v.object({ name: Str(120) })),
  "tenant.settingsPut": route<{ settings: Settings }>()("tenant", SettingsBody),
  "tenant.ssoPut": route<{ sso: StoredSso }>()("tenant", v.object({ sso: StoredSso })),
  "tenant.keyCreate": route<{ info: KeyInfo; key: string }>()("tenant", v.object({ label: Str(80) })),
  "tenant.keyCheck": route<{ ok: boolean }>()("tenant", v.object({ id: Str(20), secret: Str(100) })),
  "tenant.keyRotate": route<{ info: KeyInfo; key: string }>()("tenant", v.object({ id: Str(20), graceMs: Int })),
  "tenant.keyRevoke": route<{ revoked: boolean }>()("tenant", v.object({ id: Str(20) })),
  "tenant.keyList": route<{ keys: KeyInfo[] }>()("tenant", v.object({})),
  /** A sign-in through the identity provider under way: one-time, short-lived (hash of `state` only). */
  "tenant.ssoStateSave": route<{ ok: true }>()(
    "tenant",
    v.object({ hash: Str(100), verifier: Str(200), nonce: Str(200), to: Str(300), ttlMs: v.pipe(Int, v.maxValue(3_600_000)) }),
  ),
  "tenant.ssoStateTake": route<{ state: { verifier: string; nonce: string; to: string } | null }>()("tenant", v.object({ hash: Str(100) })),
  /** Chats register once, so exports, backups and retention find every chat of the company. */
  "tenant.chatSeen": route<{ added: boolean }>()("tenant", v.object({ chatId: ChatId })),
  "tenant.chats": route<{ chatIds: string[]; next: string | null }>()(
    "tenant",
    v.object({ after: Str(200), limit: v.pipe(Int, v.minValue(1), v.maxValue(5000)) }),
  ),

  // ---- a company's audit trail (issue 18.4), apart from everything else ------------------------
  "audit.record": route<{ recorded: number }>()("audit", v.object({ events: v.pipe(v.array(AuditInput), v.maxLength(50)) })),
  "audit.page": route<AuditPage>()(
    "audit",
    v.object({ filter: AuditFilter, before: v.optional(Int), limit: v.pipe(Int, v.minValue(1), v.maxValue(200)) }),
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
