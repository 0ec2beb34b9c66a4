/**
 * The conversation list (R6), fed by the hub socket (stores/hub.ts): an
 * `inbox.snapshot` on every (re)connection, then live `inbox.update`s, and
 * `inbox.remove` when the user left or was removed from a group (R17). Direct
 * chats are listed once they have a message; groups at once (R13: everyone added
 * sees it live). Most recent first. Each summary carries its unread count (R7)
 * and its `rev`, derived by the chat room: of two summaries of a chat, the one
 * with the higher `rev` is the newer, whatever order they arrive in.
 */
import { computed, signal } from "@preact/signals";
import type { ConversationSummary, HubServerFrame } from "../../../protocol/hub";
import { forgetRefusal } from "./chat-links";
import { onHub } from "./hub";
import { Listeners, type Lifetime, type Stop } from "./lifetime";

const summaries = signal<ReadonlyMap<string, ConversationSummary>>(new Map());
export const inboxLoaded = signal(false);

/** A group without a message yet sorts as if it just happened: it was just created or joined. */
const recency = (c: ConversationSummary) => c.lastMessage?.createdAt ?? Number.MAX_SAFE_INTEGER;

export const conversations = computed(() =>
  [...summaries.value.values()]
    .filter((c) => c.kind === "group" || c.lastMessage !== null)
    .sort((a, b) => recency(b) - recency(a) || b.chatId.localeCompare(a.chatId)),
);

const removedListeners = new Listeners<(chatId: string) => void>();
/** Called when a group leaves the list (the user left or was removed), to close it if open; returns the way to stop. */
export function onConversationRemoved(callback: (chatId: string) => void): Stop {
  return removedListeners.add(callback);
}

type SummaryListener = (before: ConversationSummary | undefined, after: ConversationSummary) => void;
const updateListeners = new Listeners<SummaryListener>();
/** Called for each live `inbox.update` with the summary it replaces (notifications); returns the way to stop. */
export function onConversationUpdated(callback: SummaryListener): Stop {
  return updateListeners.add(callback);
}

function apply(frame: HubServerFrame) {
  if (frame.type === "inbox.snapshot") {
    const before = summaries.peek();
    // An update that overtook the snapshot (a higher rev) stays.
    const newer = (c: ConversationSummary) => ((before.get(c.chatId)?.rev ?? -1) > c.rev ? before.get(c.chatId)! : c);
    const after = new Map(frame.conversations.map((c) => [c.chatId, newer(c)]));
    for (const c of frame.conversations) if (!before.has(c.chatId)) forgetRefusal(c.chatId);
    summaries.value = after;
    inboxLoaded.value = true;
    // A group the user lost while disconnected is simply missing from the snapshot.
    for (const c of before.values()) if (c.kind === "group" && !after.has(c.chatId)) removedListeners.emit(c.chatId);
  } else if (frame.type === "inbox.update") {
    const current = summaries.peek().get(frame.conversation.chatId);
    // Updates can cross a snapshot in flight; the summary with the higher rev is the newer.
    if (current && current.rev > frame.conversation.rev) return;
    // Re-added to a group that refused us earlier this session: its room may be tried again.
    if (!current) forgetRefusal(frame.conversation.chatId);
    summaries.value = new Map(summaries.peek()).set(frame.conversation.chatId, frame.conversation);
    updateListeners.emit(current, frame.conversation);
  } else if (frame.type === "inbox.remove") {
    const next = new Map(summaries.peek());
    if (!next.delete(frame.chatId)) return;
    summaries.value = next;
    removedListeners.emit(frame.chatId);
  }
}

/** Follows the hub's list for the session; stopping empties it. */
export function startInbox(life: Lifetime): void {
  life.add(onHub({ onFrame: apply }));
  life.add(() => {
    summaries.value = new Map();
    inboxLoaded.value = false;
  });
}
