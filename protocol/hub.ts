/**
 * The app's own socket (one per open tab): `/parties/hub/<tenant>`. The company's
 * hub room holds every open app's socket, so it is where a person's presence is
 * known (R5) and where their conversation list is updated live (R6, R20): a chat
 * room makes one call to the hub per change and the hub tells the members who
 * have the app open. The same socket carries the smart search (R12) and the call
 * history (R25, R27, R28), which the hub asks the user's own room for.
 */
import * as v from "valibot";
import { MAX_PAGE, MessagePreview } from "./chat";
import { CallsFetch, type CallsServerFrame } from "./calls";
import type { ErrorFrame } from "./errors";

/**
 * A member's unread state (R6, R20), derived by the chat room from their read
 * cursor and the log: messages after the cursor that are not theirs, not deleted
 * and not group notices. `lastUnreadAt` is the newest of those (null when none).
 */
const UnreadFields = {
  unread: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
  lastUnreadAt: v.optional(v.nullable(v.number()), null),
  /**
   * The chat's change counter when this summary was read: every change a list
   * shows (message, delete, read, rename) raises it, so of two summaries of one
   * chat the one with the higher `rev` is the newer.
   */
  rev: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
  /** Issue 17.6: someone mentioned this member in a message they have not read ("@" beside the unread dot). */
  mentioned: v.optional(v.boolean(), false),
};

export const ConversationSummary = v.variant("kind", [
  v.object({
    chatId: v.string(),
    kind: v.literal("direct"),
    /** The other member of a direct chat. */
    peerId: v.string(),
    lastMessage: v.nullable(MessagePreview),
    ...UnreadFields,
  }),
  v.object({
    chatId: v.string(),
    kind: v.literal("group"),
    name: v.string(),
    imageFileId: v.nullable(v.string()),
    lastMessage: v.nullable(MessagePreview),
    ...UnreadFields,
  }),
]);
export type ConversationSummary = v.InferOutput<typeof ConversationSummary>;

// ---- smart search (R12) ---------------------------------------------------

export const MIN_SEARCH = 3;
export const SEARCH_PAGE = 20;

/** "Mensagens" of the smart search: message text in the chats the user is in now (or in one of them). */
export const SearchQuery = v.object(
  {
    type: v.literal("search.query"),
    q: v.pipe(
      v.string("q obrigatório"),
      v.maxLength(100, "busca até 100 caracteres"),
      v.check((q) => q.trim().length >= MIN_SEARCH, `digite ao menos ${MIN_SEARCH} caracteres`),
    ),
    /** Only this chat ("Pesquisar nesta conversa"). */
    chatId: v.optional(v.pipe(v.string(), v.maxLength(200))),
    /** How many results the client already has (pagination). */
    offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000, "offset até 1000"))),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PAGE, `limit até ${MAX_PAGE}`))),
  },
  "campo obrigatório ausente",
);
export type SearchQuery = v.InferOutput<typeof SearchQuery>;

export type SearchHit = { chatId: string; seq: number; senderId: string; text: string; createdAt: number; score: number };

// ---- presence (R5) ----------------------------------------------------------

/**
 * Sent every PRESENCE_PING_MS by each tab. The runtime answers it with
 * PRESENCE_PONG without waking the room (hibernation), and the room closes a
 * socket it has heard nothing from for three intervals.
 */
export const PRESENCE_PING = '{"type":"presence.ping"}';
export const PRESENCE_PONG = '{"type":"presence.pong"}';
export const PRESENCE_PING_MS = 20_000;
/** The tab is closing (pagehide): go off-line at once if it was the last one, without the grace period. */
export const PresenceLeave = v.object({ type: v.literal("presence.leave") }, "campo obrigatório ausente");
export const PresencePing = v.object({ type: v.literal("presence.ping") }, "campo obrigatório ausente");

export const HubClientFrame = v.variant("type", [CallsFetch, SearchQuery, PresencePing, PresenceLeave], "tipo de quadro desconhecido");
export type HubClientFrame = v.InferOutput<typeof HubClientFrame>;

// ---- hub → client -------------------------------------------------------------

export type HubServerFrame =
  /** On every (re)connection: the whole list, as the chats say it is now. */
  | { type: "inbox.snapshot"; conversations: ConversationSummary[] }
  | { type: "inbox.update"; conversation: ConversationSummary }
  /** The user left or was removed from a group: drop it from the list (R17). */
  | { type: "inbox.remove"; chatId: string }
  /** Everyone on-line now, on every (re)connection. */
  | { type: "presence.snapshot"; online: string[] }
  | { type: "presence.update"; userId: string; online: boolean }
  | { type: "presence.pong" }
  /** The hub has not heard from this tab for a while: answer with `presence.ping` now (a throttled background tab still does). */
  | { type: "presence.check" }
  /** Best first (word-prefix before substring), then newest; `hasMore` asks for offset + hits.length. */
  | { type: "search.results"; q: string; chatId: string | null; offset: number; hits: SearchHit[]; hasMore: boolean }
  | CallsServerFrame
  | ErrorFrame;
