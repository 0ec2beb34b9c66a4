/**
 * Browser notifications for new messages (R20). The permission is asked only
 * when the user presses "Ativar notificações" on a bar that can be dismissed —
 * never on load — and the dismissal is remembered. A click on a notification
 * brings the window forward and opens its chat. Each chat's notification replaces
 * the previous one (same tag), so several hidden tabs show it once.
 */
import { signal } from "@preact/signals";
import { notificationText, offerPermission, shouldNotify, type NotifyPermission } from "../model/notify";
import { openChat, openChatId } from "./chat";
import { contactById } from "./contacts";
import { onConversationUpdated } from "./inbox";
import type { Lifetime } from "./lifetime";
import { readKey, writeKey } from "./persisted";
import { session } from "./session";

const DISMISSED_KEY = "conversas.notificacoes.dispensado";

const current = (): NotifyPermission => (typeof Notification === "undefined" ? "unsupported" : Notification.permission);
export const permission = signal<NotifyPermission>(current());
const dismissed = signal(readKey(DISMISSED_KEY) === "1");

/** Whether to show the "Ativar notificações" bar. */
export function showPermissionBar(): boolean {
  return offerPermission(permission.value, dismissed.value);
}

export async function askPermission(): Promise<void> {
  if (typeof Notification === "undefined") return;
  permission.value = await Notification.requestPermission();
}

export function dismissPermissionBar(): void {
  dismissed.value = true;
  writeKey(DISMISSED_KEY, "1");
}

/** Notifies of new messages while the session runs (R20). */
export function startNotifications(life: Lifetime): void {
  permission.value = current();
  // The answer can change in the browser's settings or in another tab.
  life.on(window, "focus", () => (permission.value = current()));

  life.add(
    onConversationUpdated((before, after) => {
      const myId = session.peek()?.user.id;
      if (!myId) return;
      const check = { before, after, myId, hidden: document.hidden, openChatId: openChatId.peek(), permission: permission.peek() };
      if (!shouldNotify(check)) return;
      const { title, body } = notificationText(after, (id) => contactById.peek().get(id)?.name ?? id, before);
      try {
        const n = new Notification(title, { body, tag: after.chatId, icon: "/favicon.svg" });
        n.onclick = () => {
          focus();
          openChat(after.chatId);
          n.close();
        };
      } catch (err) {
        // Some browsers (Android Chrome) allow notifications only from a service worker.
        console.warn("notification", err);
      }
    }),
  );
}
