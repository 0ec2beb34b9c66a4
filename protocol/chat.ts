/**
 * The chat room's protocol (one room per 1:1 chat or group): every frame a
 * client sends it and every frame it sends back, as schemas or types inferred
 * from them. Rooms and the web client import this one module.
 */
import * as v from "valibot";
import { UserId } from "./ids";
import { ShareCard } from "./share";
import { GroupAdd, GroupImage, GroupLeave, GroupRemove, GroupRename, GroupRole, SystemEvent, type GroupInfo } from "./groups";
import type { ErrorFrame } from "./errors";

export const MAX_TEXT = 4000;
/** Issue 17.2: "está digitando…" goes this long after the last keystroke heard. */
export const TYPING_TTL_MS = 5_000;
export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 50;

/** A client-chosen id that makes a resend idempotent. */
export const ClientMessageId = v.pipe(
  v.string("clientId obrigatório"),
  v.regex(/^[A-Za-z0-9_-]{8,64}$/, "clientId deve ter de 8 a 64 caracteres [A-Za-z0-9_-]"),
);

/**
 * Characters that show nothing: white space, format characters (zero-width
 * space, joiners, BOM, bidi marks), variation selectors and the tag block.
 */
const INVISIBLE = /[\s\p{Cf}\u{FE00}-\u{FE0F}\u{E0000}-\u{E007F}\u115F\u1160\u3164\uFFA0\u2800]/gu;

/** Whether some character of the text would show on screen (R9: nothing invisible-only is stored). */
export function hasVisibleText(s: string): boolean {
  return s.replace(INVISIBLE, "").length > 0;
}

/** A lone UTF-16 surrogate cannot be encoded as UTF-8: such text is refused, never stored mangled. */
export function isWellFormedText(s: string): boolean {
  return !/\p{Cs}/u.test(s);
}

const TextBody = (required: boolean) =>
  v.pipe(
    v.string("texto obrigatório"),
    v.transform((s) => s.replace(/\r\n?/g, "\n")),
    v.check(isWellFormedText, "o texto tem caracteres inválidos (substitutos UTF-16 isolados)"),
    v.check((s) => !required || hasVisibleText(s), "a mensagem está vazia"),
    v.maxLength(MAX_TEXT, `a mensagem passa de ${MAX_TEXT} caracteres`),
  );

export const MessageText = TextBody(true);

// ---- client → chat room -------------------------------------------------

/** Said of a frame that lacks a required field (the field is named in `field`). */
const MISSING = "campo obrigatório ausente";

/** Text that may be empty: a caption beside an attachment. */
export const CaptionText = TextBody(false);

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
    /** Issue 17.6: people mentioned in a group ("@Ana"): their user ids, or "*" for "@todos" (admins only). */
    mentions: v.optional(
      v.pipe(v.array(v.pipe(v.string(), v.regex(/^(\*|[a-z0-9][a-z0-9_-]{0,39})$/, "menção inválida"))), v.maxLength(50)),
    ),
  },
  MISSING,
);

/** Issue 17.4 "Editar": one's own text message, within EDIT_WINDOW_MS of sending. */
export const EDIT_WINDOW_MS = 15 * 60 * 1000;
export const MessageEdit = v.object({ type: v.literal("message.edit"), seq: Seq, text: MessageText }, MISSING);

/** One emoji (a single grapheme that is a pictograph), as reactions carry it. */
export const ReactionEmoji = v.pipe(
  v.string("emoji obrigatório"),
  v.maxLength(32, "uma reação é um emoji"),
  v.check(
    (s) => /^\p{Extended_Pictographic}/u.test(s) && [...new Intl.Segmenter("pt", { granularity: "grapheme" }).segment(s)].length === 1,
    "uma reação é um emoji",
  ),
);
/** Issue 17.5 "Reagir": toggles the sender's reaction with this emoji on a message. */
export const MessageReact = v.object({ type: v.literal("message.react"), seq: Seq, emoji: ReactionEmoji }, MISSING);

/** Issue 17.2: the sender is typing (ephemeral, never stored; the client sends it at most every few seconds). */
export const Typing = v.object({ type: v.literal("typing") }, MISSING);

/** Issue 17.1 "Informações da mensagem": who has it and who read it, with times. */
export const MessageInfo = v.object({ type: v.literal("message.info"), seq: Seq }, MISSING);

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

