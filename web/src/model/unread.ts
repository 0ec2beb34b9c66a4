/**
 * Unread state as the list and the shell show it (R7, R20): the total for the
 * module's badge and the page title, and the time label of an unread chat — the
 * time of its newest unread message if today, otherwise "Ontem" or that message's
 * date (the help page: "Mensagens recebidas em dias anteriores: Mostram a data do
 * envio"; "Ontem" as everywhere else in the list and the chat).
 * The counts themselves are derived by the server; here they are only added up.
 */
import { listTimeLabel } from "./dates";

type Unread = { unread?: number; lastUnreadAt?: number | null; lastMessage: { createdAt: number } | null };

export function totalUnread(conversations: readonly Unread[]): number {
  return conversations.reduce((n, c) => n + Math.max(0, c.unread ?? 0), 0);
}

/** The badge's text: exact up to 99, then "99+" so it keeps its size. */
export function badgeText(total: number): string {
  return total > 99 ? "99+" : String(total);
}

/** "(3) Conversas": the total in the tab title, so it shows from another tab too. */
export function pageTitle(total: number, appName: string): string {
  return total > 0 ? `(${total}) ${appName}` : appName;
}

/**
 * The list's time column: an unread chat by its newest unread message, others by
 * their last message — both in the same words (today's time, "Ontem", the date),
 * so two chats from the same day never disagree (issue 17).
 */
export function rowTimeLabel(c: Unread, now: number): string {
  if ((c.unread ?? 0) > 0 && c.lastUnreadAt != null) return listTimeLabel(c.lastUnreadAt, now);
  return c.lastMessage ? listTimeLabel(c.lastMessage.createdAt, now) : "";
}
