/**
 * Issue 17.4 "Editar" and 17.5 "Reagir" in the open chat. An edit is written in
 * the composer (`host.shown.editing`: its text in place of the draft, "Editando
 * mensagem" above it) and shows at once as "editada"; a reaction toggles at once
 * (`host.shown.decorate`). Both are intents: the room decides, and its
 * `message.updated` (to every member, this tab included) settles what was shown;
 * a refusal puts the message back as the room has it and says why (the chat
 * store shows the room's words). Runs in the on-demand chunk (ui/chat-extras.ts).
 */
import { signal } from "@preact/signals";
import type { ChatServerFrame, Message } from "../../../protocol/chat";
import { tx } from "../i18n-chat-extras";
import { canEdit, editToSend, settleEdit, withPendingEdit, type PendingEdits } from "../model/edits";
import { settleReactions, toggleWish, withPendingReactions, type PendingReactions } from "../model/reactions";
import { host } from "./extras-host";
import { onExtrasFrame } from "./extras-frames";
import type { Lifetime } from "./lifetime";

const pendingEdits = signal<PendingEdits>(new Map());
const pendingReactions = signal<PendingReactions>(new Map());

const find = (seq: number): Message | undefined => host.history.peek().messages.find((m) => m.seq === seq);
const me = () => host.session.peek()?.user.id ?? "";

/** Whether "Editar" is offered for a message now (asked as its menu opens). */
export function editable(m: Parameters<typeof canEdit>[0]): boolean {
  return canEdit(m, me(), Date.now(), host.editWindowMs);
}

/** "Editar": the message's text goes into the composer, if it may still be edited. */
export function startEdit(seq: number): void {
  const m = find(seq);
  if (!m || !editable(m)) return;
  const text = pendingEdits.peek().get(seq) ?? m.text;
  host.shown.editing.value = { seq, original: text, text };
}

export function setEditText(text: string): void {
  const e = host.shown.editing.peek();
  if (e) host.shown.editing.value = { ...e, text };
}

export function cancelEdit(): void {
  host.shown.editing.value = null;
}

/** Saves the edit (Enter in the composer); true when the composer is done with it. */
export function saveEdit(): boolean {
  const e = host.shown.editing.peek();
  const chatId = host.openChatId.peek();
  if (!e || !chatId) return false;
  const text = editToSend(e.original, e.text);
  // Nothing changed: leaving the edit is all there is to do.
  if (text === null) {
    if (e.text.trim().length === 0) return false;
    host.shown.editing.value = null;
    return true;
  }
  if (!host.sendToChat(chatId, { type: "message.edit", seq: e.seq, text })) {
    host.showNotice(tx.notConnected);
    return false;
  }
  pendingEdits.value = new Map(pendingEdits.peek()).set(e.seq, text);
  host.shown.editing.value = null;
  return true;
}

/** A click on a quick emoji, the picker or a chip: one's reaction with it goes on or off. */
export function toggleReaction(seq: number, emoji: string): void {
  const chatId = host.openChatId.peek();
  const m = find(seq);
  if (!chatId || !m || m.deleted || m.system) return;
  const nowShown = withPendingReactions(m.reactions, pendingReactions.peek(), seq, me());
  if (!host.sendToChat(chatId, { type: "message.react", seq, emoji })) return host.showNotice(tx.notConnected);
  pendingReactions.value = toggleWish(pendingReactions.peek(), nowShown, seq, emoji, me());
}

function clear() {
  host.shown.editing.value = null;
  pendingEdits.value = new Map();
  pendingReactions.value = new Map();
}

function onFrame(chatId: string, frame: ChatServerFrame) {
  if (chatId !== host.openChatId.peek()) return;
  switch (frame.type) {
    case "message.updated":
      pendingEdits.value = settleEdit(pendingEdits.peek(), frame.message);
      pendingReactions.value = settleReactions(pendingReactions.peek(), frame.message, me());
      if (frame.message.deleted && host.shown.editing.peek()?.seq === frame.message.seq) host.shown.editing.value = null;
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
}

export function startMessageChanges(life: Lifetime): void {
  let open: string | null = null;
  life.effect(() => {
    if (host.openChatId.value === open) return;
    open = host.openChatId.value;
    clear();
  });
  // The loaded messages as shown: this tab's edits and reactions applied until the room confirms them.
  life.effect(() => {
    const edits = pendingEdits.value;
    const reactions = pendingReactions.value;
    host.shown.decorate.value =
      edits.size === 0 && reactions.size === 0
        ? null
        : (messages) =>
            messages.map((m) => {
              const edited = withPendingEdit(m, edits, Date.now());
              const mine = withPendingReactions(edited.reactions, reactions, m.seq, me());
              if (mine === edited.reactions) return edited;
              const { reactions: _old, ...rest } = edited;
              return mine && Object.keys(mine).length ? { ...rest, reactions: mine as Record<string, string[]> } : rest;
            });
  });
  life.add(onExtrasFrame(onFrame));
  life.add(() => {
    clear();
    host.shown.decorate.value = null;
  });
}
