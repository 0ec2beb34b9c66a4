/**
 * Issue 17's parts that no first screen needs, as one on-demand chunk (one
 * chunk rather than several keeps the first screen from being cut into many
 * small shared pieces, which compress worse): "Informações da mensagem",
 * "Pesquisar nesta conversa", the quick emojis of "Reagir" and the reactions
 * under a message, the "@" member list, and highlighting mentions. Reached only through extras-door.tsx.
 */
export { default as MessageInfoDialog } from "./MessageInfo";
export { default as ChatSearchPanel } from "./ChatSearch";
export { default as ReactionPicker } from "./ReactionPicker";
export { default as ReactionChips } from "./Reactions";
export { default as MentionPicker } from "./MentionPicker";
export { mentionParts } from "../model/mention-highlight";
import css from "./chat-extras.css" with { type: "text" };

let styled = false;
/** Adds these parts' styles to the page, once (extras-door.tsx does when the chunk arrives). */
export function addStyles(): void {
  if (styled) return;
  const style = document.createElement("style");
  style.textContent = css as string;
  document.head.appendChild(style);
  styled = true;
}
