/**
 * The open chat (R8, R9): which conversation is on screen, its loaded history,
 * older pages on demand, drafts, and sending through the outbox (optimistic: a
 * message shows at once as "enviando" and becomes sent on its ack). `openChat`
 * takes a chat id so a later `/c/{chatId}` route can open one directly.
 */
import { computed, effect, signal } from "@preact/signals";
import { DEFAULT_PAGE, MAX_TEXT, type ChatServerFrame } from "../../../protocol/frames";
import { directChatId, directChatMembers } from "../../../protocol/ids";
import { applyMessage, applyPage, applyReady, emptyHistory, oldestSeq, type History } from "../model/history";
import { newClientId } from "../model/outbox";
import { buildTimeline } from "../model/timeline";
import { onChatFrame, sendToChat, syncLinks } from "./chat-links";
import { now } from "./clock";
import { contactById } from "./contacts";
import { outbox, pendingChats, updateOutbox } from "./outbox";
import { session } from "./session";

export const openChatId = signal<string | null>(null);
export const history = signal<History>(emptyHistory);
export const loadingOlder = signal(false);
/** A problem with the chat as a whole (not with one message), for people. */
export const chatError = signal<string | null>(null);
const drafts = signal<ReadonlyMap<string, string>>(new Map());

export const peerId = computed(() => {
  const members = openChatId.value ? directChatMembers(openChatId.value) : null;
  return members?.find((m) => m !== session.value?.user.id) ?? null;
});
export const peer = computed(() => (peerId.value ? (contactById.value.get(peerId.value) ?? null) : null));
export const draft = computed(() => (openChatId.value ? (drafts.value.get(openChatId.value) ?? "") : ""));
export const timeline = computed(() => {
  const chatId = openChatId.value;
  const me = session.value?.user.id;
  if (!chatId || !me) return [];
  return buildTimeline(
    history.value.messages,
    outbox.value.filter((e) => e.chatId === chatId),
    me,
    now.value,
  );
});

export function openChat(chatId: string): void {
  if (chatId === openChatId.peek()) return;
  openChatId.value = chatId;
  history.value = emptyHistory;
  loadingOlder.value = false;
  chatError.value = null;
}

export function openChatWith(userId: string): void {
  const me = session.peek()?.user.id;
  if (me && me !== userId) openChat(directChatId(me, userId));
}

export function closeChat(): void {
  openChatId.value = null;
  history.value = emptyHistory;
}

/** Asks for the page before the oldest loaded message; one request at a time. */
export function loadOlder(): void {
  const chatId = openChatId.peek();
  const h = history.peek();
  const before = oldestSeq(h);
  if (!chatId || !h.loaded || !h.hasMore || before === null || loadingOlder.peek()) return;
  if (sendToChat(chatId, { type: "history.fetch", before, limit: DEFAULT_PAGE })) loadingOlder.value = true;
}

export function setDraft(text: string): void {
  const chatId = openChatId.peek();
  if (chatId) drafts.value = new Map(drafts.peek()).set(chatId, text);
}

/** Queues the text in the outbox and sends it now if the room is reachable; false if there is nothing to send. */
export function sendMessage(text: string): boolean {
  const chatId = openChatId.peek();
  if (!chatId || text.trim().length === 0 || text.length > MAX_TEXT) return false;
  const clientId = newClientId();
  updateOutbox({ type: "add", entry: { chatId, clientId, text, createdAt: Date.now() } });
  sendToChat(chatId, { type: "message.send", clientId, text });
  setDraft("");
  return true;
}

export function retryMessage(clientId: string): void {
  const entry = outbox.peek().find((e) => e.clientId === clientId);
  if (!entry) return;
  updateOutbox({ type: "retry", clientId });
  sendToChat(entry.chatId, { type: "message.send", clientId, text: entry.text });
}

export function discardMessage(clientId: string): void {
  updateOutbox({ type: "discard", clientId });
}

onChatFrame((chatId, frame: ChatServerFrame) => {
  if (chatId !== openChatId.peek()) return;
  switch (frame.type) {
    case "chat.ready":
      history.value = applyReady(history.peek(), frame);
      loadingOlder.value = false;
      chatError.value = null;
      return;
    case "history.page":
      history.value = applyPage(history.peek(), frame);
      loadingOlder.value = false;
      return;
    case "message.new":
    case "message.ack":
      history.value = applyMessage(history.peek(), frame.message);
      return;
    case "error":
      if (!frame.clientId) chatError.value = frame.message;
      return;
  }
});

// The links the client holds: the open chat, and any chat with messages still to deliver.
effect(() => {
  const wanted = new Set(pendingChats.value);
  if (openChatId.value) wanted.add(openChatId.value);
  syncLinks(session.value, wanted);
});

effect(() => {
  if (!session.value) closeChat();
});