/** R5/R16 "Mídias" / "Documentos" / "Áudios": the chat's attachments, newest first, in pages. */
export const GalleryFetch = v.object(
  {
    type: v.literal("gallery.fetch"),
    kind: v.picklist(["media", "documents", "audio"], "kind deve ser media, documents ou audio"),
    before: v.optional(Seq),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PAGE))),
  },
  MISSING,
);

/** Loads the page around one message (used to jump to a replied-to message or a search hit). */
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

/** Messages after `after` (a reconnecting or gap-noticing client catches up in order). */
export const HistorySince = v.object(
  {
    type: v.literal("history.since"),
    after: v.pipe(v.number("after deve ser um número"), v.integer(), v.minValue(0, "after não pode ser negativo")),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PAGE, `limit até ${MAX_PAGE}`))),
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
      HistorySince,
      ReadMark,
      MessageDelete,
      MessageForward,
      GalleryFetch,
      HistoryAround,
      MessageEdit,
      MessageReact,
      Typing,
      MessageInfo,
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
    if (dataset.typed && f.type === "message.send" && !hasVisibleText(f.text ?? "") && f.fileId === undefined) {
      addIssue({ message: "a mensagem está vazia", path: [{ type: "object", origin: "value", input: f, key: "text", value: f.text }] });
    }
  }),
);
export type ChatClientFrame = v.InferOutput<typeof ChatClientFrame>;

// ---- shared shapes ------------------------------------------------------

export const AttachmentKind = v.picklist(["image", "video", "audio", "voice", "document"]);
export type AttachmentKind = v.InferOutput<typeof AttachmentKind>;

/** A stored file as messages carry it; members get its bytes through a short-lived signed link (`file.links`). */
export const Attachment = v.object({
  fileId: v.string(),
  /** Sanitised file name. */
  name: v.string(),
  size: v.number(),
  /** The served Content-Type (from the server's allow-list). */
  contentType: v.string(),
  kind: AttachmentKind,
  durationMs: v.optional(v.number()),
  /** Pixel size of an image or video, as the uploader measured it, so the chat can reserve its place. */
  width: v.optional(v.number()),
  height: v.optional(v.number()),
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
  /** Issue 17.4: when the sender last edited the text ("editada"). */
  editedAt: v.optional(v.number()),
  /** Issue 17.5: who reacted with which emoji, in the order they did. */
  reactions: v.optional(v.record(v.string(), v.array(UserId))),
  /** Issue 17.6: who was mentioned (user ids, or "*" for "@todos"). */
  mentions: v.optional(v.array(v.string())),
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

// ---- chat room → client -------------------------------------------------

/**
 * Offered beside the app's subprotocol, it says this client also takes several
 * frames sent as one (`{ type: "frames", frames }`, in order): a batch of sends
 * committed together answers each socket with one WebSocket message instead of
 * one per send (issue 15). A client that does not offer it gets every frame on
 * its own.
 */
export const FRAMES_SUBPROTOCOL = "conversas.frames";

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
      /** Issue 17.1: how far messages reached each member's devices. */
      deliveredCursors: Record<string, number>;
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
  /** Answer to history.since: the messages after `after`, oldest first; `hasMore` asks for the next page. */
  | { type: "history.since"; after: number; messages: Message[]; hasMore: boolean }
  | { type: "read.updated"; userId: string; seq: number }
  /** Issue 17.1: how far messages reached each member's devices ("Entregue"), sent when it moves. */
  | { type: "delivered.updated"; cursors: Record<string, number> }
  /** Issue 17.2: someone is typing here (gone after TYPING_TTL_MS without another, or when their message arrives). */
  | { type: "typing"; userId: string }
  /** Answer to message.info: every other member's "Lida" and "Entregue" time for that message, when it happened. */
  | { type: "message.info"; seq: number; readBy: { userId: string; at: number }[]; deliveredTo: { userId: string; at: number }[] }
  /** A stored message changed (deleted): replace it by seq. */
  | { type: "message.updated"; message: Message }
  /** Answer to message.forward: the copies made, one per target chat. */
  | { type: "forward.done"; clientId: string; copies: { chatId: string; seq: number }[] }
  | { type: "gallery.page"; kind: "media" | "documents" | "audio"; before: number | null; items: Message[]; hasMore: boolean }
  /** Answer to history.around: a contiguous page containing `seq`, oldest first. */
  | { type: "history.around"; seq: number; messages: Message[]; hasMore: boolean }
  /** Several frames in one, in order (only to a client that offered FRAMES_SUBPROTOCOL). */
  | { type: "frames"; frames: ChatServerFrame[] }
  | ErrorFrame;
