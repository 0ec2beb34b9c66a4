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

const isEntry = (e: unknown): e is OutboxEntry =>
  typeof e === "object" &&
  e !== null &&
  "chatId" in e &&
  typeof e.chatId === "string" &&
  "clientId" in e &&
  typeof e.clientId === "string" &&
  "text" in e &&
  typeof e.text === "string" &&
  "createdAt" in e &&
  typeof e.createdAt === "number" &&
  "status" in e &&
  (e.status === "pending" || e.status === "failed") &&
  (!("attachment" in e) ||
    e.attachment === undefined ||
    (typeof e.attachment === "object" && e.attachment !== null && "fileId" in e.attachment && typeof e.attachment.fileId === "string")) &&
  (!("replyTo" in e) ||
    e.replyTo === undefined ||
    (typeof e.replyTo === "object" && e.replyTo !== null && "seq" in e.replyTo && typeof e.replyTo.seq === "number")) &&
  (!("mentions" in e) ||
    e.mentions === undefined ||
    (Array.isArray(e.mentions) && e.mentions.every((m: unknown) => typeof m === "string")));

const parsed = (json: string | null): unknown => {
  if (!json) return null;
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
};

/** Reads an outbox stored whole (one array under one key, as releases before the per-entry keys kept it), dropping anything malformed instead of failing the app. */
export function readOutbox(json: string | null): OutboxEntry[] {
  const data = parsed(json);
  return Array.isArray(data) ? data.filter(isEntry) : [];
}

/** Reads one stored entry; null when absent or malformed. */
export function readOutboxEntry(json: string | null): OutboxEntry | null {
  const data = parsed(json);
  return isEntry(data) ? data : null;
}

/**
 * Where each entry is kept: under its own key, `<owner>:<clientId>` (owner = the
 * user's outbox name). Two tabs of one user then never write the same key for
 * different messages. One array under one key lost messages: each tab read the
 * array, changed it and wrote it back, and Chromium hands one tab's localStorage
 * writes to the others asynchronously, so a tab acknowledging its message wrote
 * back an array without the message the other tab had just queued (the delivery
 * test's lost "Enviada"; 55 of 400 appends lost between two tabs, measured).
 */
export const entryKey = (owner: string, clientId: string): string => `${owner}:${clientId}`;
export const isEntryKeyOf = (owner: string, key: string): boolean => key.startsWith(`${owner}:`);

/**
 * The outbox in the order its messages were written, gathered from the entries of
 * every tab: by `createdAt` (a tab never gives two of its messages the same one,
 * see `writtenAt`), then by clientId, so every tab sees the same order.
 */
export function orderOutbox(entries: Iterable<OutboxEntry>): OutboxEntry[] {
  return [...entries].sort((a, b) => a.createdAt - b.createdAt || (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
}

/** A message's `createdAt`: now, but always after the tab's previous one, so a burst within one millisecond keeps its order. */
export const writtenAt = (now: number, previous: number): number => Math.max(now, previous + 1);

/** A clientId the protocol accepts (8–64 of [A-Za-z0-9_-]) that no other tab or device will pick. */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
