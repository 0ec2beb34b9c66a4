/**
 * The WebSocket protocol: every frame either side sends is a member of one of the
 * discriminated unions below. Types are inferred from the schemas, never written
 * twice; rooms and the web client import this one module.
 */
import * as v from "valibot";
import { UserId } from "./ids";
import { ShareCard } from "./share";
import { GroupAdd, GroupImage, GroupLeave, GroupRemove, GroupRename, GroupRole, SystemEvent, type GroupInfo } from "./groups";

export const MAX_TEXT = 4000;
export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 50;

/** A client-chosen id that makes a resend idempotent. */
export const ClientMessageId = v.pipe(
  v.string("clientId obrigatório"),
  v.regex(/^[A-Za-z0-9_-]{8,64}$/, "clientId deve ter de 8 a 64 caracteres [A-Za-z0-9_-]"),
);

export const MessageText = v.pipe(
  v.string("texto obrigatório"),
  v.transform((s) => s.replace(/\r\n?/g, "\n")),
  v.check((s) => s.trim().length > 0, "a mensagem está vazia"),
  v.maxLength(MAX_TEXT, `a mensagem passa de ${MAX_TEXT} caracteres`),
);

// ---- client → chat room -------------------------------------------------

/** Said of a frame that lacks a required field (the field is named in `field`). */
const MISSING = "campo obrigatório ausente";

/** Text that may be empty: a caption beside an attachment. */
export const CaptionText = v.pipe(
  v.string("texto obrigatório"),
  v.transform((s) => s.replace(/\r\n?/g, "\n")),
  v.maxLength(MAX_TEXT, `a mensagem passa de ${MAX_TEXT} caracteres`),
);

const Seq = v.pipe(v.number("seq deve ser um número"), v.integer("seq deve ser inteiro"), v.minValue(1, "seq deve ser pelo menos 1"));

/** A file uploaded to this room (POST /parties/chat/<room>/files) and not yet used by a message. */
export const FileId = v.pipe(v.string("fileId obrigatório"), v.regex(/^[A-Za-z0-9_-]{8,64}$/, "fileId inválido"));

/**
 * Sends a message: text, or an uploaded file with an optional caption (R9), and
 * optionally a reply to a message of this chat (R10 "Responder").
 */
export const MessageSend = v.object(
  {
    type: v.literal("message.send"),
    clientId: ClientMessageId,
    text: v.optional(CaptionText, ""),
    fileId: v.optional(FileId),
    /** Voice notes (R9) carry their duration, measured by the recorder. */
    voice: v.optional(v.object({ durationMs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(3_600_000)) })),
    replyTo: v.optional(Seq),
  },
  MISSING,
);

/** R10 "Deletar": only the sender; the message becomes "Mensagem apagada" and its file is removed. */
export const MessageDelete = v.object({ type: v.literal("message.delete"), seq: Seq }, MISSING);

/** R10 "Encaminhar": copies a message of this chat into other chats the sender is in. */
export const MessageForward = v.object(
  {
    type: v.literal("message.forward"),
    clientId: ClientMessageId,
    seq: Seq,
    to: v.pipe(
      v.array(v.pipe(v.string(), v.maxLength(200))),
      v.minLength(1, "escolha pelo menos uma conversa"),
      v.maxLength(20, "no máximo 20 conversas"),
    ),
  },
  MISSING,
);

/** R5/R16 "Mídias" / "Documentos": the chat's attachments, newest first, in pages. */
export const GalleryFetch = v.object(
  {
    type: v.literal("gallery.fetch"),
    kind: v.picklist(["media", "documents"], "kind deve ser media ou documents"),
    before: v.optional(Seq),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PAGE))),
  },
  MISSING,
);

/** Loads the page around one message (used to jump to a replied-to message). */
export const HistoryAround = v.object({ type: v.literal("history.around"), seq: Seq }, MISSING);

export const HistoryFetch = v.object(
  {
    type: v.literal("history.fetch"),
    /** Return messages with seq strictly below this one. */
    before: v.pipe(v.number("before deve ser um número"), v.integer(), v.minValue(1, "before deve ser pelo menos 1")),
    limit: v.optional(
      v.pipe(v.number("limit deve ser um número"), v.integer(), v.minValue(1), v.maxValue(MAX_PAGE, `limit até ${MAX_PAGE}`)),
    ),
  },
  MISSING,
);

