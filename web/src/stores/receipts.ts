/**
 * Issue 17.1, read receipts of the open chat: its members and the room's read and
 * delivery cursors (from `chat.ready`, moved forward by `read.updated` and
 * `delivered.updated`), from which each of one's own messages shows ✓ "Enviada",
 * ✓✓ "Entregue" or "Lida"; and "Informações da mensagem", asked of the room with
 * `message.info` and shown as it answers.
 */
import { computed, signal } from "@preact/signals";
import type { ChatServerFrame, Message } from "../../../protocol/chat";
import { advanceCursors, infoLists, receiptOf, type InfoRow, type Receipt } from "../model/receipts";
import { onChatFrame, sendToChat } from "./chat-links";
import { group, history, openChatId } from "./chat";
import type { Lifetime } from "./lifetime";

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

export type MessageInfo = {
  seq: number;
  /** The message as it was when the dialog opened. */
  message: Message | null;
  /** null until the room answers. */
  lists: { readBy: InfoRow[]; deliveredTo: InfoRow[] } | null;
};
/** "Informações da mensagem" on screen, or null. */
export const messageInfo = signal<MessageInfo | null>(null);

function ask(seq: number) {
  const chatId = openChatId.peek();
  if (chatId) sendToChat(chatId, { type: "message.info", seq });
}

export function openMessageInfo(seq: number): void {
  const message = history.peek().messages.find((m) => m.seq === seq) ?? null;
  messageInfo.value = { seq, message, lists: null };
  // Not connected now: the next `chat.ready` asks again.
  ask(seq);
}

export function closeMessageInfo(): void {
  messageInfo.value = null;
}

function reset() {
  members.value = [];
  readCursors.value = {};
  deliveredCursors.value = {};
  messageInfo.value = null;
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
          if (messageInfo.peek() && !messageInfo.peek()!.lists) ask(messageInfo.peek()!.seq);
          return;
        case "read.updated":
          readCursors.value = advanceCursors(readCursors.peek(), { [frame.userId]: frame.seq });
          return;
        case "delivered.updated":
          deliveredCursors.value = advanceCursors(deliveredCursors.peek(), frame.cursors);
          return;
        case "message.info": {
          const info = messageInfo.peek();
          if (info?.seq !== frame.seq) return;
          const senderId = info.message?.senderId ?? "";
          messageInfo.value = { ...info, lists: infoLists(frame, senderId) };
          return;
        }
        case "group.updated":
          members.value = frame.group.members.map((m) => m.userId);
          return;
      }
    }),
  );
  life.add(reset);
}
