/**
 * linkifyjs (about 20 KiB) loads once a chat is open rather than with the first
 * screen; until it arrives, messages show as plain text and then gain their links.
 */
import { signal } from "@preact/signals";
import type { find as Find } from "linkifyjs";
import { openChatId } from "./chat";
import type { Lifetime } from "./lifetime";

export const linkFinder = signal<typeof Find | null>(null);

export function startLinkify(life: Lifetime): void {
  life.effect(() => {
    if (!openChatId.value || linkFinder.peek()) return;
    // Offline before it was ever loaded: text stays plain, and the next chat opened tries again.
    void import("linkifyjs").then(
      (m) => (linkFinder.value = m.find),
      () => undefined,
    );
  });
}