export const ReadMark = v.object(
  {
    type: v.literal("read.mark"),
    seq: v.pipe(v.number("seq deve ser um número"), v.integer("seq deve ser inteiro"), v.minValue(0, "seq não pode ser negativo")),
  },
  MISSING,
);

export const ChatClientFrame = v.pipe(
  v.variant(
    "type",
    [
      MessageSend,
      HistoryFetch,
      ReadMark,
      MessageDelete,
      MessageForward,
      GalleryFetch,
      HistoryAround,
      GroupAdd,
      GroupRemove,
      GroupRole,
      GroupLeave,
      GroupRename,
      GroupImage,
    ],
    "tipo de quadro desconhecido",
  ),
  // A message needs text or a file; said on `text`, like any other empty text.
  v.rawCheck(({ dataset, addIssue }) => {
    const f = dataset.value as { type: string; text?: string; fileId?: string };
    if (dataset.typed && f.type === "message.send" && !f.text?.trim() && f.fileId === undefined) {
      addIssue({ message: "a mensagem está vazia", path: [{ type: "object", origin: "value", input: f, key: "text", value: f.text }] });
    }
  }),
);
export type ChatClientFrame = v.InferOutput<typeof ChatClientFrame>;

// ---- shared shapes ------------------------------------------------------

export const AttachmentKind = v.picklist(["image", "video", "audio", "voice", "document"]);
export type AttachmentKind = v.InferOutput<typeof AttachmentKind>;

/** A stored file as messages carry it; the bytes are at GET /parties/chat/<room>/files/<fileId>. */
export const Attachment = v.object({
  fileId: v.string(),
  /** Sanitised file name. */
  name: v.string(),
  size: v.number(),
  /** The served Content-Type (from the server's allow-list). */
  contentType: v.string(),
  kind: AttachmentKind,
  durationMs: v.optional(v.number()),
});
export type Attachment = v.InferOutput<typeof Attachment>;

/** What a reply quotes of the original, frozen when the reply is sent. */
export const ReplyQuote = v.object({
  seq: v.number(),
  senderId: v.string(),
  /** First characters of the text, or the file name. */
  snippet: v.string(),
  attachmentKind: v.optional(AttachmentKind),
  /** The original was deleted: the snippet is gone too ("Mensagem apagada"). */
  deleted: v.optional(v.boolean()),
});
export type ReplyQuote = v.InferOutput<typeof ReplyQuote>;

export const Message = v.object({
  /** Server id: `${chatId}:${seq}`. */
  id: v.string(),
  seq: v.number(),
  chatId: v.string(),
  clientId: v.string(),
  senderId: UserId,
  /** Text, or the caption of an attachment; "" once deleted. */
  text: v.string(),
  /** Epoch milliseconds, stamped by the room. */
  createdAt: v.number(),
  attachment: v.optional(Attachment),
  replyTo: v.optional(ReplyQuote),
  /** Set on copies made by "Encaminhar". */
  forwarded: v.optional(v.boolean()),
  /** "Mensagem apagada": text and attachment are gone. */
  deleted: v.optional(v.boolean()),
  /** A group's system line ("Ana criou o grupo"); senderId is the actor (or the target when the room acted). */
  system: v.optional(SystemEvent),
  /** A customer conversation shared in by the contact-center platform (R30): the card. */
  share: v.optional(ShareCard),
});
export type Message = v.InferOutput<typeof Message>;

export const MessagePreview = v.object({
  seq: v.number(),
  senderId: v.string(),
  text: v.string(),
  createdAt: v.number(),
  /** The message was deleted after this seq was last shown ("Mensagem apagada"). */
  deleted: v.optional(v.boolean()),
  /** A group's system line: the list shows it as its sentence ("Ana adicionou Bruno"). */
  system: v.optional(SystemEvent),
});
export type MessagePreview = v.InferOutput<typeof MessagePreview>;

/**
 * A member's unread state (R6, R20), derived by the chat room from their read
 * cursor and the log: messages after the cursor that are not theirs, not deleted
 * and not group notices. `lastUnreadAt` is the newest of those (null when none).
 */
