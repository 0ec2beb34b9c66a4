/**
 * The outbox: every message the user wrote that the server has not acknowledged
 * yet, in the order it was written. It is persisted per user, so nothing typed is
 * lost to a reload or a dropped connection; entries leave it only on `message.ack`
 * or when the user discards a failed one. A pure reducer, so the rules are tested
 * without a browser.
 */
import type { Attachment, ReplyQuote } from "../../../protocol/chat";

export type OutboxEntry = {
  chatId: string;
  clientId: string;
  /** The text, or the caption of an attachment (may be ""). */
  text: string;
  createdAt: number;
  /** An uploaded file (R9): only queued once its upload succeeded, so a resend never re-uploads. */
  attachment?: Attachment;
  /** The quote of a reply ("Responder", R10). */
  replyTo?: ReplyQuote;
  /** Issue 17.6: who the text mentions ("@Ana", or "*" for "@todos"), read from it when it was sent. */
  mentions?: string[];
  /** "failed" entries wait for the user ("Tentar de novo"); they are never resent on their own. */
  status: "pending" | "failed";
  /** The server's explanation of a failure, for people. */
  error?: string;
};

export type OutboxAction =
  | { type: "add"; entry: Omit<OutboxEntry, "status"> }
  | { type: "ack"; clientId: string }
  | { type: "fail"; clientId: string; error: string }
  | { type: "retry"; clientId: string }
  | { type: "discard"; clientId: string };

export function reduceOutbox(outbox: readonly OutboxEntry[], action: OutboxAction): OutboxEntry[] {
  switch (action.type) {
    case "add":
      if (outbox.some((e) => e.clientId === action.entry.clientId)) return [...outbox];
      return [...outbox, { ...action.entry, status: "pending" }];
    case "ack":
    case "discard":
      return outbox.filter((e) => e.clientId !== action.clientId);
    case "fail":
      return outbox.map((e) => (e.clientId === action.clientId ? { ...e, status: "failed", error: action.error } : e));
    case "retry":
      return outbox.map((e) => {
        if (e.clientId !== action.clientId) return e;
        const { error: _error, ...rest } = e;
        return { ...rest, status: "pending" };
      });
  }
}

/** What to (re)send to a chat's room, oldest first: its pending entries. */
export function pendingFor(outbox: readonly OutboxEntry[], chatId: string): OutboxEntry[] {
  return outbox.filter((e) => e.chatId === chatId && e.status === "pending");
}

/** The `message.send` frame that (re)sends an entry; the room is idempotent by clientId. */
export function sendFrame(e: OutboxEntry) {
  return {
    type: "message.send" as const,
    clientId: e.clientId,
    text: e.text,
    ...(e.attachment ? { fileId: e.attachment.fileId } : {}),
    ...(e.attachment?.kind === "voice" ? { voice: { durationMs: e.attachment.durationMs ?? 0 } } : {}),
    ...(e.replyTo ? { replyTo: e.replyTo.seq } : {}),
    ...(e.mentions?.length ? { mentions: e.mentions } : {}),
  };
}

/** The chats that still have something to send. */
export function chatsWithPending(outbox: readonly OutboxEntry[]): string[] {
  return [...new Set(outbox.filter((e) => e.status === "pending").map((e) => e.chatId))];
}

/** Reads a stored outbox, dropping anything malformed instead of failing the app. */
export function readOutbox(json: string | null): OutboxEntry[] {
  if (!json) return [];
  try {
    const data: unknown = JSON.parse(json);
    if (!Array.isArray(data)) return [];
    return data.filter(
      (e): e is OutboxEntry =>
        typeof e === "object" &&
        e !== null &&
        typeof e.chatId === "string" &&
        typeof e.clientId === "string" &&
        typeof e.text === "string" &&
        typeof e.createdAt === "number" &&
        (e.status === "pending" || e.status === "failed") &&
        (e.attachment === undefined || (typeof e.attachment === "object" && typeof e.attachment?.fileId === "string")) &&
        (e.replyTo === undefined || typeof e.replyTo?.seq === "number") &&
        (e.mentions === undefined || (Array.isArray(e.mentions) && e.mentions.every((m: unknown) => typeof m === "string"))),
    );
  } catch {
    return [];
  }
}

/** A clientId the protocol accepts (8–64 of [A-Za-z0-9_-]) that no other tab or device will pick. */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
