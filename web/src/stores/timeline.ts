/**
 * What the open chat shows (R8 and issue 17): the loaded history with one's
 * unsent messages; once issue 17's parts run (stores/chat-extras-host.ts), each
 * own stored message with its receipt, and the edits and reactions this tab
 * asked for shown at once, until the room's copies arrive.
 */
import { computed } from "@preact/signals";
import { buildTimeline } from "../model/timeline";
import { history, openChatId, unreadAfter } from "./chat";
import { shown } from "./chat-extras-host";
import { now } from "./clock";
import { outbox } from "./outbox";
import { session } from "./session";

export const timeline = computed(() => {
  const chatId = openChatId.value;
  const me = session.value?.user.id;
  if (!chatId || !me) return [];
  const messages = history.value.messages;
  return buildTimeline(
    shown.decorate.value?.(messages) ?? messages,
    outbox.value.filter((e) => e.chatId === chatId),
    me,
    now.value,
    unreadAfter.value,
    shown.receiptOf.value ?? undefined,
  );
});
