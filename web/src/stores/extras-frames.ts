/**
 * The chat rooms' frames for issue 17's stores (loaded after sign-in): the ones
 * that arrived before they ran — a chat opened at once by its address — are
 * replayed to them in order, then they hear the rest live.
 */
import type { ChatServerFrame } from "../../../protocol/chat";
import { host } from "./extras-host";
import type { Lifetime, Stop } from "./lifetime";

type Handler = (chatId: string, frame: ChatServerFrame) => void;
const handlers: Handler[] = [];

/** Listens to every chat frame while the stores run; returns the way to stop. */
export function onExtrasFrame(handler: Handler): Stop {
  handlers.push(handler);
  return () => void handlers.splice(handlers.indexOf(handler) >>> 0, 1);
}

const emit: Handler = (chatId, frame) => {
  for (const h of [...handlers]) h(chatId, frame);
};

/** Replays what came before, then passes on what comes. */
export function startExtrasFrames(life: Lifetime, early: readonly [string, ChatServerFrame][]): void {
  for (const [chatId, frame] of early) emit(chatId, frame);
  life.add(host.onChatFrame(emit));
}
