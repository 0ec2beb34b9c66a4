/**
 * Issue 17.2, "está digitando…" in the open chat: who the room says is typing
 * (ephemeral `typing` frames, each good for TYPING_TTL_MS; their message arriving
 * ends it at once), as the line under the chat header; and saying so oneself
 * while writing, throttled to one frame every few seconds, never while the text
 * is empty, and reset by sending.
 */
import { computed, signal } from "@preact/signals";
import type { ChatServerFrame } from "../../../protocol/chat";
import { heardTyping, shouldSendTyping, stoppedTyping, typingLine, typingNow, type Typists } from "../model/typing";
import { onChatFrame, sendToChat } from "./chat-links";
import { openChatId } from "./chat";
import { contactById } from "./contacts";
import type { Lifetime } from "./lifetime";
import { session } from "./session";

const typists = signal<Typists>(new Map());

/** "Ana está digitando…" (and the others), or "" when nobody is. */
export const typingText = computed(() => typingLine([...typists.value.keys()].map((id) => contactById.value.get(id)?.name ?? id)));

/** When this tab last said it was typing, and in which chat. */
let lastSent: { chatId: string; at: number } | null = null;

/** A keystroke in the composer: tells the room, at most every few seconds. */
export function noteTyping(text: string): void {
  const chatId = openChatId.peek();
  if (!chatId) return;
  const at = Date.now();
  if (!shouldSendTyping(text, lastSent?.chatId === chatId ? lastSent.at : null, at)) return;
  if (sendToChat(chatId, { type: "typing" })) lastSent = { chatId, at };
}

/** A message went: the next keystroke says "typing" again at once. */
export function sentMessage(): void {
  lastSent = null;
}

export function startTyping(life: Lifetime): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Each person's line goes when their time is up: one timer, for the next to go.
  life.effect(() => {
    clearTimeout(timer);
    const { nextExpiry } = typingNow(typists.value, Date.now());
    if (nextExpiry === null) return;
    timer = setTimeout(
      () => {
        const { userIds } = typingNow(typists.peek(), Date.now());
        typists.value = new Map([...typists.peek()].filter(([u]) => userIds.includes(u)));
      },
      Math.max(0, nextExpiry - Date.now()) + 20,
    );
  });
  let shown: string | null = null;
  life.effect(() => {
    if (openChatId.value === shown) return;
    shown = openChatId.value;
    typists.value = new Map();
  });
  life.add(
    onChatFrame((chatId, frame: ChatServerFrame) => {
      if (chatId !== openChatId.peek()) return;
      if (frame.type === "typing" && frame.userId !== session.peek()?.user.id)
        typists.value = heardTyping(typists.peek(), frame.userId, Date.now());
      else if (frame.type === "message.new") typists.value = stoppedTyping(typists.peek(), frame.message.senderId);
      // Reconnected: whoever was typing will say so again.
      else if (frame.type === "chat.ready") typists.value = new Map();
    }),
  );
  life.add(() => {
    clearTimeout(timer);
    typists.value = new Map();
    lastSent = null;
  });
}
