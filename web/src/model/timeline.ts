/**
 * What the chat screen shows (R8): the loaded messages and the user's own unsent
 * ones (from the outbox), in order, with a day separator ("Hoje", "Ontem", date)
 * before each new day, and the "Mensagens não lidas" line above the first message
 * that was unread when the chat was opened (issue 17). A pending message keeps
 * its key when the server accepts it, so it turns into the sent one in place
 * instead of jumping.
 */
import type { Attachment, Message, ReplyQuote } from "../../../protocol/chat";
import type { SystemEvent } from "../../../protocol/groups";
import { dayKey, dayLabel, formatTime } from "./dates";
import type { OutboxEntry } from "./outbox";
import type { Receipt } from "./receipts";

export type MessageStatus = "sent" | "pending" | "failed";

export type TimelineItem =
  | { kind: "day"; key: string; label: string }
  /** "Mensagens não lidas": above the first message that was unread when the chat opened. */
  | { kind: "unread"; key: "unread" }
  | {
      kind: "message";
      key: string;
      clientId: string;
      mine: boolean;
      text: string;
      time: string;
      status: MessageStatus;
      error?: string;
      /** The server's seq once stored; actions ("⋮") need it. */
      seq: number | null;
      senderId: string;
      attachment?: Attachment;
      replyTo?: ReplyQuote;
      forwarded?: boolean;
      deleted?: boolean;
      /** The quoted original was deleted since: its frozen snippet is not shown any more. */
      quoteDeleted?: boolean;
      /** A group's system line ("Ana criou o grupo"), shown centred, without actions. */
      system?: SystemEvent;
      /** A shared customer conversation's card (R30). */
      share?: Message["share"];
      /** When it was sent (the edit window counts from here). */
      createdAt: number;
      /** Issue 17.1: one's own stored message's ✓ / ✓✓ / "Lida". */
      receipt?: Receipt;
      /** Issue 17.4: "editada". */
      editedAt?: number;
      /** Issue 17.5: emoji → who reacted. */
      reactions?: Message["reactions"];
      /** Issue 17.6: who the message mentions (ids, "*" for "@todos"). */
      mentions?: string[];
      /** Issue 17.6: it mentions the reader, by name or "@todos" (shown highlighted). */
      mentionsMe?: true;
    };

/**
 * `unreadAfter` is the user's read cursor as the chat opened, when something was
 * unread then (null otherwise): the line goes above the first loaded message after
 * it from someone else (as older pages load, it moves up to the real first one).
 */
export function buildTimeline(
  messages: readonly Message[],
  outbox: readonly OutboxEntry[],
  me: string,
  now: number,
  unreadAfter: number | null = null,
  /** Issue 17.1: the receipt of one's own stored message. */
  receiptOf?: (m: Message) => Receipt,
): TimelineItem[] {
  const delivered = new Set(messages.filter((m) => m.senderId === me).map((m) => m.clientId));
  const deletedSeqs = new Set(messages.filter((m) => m.deleted).map((m) => m.seq));
  type Row = {
    sender: string;
    clientId: string;
    text: string;
    at: number;
    status: MessageStatus;
    error?: string | undefined;
    seq: number | null;
    rich: Pick<Message, "attachment" | "replyTo" | "forwarded" | "deleted" | "system" | "share" | "editedAt" | "reactions" | "mentions">;
    receipt?: Receipt | undefined;
  };
  const rich = (m: Partial<Message>) => ({
    ...(m.attachment ? { attachment: m.attachment } : {}),
    ...(m.replyTo ? { replyTo: m.replyTo } : {}),
    ...(m.forwarded ? { forwarded: true } : {}),
    ...(m.deleted ? { deleted: true } : {}),
    ...(m.system ? { system: m.system } : {}),
    ...(m.share ? { share: m.share } : {}),
    ...(m.editedAt !== undefined && !m.deleted ? { editedAt: m.editedAt } : {}),
    ...(m.reactions && !m.deleted ? { reactions: m.reactions } : {}),
    ...(m.mentions?.length && !m.deleted ? { mentions: m.mentions } : {}),
  });
  const rows: Row[] = [
    ...messages.map((m) => ({
      sender: m.senderId,
      clientId: m.clientId,
      text: m.text,
      at: m.createdAt,
      status: "sent" as const,
      seq: m.seq,
      rich: rich(m),
      receipt: receiptOf && m.senderId === me && !m.system && !m.deleted ? receiptOf(m) : undefined,
    })),
    ...outbox
      .filter((e) => !delivered.has(e.clientId))
      .map((e) => ({
        sender: me,
        clientId: e.clientId,
        text: e.text,
        at: e.createdAt,
        status: e.status,
        error: e.error,
        seq: null,
        rich: rich({
          ...(e.attachment ? { attachment: e.attachment } : {}),
          ...(e.replyTo ? { replyTo: e.replyTo } : {}),
          ...(e.mentions ? { mentions: e.mentions } : {}),
        }),
      })),
  ];
  const items: TimelineItem[] = [];
  let day = "";
  let lineDrawn = unreadAfter === null;
  for (const row of rows) {
    const key = dayKey(row.at);
    if (key !== day) {
      day = key;
      items.push({ kind: "day", key: `day:${key}`, label: dayLabel(row.at, now) });
    }
    if (!lineDrawn && row.seq !== null && row.seq > unreadAfter! && row.sender !== me && !row.rich.system && !row.rich.deleted) {
      lineDrawn = true;
      items.push({ kind: "unread", key: "unread" });
    }
    items.push({
      kind: "message",
      key: `${row.sender}:${row.clientId}`,
      clientId: row.clientId,
      mine: row.sender === me,
      text: row.text,
      time: formatTime(row.at),
      status: row.status,
      ...(row.error ? { error: row.error } : {}),
      seq: row.seq,
      senderId: row.sender,
      createdAt: row.at,
      ...(row.receipt ? { receipt: row.receipt } : {}),
      // "*" is how the protocol names "@todos".
      ...(row.sender !== me && (row.rich.mentions?.includes(me) || row.rich.mentions?.includes("*")) ? { mentionsMe: true as const } : {}),
      ...row.rich,
      ...(row.rich.replyTo && (row.rich.replyTo.deleted || deletedSeqs.has(row.rich.replyTo.seq)) ? { quoteDeleted: true } : {}),
    });
  }
  return items;
}
