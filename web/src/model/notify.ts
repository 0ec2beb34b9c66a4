/**
 * When a new message becomes a browser notification (R20) or the short sound
 * (issue 17): only when the unread count of a chat grew because of a newer
 * message from someone else, while the page is hidden (so nobody is looking at
 * any chat here) — and, for a notification, only with the permission granted.
 * A mention of the user (issue 17.6) notifies also while the page is visible
 * with another chat on screen, and says so ("Ana mencionou você").
 * Pure, so the rules are tested without a browser.
 */
import type { ConversationSummary } from "../../../protocol/hub";
import { t } from "../i18n";

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
  return check.permission === "granted" && (isNewWhileHidden(check) || isNewMention(check));
}

/** Issue 17.6: the chat's unread mention just appeared ("@" in the list). */
const mentionArrived = (c: Pick<NotifyCheck, "before" | "after">) => c.after.mentioned && !c.before?.mentioned;

/**
 * Issue 17.6: someone just mentioned the user. That calls for them even while the
 * page is visible, unless the very chat is on screen — where they see it anyway.
 */
export function isNewMention(check: Omit<NotifyCheck, "permission">): boolean {
  const last = check.after.lastMessage;
  if (!last || last.senderId === check.myId || !mentionArrived(check)) return false;
  return check.hidden || check.openChatId !== check.after.chatId;
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
export function notificationText(
  after: ConversationSummary,
  nameOf: (userId: string) => string,
  before?: ConversationSummary,
): { title: string; body: string } {
  const last = after.lastMessage!;
  if (after.kind === "group")
    return {
      title: after.name,
      body: `${mentionArrived({ before, after }) ? t.mentionedYou(nameOf(last.senderId)) : nameOf(last.senderId)}: ${last.text}`,
    };
  return { title: nameOf(last.senderId), body: last.text };
}

/** The permission prompt is offered (never forced) while the browser has not been asked and the user did not dismiss it. */
export function offerPermission(permission: NotifyPermission, dismissed: boolean): boolean {
  return permission === "default" && !dismissed;
}
