/**
 * What the open chat shows (R8 and issue 17): the loaded history with one's
 * unsent messages, each own stored message with its receipt, and the edits and
 * reactions this tab asked for shown at once, until the room's copies arrive.
 */
import { computed } from "@preact/signals";
import { withPendingEdit } from "../model/edits";
import { withPendingReactions } from "../model/reactions";
import { buildTimeline } from "../model/timeline";
import { history, openChatId, unreadAfter } from "./chat";
import { now } from "./clock";
import { pendingEdits, pendingReactions } from "./message-changes";
import { outbox } from "./outbox";
import { receipts } from "./receipts";
import { session } from "./session";

export const timeline = computed(() => {
  const chatId = openChatId.value;
  const me = session.value?.user.id;
  if (!chatId || !me) return [];
  const edits = pendingEdits.value;
  const reactions = pendingReactions.value;
  const messages =
    edits.size === 0 && reactions.size === 0
      ? history.value.messages
      : history.value.messages.map((m) => {
          const edited = withPendingEdit(m, edits, now.peek());
          const shown = withPendingReactions(edited.reactions, reactions, m.seq, me);
          if (shown === edited.reactions) return edited;
          const { reactions: _r, ...rest } = edited;
          return shown && Object.keys(shown).length ? { ...rest, reactions: shown as Record<string, string[]> } : rest;
        });
  return buildTimeline(
    messages,
    outbox.value.filter((e) => e.chatId === chatId),
    me,
    now.value,
    unreadAfter.value,
    receipts.value,
  );
});
