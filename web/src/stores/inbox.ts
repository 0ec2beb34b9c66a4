/**
 * The conversation list (R6), fed by the user's own room: an `inbox.snapshot` on
 * every (re)connection, then live `inbox.update`s. Only conversations with a last
 * message are listed, most recent first.
 */
import { computed, effect, signal } from "@preact/signals";
import type { ConversationSummary, UserServerFrame } from "../../../protocol/frames";
import { userRoomId } from "../../../protocol/ids";
import { t } from "../i18n";
import { openRoomSocket } from "./room-socket";
import { session, signOut } from "./session";

const summaries = signal<ReadonlyMap<string, ConversationSummary>>(new Map());
export const inboxLoaded = signal(false);

export const conversations = computed(() =>
  [...summaries.value.values()]
    .filter(
      (c): c is Extract<ConversationSummary, { kind: "direct" }> & { lastMessage: NonNullable<ConversationSummary["lastMessage"]> } =>
        c.kind === "direct" && c.lastMessage !== null,
    )
    .sort((a, b) => b.lastMessage.createdAt - a.lastMessage.createdAt || b.chatId.localeCompare(a.chatId)),
);

function apply(frame: UserServerFrame) {
  if (frame.type === "inbox.snapshot") {
    summaries.value = new Map(frame.conversations.map((c) => [c.chatId, c]));
    inboxLoaded.value = true;
  } else if (frame.type === "inbox.update") {
    const current = summaries.peek().get(frame.conversation.chatId);
    // Updates can cross a snapshot in flight; the newer last message wins.
    if ((current?.lastMessage?.seq ?? -1) > (frame.conversation.lastMessage?.seq ?? -1)) return;
    summaries.value = new Map(summaries.peek()).set(frame.conversation.chatId, frame.conversation);
  }
}

effect(() => {
  const s = session.value;
  if (!s?.token) return;
  const socket = openRoomSocket({
    party: "user",
    room: userRoomId(s.tenant, s.user.id),
    key: "inbox",
    onFrame: (frame) => apply(frame as UserServerFrame),
    onRefused: (code) => signOut(code === 4010 ? t.accountDisabled : t.sessionEnded),
  });
  return () => {
    socket.close();
    summaries.value = new Map();
    inboxLoaded.value = false;
  };
});