const UnreadFields = {
  unread: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
  lastUnreadAt: v.optional(v.nullable(v.number()), null),
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

/** Stable error codes; `message` is for people (pt-BR), `code` for programs. */
export const ErrorCode = v.picklist(["invalid_frame", "invalid_body", "unauthorized", "forbidden", "not_found", "too_large", "internal"]);
export type ErrorCode = v.InferOutput<typeof ErrorCode>;

// ---- chat room → client -------------------------------------------------

export type ChatServerFrame =
  | {
      type: "chat.ready";
      chatId: string;
      members: string[];
      lastSeq: number;
      /** The newest page, oldest first. */
      messages: Message[];
      hasMore: boolean;
      readCursors: Record<string, number>;
      /** The server's upload limit in bytes (R9), so the client refuses a larger file before uploading. */
      maxUploadBytes?: number;
      /** Present for group chats (R13–R19). */
      group?: GroupInfo;
    }
  /** A group changed (members, roles, name, image); replaces the client's copy. */
  | { type: "group.updated"; group: GroupInfo }
  | { type: "message.ack"; clientId: string; message: Message }
  | { type: "message.new"; message: Message }
  | { type: "history.page"; before: number; messages: Message[]; hasMore: boolean }
  | { type: "read.updated"; userId: string; seq: number }
  /** A stored message changed (deleted): replace it by seq. */
  | { type: "message.updated"; message: Message }
  /** Answer to message.forward: the copies made, one per target chat. */
  | { type: "forward.done"; clientId: string; copies: { chatId: string; seq: number }[] }
  | { type: "gallery.page"; kind: "media" | "documents"; before: number | null; items: Message[]; hasMore: boolean }
  /** Answer to history.around: a contiguous page containing `seq`, oldest first. */
  | { type: "history.around"; seq: number; messages: Message[]; hasMore: boolean }
  | ErrorFrame;

export type ErrorFrame = {
  type: "error";
  code: ErrorCode;
  message: string;
  /** The field that was wrong, as a dotted path, when there is one. */
  field?: string;
  /** The clientId of the frame this answers, when it had one. */
  clientId?: string;
};

// ---- user room → client -------------------------------------------------

export type UserServerFrame =
  | { type: "inbox.snapshot"; conversations: ConversationSummary[] }
  | { type: "inbox.update"; conversation: ConversationSummary }
  /** The user left or was removed from a group: drop it from the list (R17). */
  | { type: "inbox.remove"; chatId: string }
  /** The room has not heard from this tab for a ping interval: answer with `presence.ping` now. */
  | { type: "presence.check" }
  /** Best first (word-prefix before substring), then newest; `hasMore` asks for offset + hits.length. */
  | { type: "search.results"; q: string; offset: number; hits: SearchHit[]; hasMore: boolean }
  | ErrorFrame;

export type SearchHit = { chatId: string; seq: number; senderId: string; text: string; createdAt: number; score: number };

// ---- directory room → client: presence of the company's users (R5) --------

export type DirectoryServerFrame =
  /** Everyone on-line now, on every (re)connection. */
  { type: "presence.snapshot"; online: string[] } | { type: "presence.update"; userId: string; online: boolean };

/** Close codes the rooms use; the client stops reconnecting on 4001/4003. */
export const CloseCode = {
  unauthorized: 4001,
  forbidden: 4003,
  disabled: 4010,
} as const;

// ---- calls (issue 6): records from the sip-proxy, history in the user room ----
// The sip-proxy POSTs one CallRecord per platform user involved; the user room
// stores it by call id and derives each user's history entries and frequent
// contacts from it (R25, R27, R28). Status codes map to the spec's words:
// answered = "Atendidas", initiated = "Iniciadas", missed = "Perdidas".

export const CallEndReason = v.picklist([
  "caller-hangup",
  "callee-hangup",
  "cancelled",
  "busy",
  "rejected",
  "no-answer",
  "failed",
  "connection-lost",
]);
export type CallEndReason = v.InferOutput<typeof CallEndReason>;

const CallNumber = v.pipe(v.string(), v.maxLength(64));
const Instant = v.pipe(v.number(), v.integer(), v.minValue(0));
const CallEndpoint = v.object({
  /** The platform user behind this side, when it is a browser. */
  userId: v.nullable(UserId),
  /** Their extension, or the number dialled / calling in from the PBX. */
  number: CallNumber,
});

export const CallRecord = v.object({
  callId: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  tenant: v.string(),
  caller: CallEndpoint,
  callee: CallEndpoint,
  /** One entry per platform user involved, with the call's direction from their side. */
  parties: v.pipe(v.array(v.object({ userId: UserId, direction: v.picklist(["outbound", "inbound"]) })), v.maxLength(2)),
  answered: v.boolean(),
  startedAt: Instant,
  answeredAt: v.nullable(Instant),
  endedAt: Instant,
  endReason: CallEndReason,
});
export type CallRecord = v.InferOutput<typeof CallRecord>;

export const CallStatus = v.picklist(["answered", "initiated", "missed"]);
export type CallStatus = v.InferOutput<typeof CallStatus>;
/** "all" = "Todas"; the others select one CallStatus. */
export const CallFilter = v.picklist(["all", "answered", "initiated", "missed"]);
export type CallFilter = v.InferOutput<typeof CallFilter>;

/** One row of a user's call history, from that user's side. */
export type CallHistoryEntry = {
  callId: string;
  direction: "outbound" | "inbound";
  status: CallStatus;
  answered: boolean;
  /** The other side: a platform user, or a number outside the platform. */
  other: { userId: string | null; number: string };
  startedAt: number;
  endedAt: number;
  durationMs: number;
  endReason: CallEndReason;
};

export type FrequentContact = { userId: string | null; number: string; calls: number; lastAt: number };

export const CallsFetch = v.object(
  {
    type: v.literal("calls.fetch"),
    filter: CallFilter,
    /** Name or number to search for (name needs at least 3 characters, R21). */
    query: v.optional(v.pipe(v.string(), v.maxLength(64, "busca até 64 caracteres"))),
    /** The `next` cursor of the previous page. */
    before: v.optional(v.pipe(v.string(), v.maxLength(300))),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PAGE, `limit até ${MAX_PAGE}`))),
  },
  MISSING,
);
// ---- smart search (R12) and presence (R5) on the user's own room ----------

