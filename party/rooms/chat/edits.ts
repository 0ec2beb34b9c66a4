/**
 * Changes people make to a stored message besides deleting it (issue 17):
 * "Editar" (one's own text, within 15 minutes: the message shows "editada",
 * every member's view and list preview update, search finds the new words) and
 * "Reagir" (one reaction per emoji per person, toggled). The rules are
 * domain/messages.ts's; each change is one transaction, then a broadcast.
 */
import type { Socket } from "../../runtime/host";
import { decideEdit, toggleReaction } from "../../domain/messages";
import { errorFrame } from "../../runtime/respond";
import type { ChatContext } from "./context";
import { messageAt } from "./schema";

export function chatEdits(ctx: ChatContext) {
  const { host, state } = ctx;

  function edit(socket: Socket, seq: number, text: string): void {
    const edited = decideEdit(messageAt(host.storage, seq), socket.identity.userId, text, host.now());
    if ("refused" in edited) return socket.send(errorFrame(edited.code, edited.message, { field: edited.field ?? "seq" }));
    state.commit((tx) => {
      tx.update(edited);
      host.storage.run("INSERT INTO index_outbox(seq) VALUES (?)", seq);
    }, host.now());
    ctx.broadcast({ type: "message.updated", message: edited });
    // The preview may be this message; search must find the new words and forget the old.
    ctx.changed({ members: "all", index: true, removed: true });
  }

  function react(socket: Socket, seq: number, emoji: string): void {
    const next = toggleReaction(messageAt(host.storage, seq), socket.identity.userId, emoji);
    if ("refused" in next) return socket.send(errorFrame(next.code, next.message, { field: next.field ?? "seq" }));
    state.commit((tx) => tx.update(next), host.now());
    ctx.broadcast({ type: "message.updated", message: next });
  }

  return { edit, react };
}
