/**
 * Issue 17.1, "Informações da mensagem": who has one's message and who read it,
 * with times, asked of the room with `message.info` (again after a reconnection
 * if the answer had not come). Loaded with its dialog (on demand) and run while
 * the dialog is open.
 */
import { signal } from "@preact/signals";
import type { ChatServerFrame } from "../../../protocol/chat";
import { infoLists, type InfoRow } from "../model/receipts";
import { host } from "./chat-extras-host";
import type { Lifetime } from "./lifetime";

/** The room's answer as the dialog lists it; null until it comes. */
export const messageInfo = signal<{ readBy: InfoRow[]; deliveredTo: InfoRow[] } | null>(null);

export function startMessageInfo(life: Lifetime, chatId: string, seq: number, senderId: string): void {
  messageInfo.value = null;
  const ask = () => host.sendToChat(chatId, { type: "message.info", seq });
  life.add(
    host.onChatFrame((from, frame: ChatServerFrame) => {
      if (from !== chatId) return;
      if (frame.type === "message.info" && frame.seq === seq) messageInfo.value = infoLists(frame, senderId);
      else if (frame.type === "chat.ready" && !messageInfo.peek()) ask();
    }),
  );
  ask();
  life.add(() => (messageInfo.value = null));
}
