/**
 * Issue 17.2, "está digitando…" in the open chat: who the room says is typing
 * (ephemeral `typing` frames, each good for TYPING_TTL_MS; their message arriving
 * ends it at once), as the line under the chat header (`host.shown.typingText`); and
 * saying so oneself while writing, throttled to one frame every few seconds (the
 * last keystroke of a held-back burst still said), never while the text is
 * empty, reset by sending. Runs in the on-demand chunk (ui/chat-extras.ts).
 */
import { signal } from "@preact/signals";
import type { ChatServerFrame } from "../../../protocol/chat";
import { heardTyping, shouldSendTyping, stoppedTyping, typingLine, typingNow, TYPING_RESEND_MS, type Typists } from "../model/typing";
import { host } from "./extras-host";
import { onExtrasFrame } from "./extras-frames";
import type { Lifetime } from "./lifetime";

const typists = signal<Typists>(new Map());

/** When this tab last said it was typing, and in which chat. */
let lastSent: { chatId: string; at: number } | null = null;
/** The last keystroke and the text then, for a frame owed at the end of a throttled burst. */
let lastKey = { chatId: "", at: 0, text: "" };
let trailing: ReturnType<typeof setTimeout> | undefined;

function say(chatId: string) {
  if (host.sendToChat(chatId, { type: "typing" })) lastSent = { chatId, at: Date.now() };
}

/**
 * A keystroke in the composer: tells the room, at most every few seconds. A
 * keystroke that the throttle holds back is still said at the end of the
 * interval if typing went on, so a short burst right after a frame (one the room
 * may have dropped by its own throttle) is not lost.
 */
export function noteTyping(text: string): void {
  const chatId = host.openChatId.peek();
  if (!chatId) return;
  const at = Date.now();
  lastKey = { chatId, at, text };
  const last = lastSent?.chatId === chatId ? lastSent.at : null;
  if (shouldSendTyping(text, last, at)) return say(chatId);
  if (trailing !== undefined || last === null || text.trim().length === 0) return;
  trailing = setTimeout(
    () => {
      trailing = undefined;
      const now = Date.now();
      if (host.openChatId.peek() === chatId && shouldSendTyping(lastKey.text, null, now) && now - lastKey.at < TYPING_RESEND_MS)
        say(chatId);
    },
    last + TYPING_RESEND_MS - at,
  );
}

/** A message went: the next keystroke says "typing" again at once, and nothing owed is said. */
export function sentMessage(): void {
  lastSent = null;
  lastKey = { chatId: "", at: 0, text: "" };
  clearTimeout(trailing);
  trailing = undefined;
}

function onFrame(chatId: string, frame: ChatServerFrame) {
  if (chatId !== host.openChatId.peek()) return;
  if (frame.type === "typing" && frame.userId !== host.session.peek()?.user.id)
    typists.value = heardTyping(typists.peek(), frame.userId, Date.now(), host.typingTtlMs);
  else if (frame.type === "message.new") typists.value = stoppedTyping(typists.peek(), frame.message.senderId);
  else if (frame.type === "chat.ready") {
    // Reconnected: whoever was typing will say so again; and so does this tab, if it was typing while the link was down.
    typists.value = new Map();
    if (lastKey.chatId === chatId && shouldSendTyping(lastKey.text, null, 0) && Date.now() - lastKey.at < TYPING_RESEND_MS) say(chatId);
  }
}

export function startTyping(life: Lifetime): void {
  life.effect(() => {
    const names = [...typists.value.keys()].map((id) => host.contactById.value.get(id)?.name ?? id);
    host.shown.typingText.value = typingLine(names);
  });
  // Each person's line goes when their time is up: one timer, for the next to go.
  let timer: ReturnType<typeof setTimeout> | undefined;
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
  let open: string | null = null;
  life.effect(() => {
    if (host.openChatId.value === open) return;
    open = host.openChatId.value;
    typists.value = new Map();
  });
  life.add(onExtrasFrame(onFrame));
  life.add(() => {
    clearTimeout(timer);
    typists.value = new Map();
    host.shown.typingText.value = "";
    sentMessage();
  });
}
