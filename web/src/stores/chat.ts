/**
 * The open chat (R8, R9, R10): which conversation is on screen, its loaded
 * history, older pages on demand, and sending through the outbox (optimistic: a
 * message shows at once as "enviando" and becomes sent on its ack), with the
 * message actions — reply (and jumping to the replied-to original, loading it
 * with `history.around` when needed), forward, delete. `openChat` takes a chat id
 * so a later `/c/{chatId}` route can open one directly.
 *
 * Nothing is shown after a hole (issue 15): a live message whose seq skips
 * waits while `history.since` brings what was missed (page after page), a
 * reconnection that missed a few messages catches up the same way, and when the
 * conversation list says the chat has a newer message than the open chat shows
 * (a lost push), the open chat asks for it.
 */
import { computed, signal } from "@preact/signals";
import {
  DEFAULT_PAGE,
  MAX_PAGE,
  MAX_TEXT,
  type Attachment,
  type ChatServerFrame,
  type Message,
  type ReplyQuote,
} from "../../../protocol/chat";
import type { GroupInfo } from "../../../protocol/groups";
import { directChatId, directChatMembers, isGroupChatId } from "../../../protocol/ids";
import { snippetOf } from "../model/files";
import {
  applyAround,
  applyMessage,
  applyPage,
  applyReadyCatchingUp,
  applySince,
  continues,
  emptyHistory,
  hold,
  newestSeq,
  oldestSeq,
  settle,
  type History,
} from "../model/history";
import { newClientId, sendFrame } from "../model/outbox";
import { onChatFrame, sendToChat, syncLinks } from "./chat-links";
import type { Lifetime } from "./lifetime";
import { contactById } from "./contacts";
import { drafts, setDraft as storeDraft } from "./drafts";
import { conversations } from "./inbox";
import { applyGalleryPage, dropFromGallery, refreshGallery } from "./gallery";
import { newCreatedAt, outbox, pendingChats, updateOutbox } from "./outbox";
import { showNotice } from "./notice";
import { session } from "./session";
import { t } from "../i18n";

export { notice, showNotice } from "./notice";

export const openChatId = signal<string | null>(null);
export const history = signal<History>(emptyHistory);
export const loadingOlder = signal(false);
/** A problem with the chat as a whole (not with one message), for people. */
export const chatError = signal<string | null>(null);
/** The message "Responder" was chosen on, shown above the composer until sent or cancelled. */
export const replyingTo = signal<ReplyQuote | null>(null);
/** The message to scroll to and highlight (a clicked reply quote), by seq. */
export const highlightSeq = signal<number | null>(null);
/** The open group's facts (R13–R19) from `chat.ready.group`, replaced by each `group.updated`; null for 1:1 chats. */
export const group = signal<GroupInfo | null>(null);
/**
 * The user's read cursor as this chat opened, when something was unread then
 * (null otherwise): where "Mensagens não lidas" goes, fixed while the chat stays
 * open, so reading does not make the line jump away (issue 17).
 */
export const unreadAfter = signal<number | null>(null);
/** Whether this opening's first `chat.ready` has set `unreadAfter` (a reconnection's does not move it). */
let unreadSettled = false;
export const isGroupOpen = computed(() => !!openChatId.value && isGroupChatId(openChatId.value));

export const peerId = computed(() => {
  const members = openChatId.value ? directChatMembers(openChatId.value) : null;
  return members?.find((m) => m !== session.value?.user.id) ?? null;
});
export const peer = computed(() => (peerId.value ? (contactById.value.get(peerId.value) ?? null) : null));
export const draft = computed(() => (openChatId.value ? (drafts.value.get(openChatId.value) ?? "") : ""));
export function openChat(chatId: string): void {
  if (chatId === openChatId.peek()) return;
  openChatId.value = chatId;
  history.value = emptyHistory;
  loadingOlder.value = false;
  chatError.value = null;
  replyingTo.value = null;
  highlightSeq.value = null;
  group.value = null;
  jumpOnReady = null;
  unreadAfter.value = null;
  unreadSettled = false;
  resetCatchUp();
}

/** A message to show once the chat being opened is ready (a smart-search hit, R12). */
let jumpOnReady: number | null = null;

/** Opens a chat scrolled to one message, highlighted: at once if it is open, else on its `chat.ready`. */
export function openChatAt(chatId: string, seq: number): void {
  if (openChatId.peek() === chatId && history.peek().loaded) return jumpTo(seq);
  openChat(chatId);
  jumpOnReady = seq;
}

export function openChatWith(userId: string): void {
  const me = session.peek()?.user.id;
  if (me && me !== userId) openChat(directChatId(me, userId));
}

export function closeChat(): void {
  openChatId.value = null;
  history.value = emptyHistory;
  group.value = null;
  unreadAfter.value = null;
  unreadSettled = false;
  resetCatchUp();
}

