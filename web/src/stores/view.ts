/**
 * What the signed-in user has open around the chats — the sidebar's tab
 * ("Chats" / "Chamadas"), the data panel, the message being forwarded or deleted,
 * the sign-out question, the search inside the chat — kept as state so the shell's parts can share it and a
 * new session starts with all of it closed.
 */
import { signal } from "@preact/signals";
import type { Lifetime } from "./lifetime";

const resets: (() => void)[] = [];

/** A piece of the view, back to `first` when the session ends (in the order they are declared). */
function viewSignal<T>(first: T) {
  const s = signal<T>(first);
  resets.push(() => (s.value = first));
  return s;
}

export type SideTab = "chats" | "calls";

export const sideTab = viewSignal<SideTab>("chats");
/** "Dados do contato" / "Dados do grupo" beside the open chat. */
export const panelOpen = viewSignal(false);
/** The seq being forwarded ("Encaminhar" dialog open). */
export const forwarding = viewSignal<number | null>(null);
/** The seq whose "Deletar" waits for the confirmation dialog. */
export const confirmingDelete = viewSignal<number | null>(null);
/** "Sair" (here) or "Sair de todos os dispositivos" with messages still waiting: the question is showing. */
export const confirmingSignOut = viewSignal<"here" | "everywhere" | null>(null);
/** Issue 17.8: "Pesquisar nesta conversa" is open (its search runs in stores/chat-search.ts, loaded with it). */
export const searchingChat = viewSignal(false);
/** Issue 17.1: the seq whose "Informações da mensagem" is open (stores/message-info.ts, loaded with it). */
export const infoSeq = viewSignal<number | null>(null);
/** Issue 17.5: the seq whose quick emojis ("Reagir") are open. */
export const reacting = viewSignal<number | null>(null);

export function startView(life: Lifetime): void {
  life.add(() => {
    for (const reset of resets) reset();
  });
}
