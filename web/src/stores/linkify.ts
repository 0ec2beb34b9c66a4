/**
 * linkifyjs (about 20 KiB) loads once a chat is open rather than with the first
 * screen; until it arrives, messages show as plain text and then gain their links.
 */
import { effect, signal } from "@preact/signals";
import type { find as Find } from "linkifyjs";
import { openChatId } from "./chat";

export const linkFinder = signal<typeof Find | null>(null);

effect(() => {
  if (!openChatId.value || linkFinder.peek()) return;
  void import("linkifyjs").then((m) => (linkFinder.value = m.find));
});
