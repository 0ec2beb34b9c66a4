/**
 * Issue 17's parts, as one chunk fetched shortly after sign-in (ui/extras-door.tsx),
 * as the softphone is: the stores of read receipts, typing, edits and reactions
 * (which read the chat rooms' frames, the first ones replayed) and what only
 * shows on demand — "Informações da mensagem", "Pesquisar nesta conversa", the
 * quick emojis of "Reagir" and the reactions under a message, the "@" member
 * list, the edit bar, highlighted mentions — with their styles. One chunk rather
 * than several keeps the first screen from being cut into small shared pieces,
 * which compress worse. They reach the first screen only through what
 * `useHost` is handed (stores/chat-extras-host.ts says why).
 */
import type { ChatServerFrame } from "../../../protocol/chat";
import type { ChatExtrasHost } from "../stores/chat-extras-host";
import { startExtrasFrames } from "../stores/extras-frames";
import { host } from "../stores/extras-host";
import type { Lifetime } from "../stores/lifetime";
import { startMessageChanges } from "../stores/message-changes";
import { startReceipts } from "../stores/receipts";
import { startTyping } from "../stores/typing";
import { addStylesOnce } from "./add-styles";
import css from "./chat-extras.css" with { type: "text" };
import { uiHost } from "./extras-ui-host";

export { default as MessageInfoDialog } from "./MessageInfo";
export { default as ChatSearchPanel } from "./ChatSearch";
export { default as ReactTool } from "./ReactTool";
export { default as ReactionChips } from "./Reactions";
export { default as MentionPicker } from "./MentionPicker";
export { default as EditBar } from "./EditBar";
export { mentionParts } from "../model/mention-highlight";
export { mentionsFor } from "../stores/mention-source";
export { cancelEdit, editable, saveEdit, setEditText, startEdit, toggleReaction } from "../stores/message-changes";
export { noteTyping, sentMessage } from "../stores/typing";

/** The first screen's stores and components, handed over as the chunk arrives (before anything of it runs). */
export function useHost(stores: ChatExtrasHost, ui: typeof uiHost): void {
  Object.assign(host, stores);
  Object.assign(uiHost, ui);
}

/** Runs the stores for the session, hearing first the frames that came before they were here. */
export function start(life: Lifetime, early: readonly [string, ChatServerFrame][]): void {
  addStylesOnce(css as string);
  startReceipts(life);
  startTyping(life);
  startMessageChanges(life);
  startExtrasFrames(life, early);
}
