/**
 * The unread total (R7, R20) for the module's badge and the page title, added up
 * from the server-derived counts of the conversation list.
 */
import { computed } from "@preact/signals";
import { t } from "../i18n";
import { pageTitle, totalUnread } from "../model/unread";
import { conversations } from "./inbox";
import type { Lifetime } from "./lifetime";

export const unreadTotal = computed(() => totalUnread(conversations.value));

/** The total in the page title while the session runs (R20: seen from another tab too). */
export function startUnread(life: Lifetime): void {
  life.effect(() => {
    document.title = pageTitle(unreadTotal.value, t.appName);
  });
  life.add(() => (document.title = t.appName));
}
