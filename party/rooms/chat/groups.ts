/**
 * A group's commands inside its conversation room (R13–R18): creation (from the
 * edge), add, remove, role, leave, rename and image. The rules are the pure
 * decisions of domain/groups.ts; this module applies one decision as ONE
 * transaction (members + its system lines), on the room's serial queue, so
 * concurrent admin actions apply one after another and a crash can't leave
 * anyone half in. Then: removed people's sockets close, everyone else gets
 * `group.updated` and the system lines, and the members' lists update.
 */
import type { ChatClientFrame, ChatServerFrame, Message } from "../../../protocol/chat";
import { CloseCode } from "../../../protocol/errors";
import { isGroupChatId } from "../../../protocol/ids";
import { answer, refusal, type Answer, type RouteBody } from "../../../protocol/internal";
import type { GroupInfo } from "../../../protocol/groups";
import {
  addMembers,
  createGroup,
  leaveGroup,
  removeMember,
  renameGroup,
  setGroupImage,
  setRole,
  type GroupDecision,
  type SystemEvent,
} from "../../domain/groups";
import type { Refusal } from "../../domain/refusal";
import type { Socket } from "../../runtime/host";
import { errorFrame } from "../../runtime/respond";
import type { ChatContext } from "./context";
import { fileRecord, markFileUsed } from "./files";

type Applied = Exclude<GroupDecision, Refusal>;
type GroupFrame = Extract<ChatClientFrame, { type: `group.${string}` }>;

export const NO_LONGER_MEMBER = "Você não participa mais deste grupo.";

/** The system line a decision's event becomes; the room is the author when no one acted ("promoted" by the room). */
export function systemMessage(chatId: string, seq: number, e: SystemEvent, now: number): Message {
  const senderId = e.actor ?? ("target" in e ? e.target : "");
  return { id: `${chatId}:${seq}`, seq, chatId, clientId: `system-${seq}`, senderId, text: "", createdAt: now, system: e };
}

export function chatGroups(ctx: ChatContext, onGone: (userIds: string[]) => void) {
  const { host, state, chatId } = ctx;

  /** Stores the decision in one transaction, then tells everyone. */
  function apply(d: Applied, createdAt: number, imageFile?: { fileId: string }): void {
    const now = host.now();
    const lines = d.events.map((e, i) => systemMessage(chatId, state.lastSeq + 1 + i, e, now));
    state.commit((tx) => {
      tx.setGroup(chatId, d.group, createdAt);
      for (const m of lines) tx.append(m);
      if (imageFile) {
        const record = fileRecord(host.storage, imageFile.fileId);
        // The image becomes readable by every member through the normal file links.
        if (record && record.usedBySeq === null) markFileUsed(host.storage, imageFile.fileId, lines[0]!.seq, record.attachment);
      }
      if (d.gone.length) tx.setListed(d.gone, false);
    });
    const present = new Set(state.members());
    for (const s of host.sockets()) {
      if (present.has(s.identity.userId)) continue;
      s.send(errorFrame("forbidden", NO_LONGER_MEMBER));
      s.close(CloseCode.forbidden, "forbidden");
    }
    const frames: ChatServerFrame[] = [
      { type: "group.updated", group: (state.meta as { group: GroupInfo }).group },
      ...lines.map((message) => ({ type: "message.new" as const, message })),
    ];
    for (const f of frames) ctx.broadcast(f);
    if (d.gone.length) onGone(d.gone);
    ctx.changed({ members: "all" });
  }

  /** `chat.createGroup` from the edge, on a fresh group id. */
  function create(body: RouteBody<"chat.createGroup">): Promise<Answer<{ chatId: string; group: GroupInfo }>> {
    return ctx.serial(async () => {
      if (!isGroupChatId(chatId)) return refusal("not_found", "não é um grupo");
      if (state.meta) return refusal("invalid_body", "esse grupo já existe", "chatId");
      const d = createGroup(body.creator, body.name, body.members, host.now());
      if ("refused" in d) return refusal(d.code === "invalid_frame" ? "invalid_body" : d.code, d.message, d.field);
      apply(d, d.group.createdAt);
      return answer({ chatId, group: d.group });
    });
  }

  /** A group.* frame from a member's socket. */
  function handle(socket: Socket, frame: GroupFrame): Promise<void> {
    const actor = socket.identity.userId;
    return ctx.serial(async () => {
      const meta = state.meta;
      if (!meta || meta.kind !== "group") {
        socket.send(errorFrame("invalid_frame", "Esta conversa não é um grupo.", { field: "type" }));
        return;
      }
      let d: GroupDecision;
      let imageFile: { fileId: string } | undefined;
      switch (frame.type) {
        case "group.add":
          d = addMembers(meta.group, actor, frame.userIds, host.now());
          if (!("refused" in d)) {
            const known = await host.call("directory.known", ctx.tenant, { ids: d.joined });
            if (!known.ok) throw new Error(`directory: ${known.message}`);
            const unknown = d.joined.filter((id) => !known.value.known.includes(id));
            if (unknown.length)
              d = { refused: true, code: "not_found", field: "userIds", message: `Contato não encontrado: ${unknown.join(", ")}` };
            // The group may have changed while the directory answered: decide again on what it is now.
            else if (state.meta?.kind === "group") d = addMembers(state.meta.group, actor, frame.userIds, host.now());
          }
          break;
        case "group.remove":
          d = removeMember(meta.group, actor, frame.userId);
          break;
        case "group.role":
          d = setRole(meta.group, actor, frame.userId, frame.role);
          break;
        case "group.leave":
          d = leaveGroup(meta.group, actor);
          break;
        case "group.rename":
          d = renameGroup(meta.group, actor, frame.name);
          break;
        case "group.image": {
          d = setGroupImage(meta.group, actor, frame.fileId);
          if ("refused" in d || frame.fileId === null) break;
          const record = fileRecord(host.storage, frame.fileId);
          if (!record || record.uploaderId !== actor || record.attachment.kind !== "image") {
            d = { refused: true, code: "not_found", field: "fileId", message: "Envie uma imagem para este grupo antes de usá-la." };
            break;
          }
          imageFile = { fileId: frame.fileId };
          break;
        }
      }
      if ("refused" in d) {
        socket.send(errorFrame(d.code, d.message, d.field ? { field: d.field } : {}));
        return;
      }
      const current = state.meta;
      apply(d, current?.createdAt ?? meta.createdAt, imageFile);
    });
  }

  return { create, handle };
}
