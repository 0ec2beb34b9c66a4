/**
 * Issue 17.1, read receipts of the open chat: its members and the room's read and
 * delivery cursors (from `chat.ready`, moved forward by `read.updated` and
 * `delivered.updated`), from which each of one's own messages shows ✓ "Enviada",
 * ✓✓ "Entregue" or "Lida". ("Informações da mensagem" is stores/message-info.ts.)
 */
import { computed, signal } from "@preact/signals";
import type { ChatServerFrame, Message } from "../../../protocol/chat";
import { advanceCursors, receiptOf, type Receipt } from "../model/receipts";
import { onChatFrame } from "./chat-links";
import { group, openChatId } from "./chat";
import type { Lifetime } from "./lifetime";
import { infoSeq } from "./view";

const members = signal<readonly string[]>([]);
const readCursors = signal<Readonly<Record<string, number>>>({});
const deliveredCursors = signal<Readonly<Record<string, number>>>({});

/** The receipt of one of one's own stored messages in the open chat. */
export const receipts = computed(() => {
  const cursors = {
    members: members.value,
    group: group.value?.members ?? null,
    read: readCursors.value,
    delivered: deliveredCursors.value,
  };
  return (m: Pick<Message, "seq" | "senderId" | "createdAt">): Receipt => receiptOf(m, cursors);
});

function reset() {
  members.value = [];
  readCursors.value = {};
  deliveredCursors.value = {};
  infoSeq.value = null;
}

export function startReceipts(life: Lifetime): void {
  let shown: string | null = null;
  life.effect(() => {
    const chatId = openChatId.value;
    if (chatId !== shown) reset();
    shown = chatId;
  });
  life.add(
    onChatFrame((chatId, frame: ChatServerFrame) => {
      if (chatId !== openChatId.peek()) return;
      switch (frame.type) {
        case "chat.ready":
          members.value = frame.members;
          readCursors.value = frame.readCursors;
          // What was read reached a device; the room's delivery map says so too, but the two arrive apart.
          deliveredCursors.value = advanceCursors(frame.deliveredCursors, frame.readCursors);
          return;
        case "read.updated":
          readCursors.value = advanceCursors(readCursors.peek(), { [frame.userId]: frame.seq });
          return;
        case "delivered.updated":
          deliveredCursors.value = advanceCursors(deliveredCursors.peek(), frame.cursors);
          return;
        case "group.updated":
          members.value = frame.group.members.map((m) => m.userId);
          return;
      }
    }),
  );
  life.add(reset);
}
