/**
 * Issue 17.1, "Informações da mensagem": who has one's message and who read it,
 * with times, asked of the room with `message.info` (again after a reconnection
 * if the answer had not come). Loaded with its dialog (on demand) and run while
 * the dialog is open.
 */
import { signal } from "@preact/signals";
import type { ChatServerFrame } from "../../../protocol/chat";
import { infoLists, type InfoRow } from "../model/receipts";
import { host } from "./extras-host";
import { onExtrasFrame } from "./extras-frames";
import type { Stop } from "./lifetime";

/** The room's answer as the dialog lists it; null until it comes. */
export const messageInfo = signal<{ readBy: InfoRow[]; deliveredTo: InfoRow[] } | null>(null);

/** Asks the room about one message while its dialog is open; returns the way to stop. */
export function startMessageInfo(chatId: string, seq: number, senderId: string): Stop {
  messageInfo.value = null;
  const ask = () => host.sendToChat(chatId, { type: "message.info", seq });
  const stop = onExtrasFrame((from, frame: ChatServerFrame) => {
    if (from !== chatId) return;
    if (frame.type === "message.info" && frame.seq === seq) messageInfo.value = infoLists(frame, senderId);
    else if (frame.type === "chat.ready" && !messageInfo.peek()) ask();
  });
  ask();
  return () => {
    stop();
    messageInfo.value = null;
  };
}
