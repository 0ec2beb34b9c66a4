/**
 * The conversation list (R6), fed by the user's own room: an `inbox.snapshot` on
 * every (re)connection, then live `inbox.update`s, and `inbox.remove` when the user
 * left or was removed from a group (R17). Direct chats are listed once they have
 * a message; groups at once (R13: everyone added sees it live). Most recent first.
 * Each summary carries its unread count (R7), derived by the chat room. The same
 * socket carries the smart search's "Mensagens" (stores/search.ts), and is this
 * tab's presence (room-socket.ts).
 */
import { computed, signal } from "@preact/signals";
import type { ConversationSummary, UserServerFrame } from "../../../protocol/frames";
import { userRoomId } from "../../../protocol/ids";
import { t } from "../i18n";
import { forgetRefusal } from "./chat-links";
import { Listeners, type Lifetime, type Stop } from "./lifetime";
import { openRoomSocket, type RoomSocket } from "./room-socket";
import { signOut, type Session } from "./session";

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

type FrameListener = { onFrame(frame: UserServerFrame): void; onOpen(): void };
const frameListeners = new Listeners<(frame: UserServerFrame) => void>();
const openListeners = new Listeners<() => void>();
/** Other users of the user-room socket (the smart search): every frame, and each (re)connection; returns the way to stop. */
export function onUserRoomFrame(listener: FrameListener): Stop {
  const stops = [frameListeners.add((frame) => listener.onFrame(frame)), openListeners.add(() => listener.onOpen())];
  return () => stops.forEach((stop) => stop());
}

let socket: RoomSocket | null = null;
/** Sends on the user's room socket; false when it is not connected (the caller retries on open). */
export function sendToUserRoom(frame: object): boolean {
  return !!socket?.send(frame);
}

function apply(frame: UserServerFrame) {
  frameListeners.emit(frame);
  if (frame.type === "inbox.snapshot") {
    const before = summaries.peek();
    const after = new Map(frame.conversations.map((c) => [c.chatId, c]));
    for (const c of frame.conversations) if (!before.has(c.chatId)) forgetRefusal(c.chatId);
    summaries.value = after;
    inboxLoaded.value = true;
    // A group the user lost while disconnected is simply missing from the snapshot.
    for (const c of before.values()) if (c.kind === "group" && !after.has(c.chatId)) removedListeners.emit(c.chatId);
  } else if (frame.type === "inbox.update") {
    const current = summaries.peek().get(frame.conversation.chatId);
    // Updates can cross a snapshot in flight; the newer last message wins.
    if ((current?.lastMessage?.seq ?? -1) > (frame.conversation.lastMessage?.seq ?? -1)) return;
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

/** Opens the user's room for the session; stopping closes it and empties the list. */
export function startInbox(life: Lifetime, s: Session): void {
  const mine = openRoomSocket({
    party: "user",
    room: userRoomId(s.tenant, s.user.id),
    key: "inbox",
    onFrame: (frame) => apply(frame as UserServerFrame),
    onOpen: () => openListeners.emit(),
    onRefused: (code) => signOut(code === 4010 ? t.accountDisabled : t.sessionEnded),
  });
  socket = mine;
  life.add(() => {
    mine.close();
    socket = null;
    summaries.value = new Map();
    inboxLoaded.value = false;
  });
}
