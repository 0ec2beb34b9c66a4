/**
 * Issue 17.1, read receipts of the open chat: its members and the room's read and
 * delivery cursors (from `chat.ready`, moved forward by `read.updated` and
 * `delivered.updated`), from which each of one's own messages shows ✓ "Enviada",
 * ✓✓ "Entregue" or "Lida" (`host.shown.receiptOf`). ("Informações da mensagem" is
 * stores/message-info.ts.) Runs in the on-demand chunk (ui/chat-extras.ts).
 */
import { signal } from "@preact/signals";
import type { ChatServerFrame, Message } from "../../../protocol/chat";
import { advanceCursors, receiptOf } from "../model/receipts";
import { host } from "./extras-host";
import { onExtrasFrame } from "./extras-frames";
import type { Lifetime } from "./lifetime";

const members = signal<readonly string[]>([]);
const readCursors = signal<Readonly<Record<string, number>>>({});
const deliveredCursors = signal<Readonly<Record<string, number>>>({});

function reset() {
  members.value = [];
  readCursors.value = {};
  deliveredCursors.value = {};
  host.infoSeq.value = null;
  host.reacting.value = null;
}

function onFrame(chatId: string, frame: ChatServerFrame) {
  if (chatId !== host.openChatId.peek()) return;
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
}

export function startReceipts(life: Lifetime): void {
  let open: string | null = null;
  life.effect(() => {
    if (host.openChatId.value !== open) reset();
    open = host.openChatId.value;
  });
  life.effect(() => {
    const cursors = {
      members: members.value,
      group: host.group.value?.members ?? null,
      read: readCursors.value,
      delivered: deliveredCursors.value,
    };
    host.shown.receiptOf.value = (m: Pick<Message, "seq" | "senderId" | "createdAt">) => receiptOf(m, cursors);
  });
  life.add(onExtrasFrame(onFrame));
  life.add(() => {
    reset();
    host.shown.receiptOf.value = null;
  });
}
