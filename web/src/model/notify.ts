/**
 * When a new message becomes a browser notification (R20) or the short sound
 * (issue 17): only when the unread count of a chat grew because of a newer
 * message from someone else, while the page is hidden (so nobody is looking at
 * any chat here) — and, for a notification, only with the permission granted.
 * Pure, so the rules are tested without a browser.
 */
import type { ConversationSummary } from "../../../protocol/hub";

export type NotifyPermission = "granted" | "denied" | "default" | "unsupported";

export type NotifyCheck = {
  before: ConversationSummary | undefined;
  after: ConversationSummary;
  myId: string;
  /** `document.hidden`: the user cannot see this page. */
  hidden: boolean;
  /** The chat on screen in this tab, if any. */
  openChatId: string | null;
  permission: NotifyPermission;
};

export function shouldNotify(check: NotifyCheck): boolean {
  return check.permission === "granted" && isNewWhileHidden(check);
}

/** A newer message from someone else made a chat's unread count grow while this page is hidden (notification and sound alike). */
export function isNewWhileHidden({ before, after, myId, hidden, openChatId }: Omit<NotifyCheck, "permission">): boolean {
  const last = after.lastMessage;
  if (!last || last.senderId === myId || last.system || last.deleted) return false;
  // A summary re-sent for the same message (a read elsewhere, a re-add) is not news.
  if (before?.lastMessage && before.lastMessage.seq >= last.seq) return false;
  if (after.unread <= (before?.unread ?? 0)) return false;
  // Being looked at: this tab is visible with that chat open. A visible page needs no notification at all.
  const lookedAt = !hidden && openChatId === after.chatId;
  return hidden && !lookedAt;
}

/** Title and body: who wrote (the group's name in a group) and the preview the list shows. */
export function notificationText(after: ConversationSummary, nameOf: (userId: string) => string): { title: string; body: string } {
  const last = after.lastMessage!;
  if (after.kind === "group") return { title: after.name, body: `${nameOf(last.senderId)}: ${last.text}` };
  return { title: nameOf(last.senderId), body: last.text };
}

/** The permission prompt is offered (never forced) while the browser has not been asked and the user did not dismiss it. */
export function offerPermission(permission: NotifyPermission, dismissed: boolean): boolean {
  return permission === "default" && !dismissed;
}
