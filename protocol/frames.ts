/**
 * The WebSocket protocol: every frame either side sends is a member of one of the
 * discriminated unions below. Types are inferred from the schemas, never written
 * twice; rooms and the web client import this one module.
 */
import * as v from "valibot";
import { UserId } from "./ids";

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

export const MessageSend = v.object(
  {
    type: v.literal("message.send"),
    clientId: ClientMessageId,
    text: MessageText,
  },
  MISSING,
);

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

export const ChatClientFrame = v.variant("type", [MessageSend, HistoryFetch, ReadMark], "tipo de quadro desconhecido");
export type ChatClientFrame = v.InferOutput<typeof ChatClientFrame>;

// ---- shared shapes ------------------------------------------------------

export const Message = v.object({
  /** Server id: `${chatId}:${seq}`. */
  id: v.string(),
  seq: v.number(),
  chatId: v.string(),
  clientId: v.string(),
  senderId: UserId,
  text: v.string(),
  /** Epoch milliseconds, stamped by the room. */
  createdAt: v.number(),
});
export type Message = v.InferOutput<typeof Message>;

export const MessagePreview = v.object({
  seq: v.number(),
  senderId: v.string(),
  text: v.string(),
  createdAt: v.number(),
});
export type MessagePreview = v.InferOutput<typeof MessagePreview>;

export const ConversationSummary = v.object({
  chatId: v.string(),
  kind: v.literal("direct"),
  /** The other member of a direct chat. */
  peerId: v.string(),
  lastMessage: v.nullable(MessagePreview),
});
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
    }
  | { type: "message.ack"; clientId: string; message: Message }
  | { type: "message.new"; message: Message }
  | { type: "history.page"; before: number; messages: Message[]; hasMore: boolean }
  | { type: "read.updated"; userId: string; seq: number }
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
  | ErrorFrame;

/** Close codes the rooms use; the client stops reconnecting on 4001/4003. */
export const CloseCode = {
  unauthorized: 4001,
  forbidden: 4003,
  disabled: 4010,
} as const;