// ---- catching up (issue 15) -------------------------------------------------

/** Live messages of the open chat beyond a hole, waiting for `history.since` to fill it. */
let ahead: Message[] = [];
/** The `after` of the `history.since` in flight, if one is. */
let catchingUpFrom: number | null = null;
let lateCheck: ReturnType<typeof setTimeout> | undefined;
/** How long the list may know of a newer message than the open chat before the chat asks (its push is usually on its way). */
const LATE_MS = 1_000;

function resetCatchUp() {
  ahead = [];
  catchingUpFrom = null;
  clearTimeout(lateCheck);
}

/** Asks the room for every message after the newest one shown (one request at a time). */
function catchUp(chatId: string): void {
  const after = newestSeq(history.peek()) ?? 0;
  if (catchingUpFrom === after || !history.peek().loaded) return;
  if (sendToChat(chatId, { type: "history.since", after, limit: MAX_PAGE })) catchingUpFrom = after;
}

/** A live message (new, or our own acknowledged): shown if it continues the history, else held while the gap is filled. */
function receive(chatId: string, m: Message): void {
  const h = history.peek();
  if (!h.loaded || continues(h, m.seq)) {
    const settled = settle(applyMessage(h, m), ahead);
    history.value = settled.history;
    ahead = settled.ahead;
    return;
  }
  ahead = hold(ahead, [m]);
  catchUp(chatId);
}

/** The newest seq the conversation list knows for the open chat. */
const listedSeq = computed(() => {
  const chatId = openChatId.value;
  return conversations.value.find((c) => c.chatId === chatId)?.lastMessage?.seq ?? null;
});

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
  if (chatId) storeDraft(chatId, text);
}

/**
 * Queues a message (text, or an uploaded file with its caption; a reply if one
 * is being written; the people it mentions, issue 17.6) and sends it now if the room is reachable; false if there is
 * nothing to send. The draft is cleared everywhere.
 */
export function sendMessage(text: string, attachment?: Attachment, chatId = openChatId.peek(), mentions: string[] = []): boolean {
  if (!chatId || (!attachment && text.trim().length === 0) || text.length > MAX_TEXT) return false;
  const reply = chatId === openChatId.peek() ? replyingTo.peek() : null;
  const entry = {
    chatId,
    clientId: newClientId(),
    text: attachment ? text.trim() : text,
    createdAt: newCreatedAt(),
    ...(attachment ? { attachment } : {}),
    ...(reply ? { replyTo: reply } : {}),
    ...(mentions.length ? { mentions } : {}),
  };
  updateOutbox({ type: "add", entry });
  sendToChat(chatId, sendFrame({ ...entry, status: "pending" }));
  if (reply) replyingTo.value = null;
  if (!attachment) storeDraft(chatId, "");
  return true;
}

export function retryMessage(clientId: string): void {
  const entry = outbox.peek().find((e) => e.clientId === clientId);
  if (!entry) return;
  updateOutbox({ type: "retry", clientId });
  sendToChat(entry.chatId, sendFrame(entry));
}

export function startReply(seq: number): void {
  const m = history.peek().messages.find((x) => x.seq === seq);
  if (!m || m.deleted) return;
  replyingTo.value = {
    seq,
    senderId: m.senderId,
    snippet: snippetOf(m),
    ...(m.attachment ? { attachmentKind: m.attachment.kind } : {}),
  };
}

/** Scrolls to a message (a clicked quote): at once if loaded, else after `history.around` brings it. */
export function jumpTo(seq: number): void {
  const chatId = openChatId.peek();
  highlightSeq.value = null;
  if (!chatId) return;
  if (history.peek().messages.some((m) => m.seq === seq)) highlightSeq.value = seq;
  else if (sendToChat(chatId, { type: "history.around", seq })) pendingJump = seq;
}
/** The seq a `history.around` was asked for, to highlight when its page arrives. */
let pendingJump: number | null = null;

export function deleteMessage(seq: number): void {
  const chatId = openChatId.peek();
  if (chatId) sendToChat(chatId, { type: "message.delete", seq });
}

/** Forwards asked for from this tab, by clientId, so only this tab confirms them. */
const forwards = new Set<string>();

/** "Encaminhar": copies of a message of the open chat into other chats; the room answers `forward.done`. */
export function forwardMessage(seq: number, to: string[]): boolean {
  const chatId = openChatId.peek();
  if (!chatId || to.length === 0) return false;
  const clientId = newClientId();
  if (!sendToChat(chatId, { type: "message.forward", clientId, seq, to })) return false;
  forwards.add(clientId);
  return true;
}

export function discardMessage(clientId: string): void {
  updateOutbox({ type: "discard", clientId });
}

