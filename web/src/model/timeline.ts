/**
 * What the chat screen shows (R8): the loaded messages and the user's own unsent
 * ones (from the outbox), in order, with a day separator ("Hoje", "Ontem", date)
 * before each new day. A pending message keeps its key when the server accepts it,
 * so it turns into the sent one in place instead of jumping.
 */
import type { Message } from "../../../protocol/frames";
import { dayKey, dayLabel, formatTime } from "./dates";
import type { OutboxEntry } from "./outbox";

export type MessageStatus = "sent" | "pending" | "failed";

export type TimelineItem =
  | { kind: "day"; key: string; label: string }
  | {
      kind: "message";
      key: string;
      clientId: string;
      mine: boolean;
      text: string;
      time: string;
      status: MessageStatus;
      error?: string;
    };

export function buildTimeline(messages: readonly Message[], outbox: readonly OutboxEntry[], me: string, now: number): TimelineItem[] {
  const delivered = new Set(messages.filter((m) => m.senderId === me).map((m) => m.clientId));
  type Row = { sender: string; clientId: string; text: string; at: number; status: MessageStatus; error?: string | undefined };
  const rows: Row[] = [
    ...messages.map((m) => ({ sender: m.senderId, clientId: m.clientId, text: m.text, at: m.createdAt, status: "sent" as const })),
    ...outbox
      .filter((e) => !delivered.has(e.clientId))
      .map((e) => ({ sender: me, clientId: e.clientId, text: e.text, at: e.createdAt, status: e.status, error: e.error })),
  ];
  const items: TimelineItem[] = [];
  let day = "";
  for (const row of rows) {
    const key = dayKey(row.at);
    if (key !== day) {
      day = key;
      items.push({ kind: "day", key: `day:${key}`, label: dayLabel(row.at, now) });
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
    });
  }
  return items;
}
