/**
 * Groups (R13–R19) as the wire sees them: the group's facts, the system events
 * its log carries ("Ana criou o grupo"), the frames members send to change it,
 * and the body that creates one. The rules live in party/domain/groups.ts.
 */
import * as v from "valibot";
import { UserId } from "./ids";

export const MAX_GROUP_NAME = 100;
export const MAX_GROUP_MEMBERS = 5000;

export const Role = v.picklist(["admin", "member"], "role deve ser admin ou member");
export type Role = v.InferOutput<typeof Role>;

export const GroupMember = v.object({ userId: v.string(), role: Role, since: v.number() });
export type GroupMember = v.InferOutput<typeof GroupMember>;

/** What every member sees of a group (chat.ready.group, group.updated). */
export const GroupInfo = v.object({
  name: v.string(),
  /** An image uploaded to the group's own files, or null. */
  imageFileId: v.nullable(v.string()),
  members: v.array(GroupMember),
  createdBy: v.string(),
  createdAt: v.number(),
});
export type GroupInfo = v.InferOutput<typeof GroupInfo>;

export const SystemEvent = v.variant("kind", [
  v.object({ kind: v.literal("created"), actor: v.string(), name: v.string() }),
  v.object({ kind: v.literal("added"), actor: v.string(), targets: v.array(v.string()) }),
  v.object({ kind: v.literal("removed"), actor: v.string(), target: v.string() }),
  v.object({ kind: v.literal("left"), actor: v.string() }),
  /** actor null: promoted by the room because the last admin left. */
  v.object({ kind: v.literal("promoted"), actor: v.nullable(v.string()), target: v.string() }),
  v.object({ kind: v.literal("demoted"), actor: v.string(), target: v.string() }),
  v.object({ kind: v.literal("renamed"), actor: v.string(), name: v.string() }),
  v.object({ kind: v.literal("image"), actor: v.string() }),
]);
export type SystemEvent = v.InferOutput<typeof SystemEvent>;

/** The system line shown in the chat ("Ana criou o grupo", "Bruno agora é admin"). */
export function describeEvent(e: SystemEvent, nameOf: (id: string) => string): string {
  switch (e.kind) {
    case "created":
      return `${nameOf(e.actor)} criou o grupo`;
    case "added":
      return `${nameOf(e.actor)} adicionou ${e.targets.map(nameOf).join(", ")}`;
    case "removed":
      return `${nameOf(e.actor)} removeu ${nameOf(e.target)}`;
    case "left":
      return `${nameOf(e.actor)} saiu`;
    case "promoted":
      return `${nameOf(e.target)} agora é admin`;
    case "demoted":
      return `${nameOf(e.target)} não é mais admin`;
    case "renamed":
      return `${nameOf(e.actor)} mudou o nome do grupo para “${e.name}”`;
    case "image":
      return `${nameOf(e.actor)} mudou a imagem do grupo`;
  }
}

const MISSING = "campo obrigatório ausente";
const GroupName = v.pipe(v.string("nome obrigatório"), v.maxLength(MAX_GROUP_NAME * 2, `o nome passa de ${MAX_GROUP_NAME} caracteres`));

/** Client → chat room frames that change a group; each is one atomic step in the room. */
export const GroupAdd = v.object(
  { type: v.literal("group.add"), userIds: v.pipe(v.array(UserId), v.minLength(1, "escolha pelo menos um contato"), v.maxLength(50)) },
  MISSING,
);
export const GroupRemove = v.object({ type: v.literal("group.remove"), userId: UserId }, MISSING);
export const GroupRole = v.object({ type: v.literal("group.role"), userId: UserId, role: Role }, MISSING);
export const GroupLeave = v.object({ type: v.literal("group.leave") }, MISSING);
export const GroupRename = v.object({ type: v.literal("group.rename"), name: GroupName }, MISSING);
export const GroupImage = v.object(
  { type: v.literal("group.image"), fileId: v.nullable(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, "fileId inválido"))) },
  MISSING,
);

/** `POST /api/tenants/{tenant}/groups` with a session token → 201 {chatId, group}. */
export const GroupCreateBody = v.object(
  {
    name: GroupName,
    members: v.pipe(v.array(UserId), v.maxLength(MAX_GROUP_MEMBERS, `no máximo ${MAX_GROUP_MEMBERS} membros`)),
  },
  MISSING,
);
export type GroupCreateBody = v.InferOutput<typeof GroupCreateBody>;