function onFrame(chatId: string, frame: ChatServerFrame) {
  if (chatId !== openChatId.peek()) return;
  switch (frame.type) {
    case "chat.ready": {
      if (!unreadSettled) {
        unreadSettled = true;
        const me = session.peek()?.user.id;
        const cursor = (me && frame.readCursors[me]) || 0;
        const unread = frame.messages.some((m) => m.seq > cursor && m.senderId !== me && !m.system && !m.deleted);
        unreadAfter.value = unread ? cursor : null;
      }
      // A reconnection that missed a few messages keeps what was loaded and fills the gap.
      resetCatchUp();
      const caught = applyReadyCatchingUp(history.peek(), frame);
      history.value = caught.history;
      ahead = caught.ahead;
      if (ahead.length > 0) catchUp(chatId);
      group.value = frame.group ?? null;
      loadingOlder.value = false;
      chatError.value = null;
      refreshGallery(chatId);
      if (jumpOnReady !== null) jumpTo(jumpOnReady);
      jumpOnReady = null;
      return;
    }
    case "history.since": {
      if (frame.after !== catchingUpFrom) return;
      catchingUpFrom = null;
      const settled = settle(applySince(history.peek(), frame), ahead);
      history.value = settled.history;
      ahead = settled.ahead;
      if (frame.messages.length === 0) {
        // The room has nothing in between: what waits is shown as it is rather than kept from the user.
        history.value = ahead.reduce(applyMessage, history.peek());
        ahead = [];
        return;
      }
      // More to fetch, or messages still waiting beyond what came: ask again from the new newest.
      if (frame.hasMore || ahead.length > 0 || (listedSeq.peek() ?? 0) > (newestSeq(history.peek()) ?? 0)) catchUp(chatId);
      return;
    }
    case "history.page":
      history.value = applyPage(history.peek(), frame);
      loadingOlder.value = false;
      return;
    case "message.new":
    case "message.ack":
      receive(chatId, frame.message);
      return;
    case "message.updated":
      // Only a loaded message changes; one outside the loaded pages would leave a hole.
      if (history.peek().messages.some((m) => m.seq === frame.message.seq)) history.value = applyMessage(history.peek(), frame.message);
      else if (ahead.some((m) => m.seq === frame.message.seq)) ahead = hold(ahead, [frame.message]);
      if (frame.message.deleted && replyingTo.peek()?.seq === frame.message.seq) replyingTo.value = null;
      if (frame.message.deleted) dropFromGallery(chatId, frame.message.seq);
      return;
    case "history.around":
      history.value = applyAround(history.peek(), frame);
      if (pendingJump === frame.seq) highlightSeq.value = frame.seq;
      pendingJump = null;
      return;
    case "group.updated":
      group.value = frame.group;
      return;
    case "gallery.page":
      applyGalleryPage(chatId, frame);
      return;
    case "forward.done":
      if (forwards.has(frame.clientId)) showNotice(t.forwardDone(frame.copies.length));
      forwards.delete(frame.clientId);
      return;
    case "error":
      // Too fast (issue 12.7): chat-links.ts says so; a catch-up or an older page is asked again after the wait.
      if (frame.code === "rate_limited" && !frame.clientId) {
        catchingUpFrom = null;
        loadingOlder.value = false;
        setTimeout(() => openChatId.peek() === chatId && ahead.length > 0 && catchUp(chatId), frame.retryAfterMs ?? 1_000);
        return;
      }
      if (frame.clientId && forwards.delete(frame.clientId)) showNotice(frame.message);
      // Refusing the chat itself comes before it loads; later errors answer one action (delete, jump, gallery).
      else if (!frame.clientId && history.peek().loaded) showNotice(frame.message);
      else if (!frame.clientId) chatError.value = frame.message;
      return;
  }
}

/**
 * Holds the links the client needs — the open chat, and any chat with messages
 * still to deliver — and takes their frames; stopping closes the chat and every link.
 */
export function startChat(life: Lifetime): void {
  life.add(onChatFrame(onFrame));
  // A push lost on the way (issue 15): the list knows of a newer message than the open chat shows.
  life.effect(() => {
    const chatId = openChatId.value;
    const listed = listedSeq.value;
    const h = history.value;
    clearTimeout(lateCheck);
    if (!chatId || listed === null || !h.loaded || listed <= (newestSeq(h) ?? 0)) return;
    lateCheck = setTimeout(() => {
      if (openChatId.peek() === chatId && listed > (newestSeq(history.peek()) ?? 0)) catchUp(chatId);
    }, LATE_MS);
  });
  life.effect(() => {
    const wanted = new Set(pendingChats.value);
    if (openChatId.value) wanted.add(openChatId.value);
    syncLinks(session.value, wanted);
  });
  life.add(() => {
    syncLinks(null, new Set());
    closeChat();
    replyingTo.value = null;
    chatError.value = null;
    highlightSeq.value = null;
    loadingOlder.value = false;
    forwards.clear();
    pendingJump = null;
    jumpOnReady = null;
    resetCatchUp();
  });
}