export const MIN_SEARCH = 3;
export const SEARCH_PAGE = 20;

/** "Mensagens" of the smart search: message text in the chats the user is in now. */
export const SearchQuery = v.object(
  {
    type: v.literal("search.query"),
    q: v.pipe(
      v.string("q obrigatório"),
      v.maxLength(100, "busca até 100 caracteres"),
      v.check((q) => q.trim().length >= MIN_SEARCH, `digite ao menos ${MIN_SEARCH} caracteres`),
    ),
    /** How many results the client already has (pagination). */
    offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000, "offset até 1000"))),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PAGE, `limit até ${MAX_PAGE}`))),
  },
  MISSING,
);
/**
 * Sent every PRESENCE_PING_MS by each tab, and at once when the room asks (`presence.check`,
 * after a silent interval); a socket silent for longer than three intervals is closed as dead.
 */
export const PresencePing = v.object({ type: v.literal("presence.ping") }, MISSING);
/** The tab is closing (pagehide): go off-line at once if it was the last one, without the grace period. */
export const PresenceLeave = v.object({ type: v.literal("presence.leave") }, MISSING);
export const PRESENCE_PING_MS = 20_000;

export const UserClientFrame = v.variant("type", [CallsFetch, SearchQuery, PresencePing, PresenceLeave], "tipo de quadro desconhecido");
export type UserClientFrame = v.InferOutput<typeof UserClientFrame>;

export type CallsServerFrame =
  /** Newest first; `next` continues the same filter and query, null at the end. `frequent` only on a first page. */
  | {
      type: "calls.page";
      filter: CallFilter;
      query: string;
      entries: CallHistoryEntry[];
      next: string | null;
      frequent?: FrequentContact[];
    }
  /** A finished call was recorded: every tab of the user gets it live. */
  | { type: "calls.updated"; entry: CallHistoryEntry; frequent: FrequentContact[] };
