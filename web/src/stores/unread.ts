/**
 * The unread total (R7, R20) for the module's badge and the page title, added up
 * from the server-derived counts of the conversation list.
 */
import { computed, effect } from "@preact/signals";
import { t } from "../i18n";
import { pageTitle, totalUnread } from "../model/unread";
import { conversations } from "./inbox";

export const unreadTotal = computed(() => totalUnread(conversations.value));

effect(() => {
  document.title = pageTitle(unreadTotal.value, t.appName);
});
