/**
 * Issue 17.4 "Editar" and 17.5 "Reagir" in the open chat. An edit is written in
 * the composer (its text in place of the draft, "Editando mensagem" above it) and
 * shows at once as "editada"; a reaction toggles at once. Both are intents: the
 * room decides, and its `message.updated` (to every member, this tab included)
 * settles what was shown; a refusal puts the message back as the room has it
 * and says why (the chat store shows the room's words).
 */
import { signal } from "@preact/signals";
import type { ChatServerFrame, Message } from "../../../protocol/chat";
import { canEdit, editToSend, settleEdit, type PendingEdits } from "../model/edits";
import { settleReactions, toggleWish, withPendingReactions, type PendingReactions } from "../model/reactions";
import { t } from "../i18n";
import { onChatFrame, sendToChat } from "./chat-links";
import { history, openChatId, showNotice } from "./chat";
import type { Lifetime } from "./lifetime";
import { session } from "./session";

/** The message being edited in the composer, and its text there. */
export const editing = signal<{ seq: number; original: string; text: string } | null>(null);
export const pendingEdits = signal<PendingEdits>(new Map());
export const pendingReactions = signal<PendingReactions>(new Map());

const find = (seq: number): Message | undefined => history.peek().messages.find((m) => m.seq === seq);

/** "Editar": the message's text goes into the composer, if it may still be edited. */
export function startEdit(seq: number): void {
  const m = find(seq);
  const me = session.peek()?.user.id;
  if (!m || !me || !canEdit(m, me, Date.now())) return;
  const text = pendingEdits.peek().get(seq) ?? m.text;
  editing.value = { seq, original: text, text };
}

export function setEditText(text: string): void {
  const e = editing.peek();
  if (e) editing.value = { ...e, text };
}

export function cancelEdit(): void {
  editing.value = null;
}

/** Saves the edit (Enter in the composer); true when the composer is done with it. */
export function saveEdit(): boolean {
  const e = editing.peek();
  const chatId = openChatId.peek();
  if (!e || !chatId) return false;
  const text = editToSend(e.original, e.text);
  // Nothing changed: leaving the edit is all there is to do.
  if (text === null) {
    if (e.text.trim().length === 0) return false;
    editing.value = null;
    return true;
  }
  if (!sendToChat(chatId, { type: "message.edit", seq: e.seq, text })) {
    showNotice(t.notConnected);
    return false;
  }
  pendingEdits.value = new Map(pendingEdits.peek()).set(e.seq, text);
  editing.value = null;
  return true;
}

/** A click on a quick emoji, the picker or a chip: one's reaction with it goes on or off. */
export function toggleReaction(seq: number, emoji: string): void {
  const chatId = openChatId.peek();
  const me = session.peek()?.user.id;
  const m = find(seq);
  if (!chatId || !me || !m || m.deleted || m.system) return;
  const shown = withPendingReactions(m.reactions, pendingReactions.peek(), seq, me);
  if (!sendToChat(chatId, { type: "message.react", seq, emoji })) return showNotice(t.notConnected);
  pendingReactions.value = toggleWish(pendingReactions.peek(), shown, seq, emoji, me);
}

function clear() {
  editing.value = null;
  pendingEdits.value = new Map();
  pendingReactions.value = new Map();
}

export function startMessageChanges(life: Lifetime): void {
  let shown: string | null = null;
  life.effect(() => {
    if (openChatId.value === shown) return;
    shown = openChatId.value;
    clear();
  });
  life.add(
    onChatFrame((chatId, frame: ChatServerFrame) => {
      if (chatId !== openChatId.peek()) return;
      const me = session.peek()?.user.id ?? "";
      switch (frame.type) {
        case "message.updated":
          pendingEdits.value = settleEdit(pendingEdits.peek(), frame.message);
          pendingReactions.value = settleReactions(pendingReactions.peek(), frame.message, me);
          if (frame.message.deleted && editing.peek()?.seq === frame.message.seq) editing.value = null;
          return;
        case "error":
          // A refusal answers one of these intents (or something else): what is shown goes back to the room's copy.
          if (!frame.clientId) {
            pendingEdits.value = new Map();
            pendingReactions.value = new Map();
          }
          return;
        case "chat.ready":
          // Reconnected: what was asked before may be lost; the room's copies are the truth.
          pendingEdits.value = new Map();
          pendingReactions.value = new Map();
          return;
      }
    }),
  );
  life.add(clear);
}
