/**
 * A group's commands inside its conversation room (R13–R18): creation (a service
 * call from the edge), add, remove, role, leave, rename and image. The rules are
 * the pure decisions of domain/groups.ts; this module applies one decision as ONE
 * storage put (meta + its system lines + seq), so a crash can't leave anyone half
 * in, and it runs on the room's serial queue, so concurrent admin actions apply
 * one after another. Then: removed people's sockets are closed, everyone else
 * gets `group.updated` and the system lines, and the members' lists update.
 */
import { CloseCode, isGroupChatId, type ChatClientFrame, type ChatServerFrame, type Message } from "../../protocol";
import { membersOf, type ChatMeta } from "../domain/chat";
import {
  addMembers,
  createGroup,
  leaveGroup,
  removeMember,
  renameGroup,
  setGroupImage,
  setRole,
  type GroupDecision,
  type GroupRefusal,
  type SystemEvent,
} from "../domain/groups";
import type { FileRecord } from "../domain/messages";
import { fileRecKey, msgKey } from "./chat-log";
import type { RoomHost, Socket } from "./host";
import { errorFrame, errorResponse, json } from "./respond";

export type GroupMeta = Extract<ChatMeta, { kind: "group" }>;
type Applied = Exclude<GroupDecision, GroupRefusal>;
type GroupFrame = Extract<ChatClientFrame, { type: `group.${string}` }>;

export type ChatGroupsContext = {
  host: RoomHost;
  chatId: string;
  meta(): ChatMeta | null;
  setMeta(meta: ChatMeta): void;
  lastSeq(): number;
  stored(seq: number): void;
  serial<T>(work: () => Promise<T>): Promise<T>;
  inbox: { push(member: string): void; remove(member: string): void };
};

export const NO_LONGER_MEMBER = "Você não participa mais deste grupo.";

/** The system line a decision's event becomes; the room is the author when no one acted ("promoted" by the room). */
export function systemMessage(chatId: string, seq: number, e: SystemEvent, now: number): Message {
  const senderId = e.actor ?? ("target" in e ? e.target : "");
  return { id: `${chatId}:${seq}`, seq, chatId, clientId: `system-${seq}`, senderId, text: "", createdAt: now, system: e };
}

export function chatGroups(ctx: ChatGroupsContext) {
  const { host, chatId } = ctx;

  /** Stores the decision in one put, then tells everyone. `extra` adds keys to the same put (seq of the first line given). */
  async function apply(d: Applied, createdAt: number, extra?: (firstSeq: number) => Record<string, unknown>) {
    const now = Date.now();
    const first = ctx.lastSeq() + 1;
    const lines = d.events.map((e, i) => systemMessage(chatId, first + i, e, now));
    const next: GroupMeta = { chatId, kind: "group", group: d.group, createdAt };
    const writes: Record<string, unknown> = { meta: next, ...(extra ? extra(first) : {}) };
    for (const m of lines) writes[msgKey(m.seq)] = m;
    if (lines.length) writes.seq = lines.at(-1)!.seq;
    await host.storage.put(writes);
    ctx.setMeta(next);
    if (lines.length) ctx.stored(lines.at(-1)!.seq);
    const present = membersOf(next);
    for (const s of host.sockets()) {
      if (present.includes(s.identity.userId)) continue;
      s.send(errorFrame("forbidden", NO_LONGER_MEMBER));
      s.close(CloseCode.forbidden, "forbidden");
    }
    const current = new Set(present);
    const frames: ChatServerFrame[] = [
      { type: "group.updated", group: next.group },
      ...lines.map((message) => ({ type: "message.new" as const, message })),
    ];
    const data = frames.map((f) => JSON.stringify(f));
    for (const s of host.sockets()) if (current.has(s.identity.userId)) for (const f of data) s.send(f);
    for (const gone of d.gone) ctx.inbox.remove(gone);
    for (const member of present) ctx.inbox.push(member);
  }

  /** `POST /group/create {creator, name, members}` from the edge, on a fresh group id. */
  async function create(body: { creator?: unknown; name?: unknown; members?: unknown }): Promise<Response> {
    if (!isGroupChatId(chatId)) return errorResponse("not_found", "não é um grupo");
    const { creator, name, members } = body;
    if (typeof creator !== "string" || typeof name !== "string" || !Array.isArray(members) || members.some((m) => typeof m !== "string")) {
      return errorResponse("invalid_body", "corpo inválido");
    }
    return ctx.serial(async () => {
      if (ctx.meta()) return errorResponse("invalid_body", "esse grupo já existe", "chatId");
      const d = createGroup(creator, name, members as string[], Date.now());
      if ("refused" in d) return errorResponse(d.code === "invalid_frame" ? "invalid_body" : d.code, d.message, d.field);
      await apply(d, d.group.createdAt);
      return json({ chatId, group: d.group }, 201);
    });
  }

  /** A group.* frame from a member's socket. */
  function handle(socket: Socket, frame: GroupFrame): Promise<void> {
    const actor = socket.identity.userId;
    return ctx.serial(async () => {
      const meta = ctx.meta();
      if (!meta || meta.kind !== "group") {
        socket.send(errorFrame("invalid_frame", "Esta conversa não é um grupo.", { field: "type" }));
        return;
      }
      const g = meta.group;
      let extra: ((first: number) => Record<string, unknown>) | undefined;
      let d: GroupDecision;
      switch (frame.type) {
        case "group.add":
          d = addMembers(g, actor, frame.userIds, Date.now());
          if (!("refused" in d)) {
            const unknown = await missingUsers(d.joined);
            if (unknown.length)
              d = { refused: true, code: "not_found", field: "userIds", message: `Contato não encontrado: ${unknown.join(", ")}` };
          }
          break;
        case "group.remove":
          d = removeMember(g, actor, frame.userId);
          break;
        case "group.role":
          d = setRole(g, actor, frame.userId, frame.role);
          break;
        case "group.leave":
          d = leaveGroup(g, actor);
          break;
        case "group.rename":
          d = renameGroup(g, actor, frame.name);
          break;
        case "group.image": {
          d = setGroupImage(g, actor, frame.fileId);
          if ("refused" in d || frame.fileId === null) break;
          const record = await host.storage.get<FileRecord>(fileRecKey(frame.fileId));
          if (!record || record.uploaderId !== actor || record.attachment.kind !== "image") {
            d = { refused: true, code: "not_found", field: "fileId", message: "Envie uma imagem para este grupo antes de usá-la." };
            break;
          }
          // The image becomes visible to every member through the normal files route.
          if (record.usedBySeq === null) extra = (first) => ({ [fileRecKey(frame.fileId!)]: { ...record, usedBySeq: first } });
          break;
        }
      }
      if ("refused" in d) {
        socket.send(errorFrame(d.code, d.message, d.field ? { field: d.field } : {}));
        return;
      }
      await apply(d, meta.createdAt, extra);
    });
  }

  /** People to add must exist and be enabled in the directory (its contact list). */
  async function missingUsers(ids: string[]): Promise<string[]> {
    const tenant = host.id.slice(0, host.id.indexOf("."));
    const res = await host.call("directory", tenant, "/contacts");
    if (!res.ok) throw new Error(`directory answered ${res.status}`);
    const { users } = (await res.json()) as { users: { id: string }[] };
    const known = new Set(users.map((u) => u.id));
    return ids.filter((id) => !known.has(id));
  }

  return { create, handle };
}
