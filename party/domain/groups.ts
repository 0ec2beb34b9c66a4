/**
 * Group membership and roles (R13–R18) as pure decisions: given the group and a
 * command from an actor, return the new group and the system events to log, or
 * a refusal. The chat room applies one decision per storage write, so a
 * membership change is one atomic step.
 */
import { refuse, type Refusal } from "./refusal";
import { MAX_GROUP_MEMBERS, MAX_GROUP_NAME, type GroupInfo, type GroupMember, type Role, type SystemEvent } from "../../protocol/groups";

export { describeEvent } from "../../protocol/groups";
export type { GroupMember, Role, SystemEvent };
export type Group = GroupInfo;
export { MAX_GROUP_MEMBERS, MAX_GROUP_NAME };

export type GroupDecision = { group: Group; events: SystemEvent[]; joined: string[]; gone: string[] } | Refusal;

export function member(g: Group, userId: string): GroupMember | undefined {
  return g.members.find((m) => m.userId === userId);
}

export function isAdmin(g: Group, userId: string): boolean {
  return member(g, userId)?.role === "admin";
}

/** A group disappears once nobody is left in it (R18). */
export function isGone(g: Group): boolean {
  return g.members.length === 0;
}

function checkName(raw: string): string | Refusal {
  const name = raw.trim().replace(/\s+/g, " ");
  if (!name) return refuse("invalid_frame", "O nome do grupo é obrigatório.", "name");
  if (name.length > MAX_GROUP_NAME) return refuse("invalid_frame", `O nome do grupo passa de ${MAX_GROUP_NAME} caracteres.`, "name");
  return name;
}

/** R13/R14: a name and at least one other member; the creator is admin, the others members. */
export function createGroup(creator: string, rawName: string, memberIds: string[], now: number): GroupDecision {
  const name = checkName(rawName);
  if (typeof name !== "string") return name;
  const others = [...new Set(memberIds)].filter((id) => id !== creator);
  if (others.length === 0) return refuse("invalid_frame", "Escolha pelo menos um membro.", "members");
  if (others.length + 1 > MAX_GROUP_MEMBERS) return refuse("invalid_frame", `No máximo ${MAX_GROUP_MEMBERS} membros.`, "members");
  const group: Group = {
    name,
    imageFileId: null,
    createdBy: creator,
    createdAt: now,
    members: [{ userId: creator, role: "admin", since: now }, ...others.map((userId) => ({ userId, role: "member" as const, since: now }))],
  };
  return {
    group,
    events: [
      { kind: "created", actor: creator, name },
      { kind: "added", actor: creator, targets: others },
    ],
    joined: [creator, ...others],
    gone: [],
  };
}

/** R15: any member may add; people already in are skipped, nobody new is a refusal. */
export function addMembers(g: Group, actor: string, ids: string[], now: number): GroupDecision {
  if (!member(g, actor)) return refuse("forbidden", "Você não participa deste grupo.");
  const fresh = [...new Set(ids)].filter((id) => !member(g, id));
  if (fresh.length === 0) return refuse("invalid_frame", "Essas pessoas já estão no grupo.", "userIds");
  if (g.members.length + fresh.length > MAX_GROUP_MEMBERS)
    return refuse("invalid_frame", `No máximo ${MAX_GROUP_MEMBERS} membros.`, "userIds");
  return {
    group: { ...g, members: [...g.members, ...fresh.map((userId) => ({ userId, role: "member" as const, since: now }))] },
    events: [{ kind: "added", actor, targets: fresh }],
    joined: fresh,
    gone: [],
  };
}

/** R15: only admins remove, and never themselves (that is leaving). */
export function removeMember(g: Group, actor: string, target: string): GroupDecision {
  if (!isAdmin(g, actor)) return refuse("forbidden", "Só administradores removem membros.");
  if (target === actor) return refuse("invalid_frame", "Para sair do grupo, use “Sair do grupo”.", "userId");
  if (!member(g, target)) return refuse("not_found", "Essa pessoa não está no grupo.", "userId");
  return {
    group: { ...g, members: g.members.filter((m) => m.userId !== target) },
    events: [{ kind: "removed", actor, target }],
    joined: [],
    gone: [target],
  };
}

/** R15: only admins promote or demote; the last admin cannot demote themselves. */
export function setRole(g: Group, actor: string, target: string, role: Role): GroupDecision {
  if (!isAdmin(g, actor)) return refuse("forbidden", "Só administradores mudam papéis.");
  const t = member(g, target);
  if (!t) return refuse("not_found", "Essa pessoa não está no grupo.", "userId");
  if (t.role === role) return refuse("invalid_frame", role === "admin" ? "Já é admin." : "Já é membro.", "userId");
  const admins = g.members.filter((m) => m.role === "admin").length;
  if (role === "member" && admins === 1) return refuse("invalid_frame", "O grupo precisa de pelo menos um admin.", "userId");
  return {
    group: { ...g, members: g.members.map((m) => (m.userId === target ? { ...m, role } : m)) },
    events: [role === "admin" ? { kind: "promoted", actor, target } : { kind: "demoted", actor, target }],
    joined: [],
    gone: [],
  };
}

/**
 * R17/R18: anyone can leave. If the last admin leaves while others remain, the
 * longest-standing member becomes admin, so the group is never left without one.
 */
export function leaveGroup(g: Group, actor: string): GroupDecision {
  const me = member(g, actor);
  if (!me) return refuse("forbidden", "Você não participa deste grupo.");
  let members = g.members.filter((m) => m.userId !== actor);
  const events: SystemEvent[] = [{ kind: "left", actor }];
  if (members.length > 0 && !members.some((m) => m.role === "admin")) {
    const heir = members.reduce((a, b) => (b.since < a.since ? b : a));
    members = members.map((m) => (m.userId === heir.userId ? { ...m, role: "admin" } : m));
    events.push({ kind: "promoted", actor: null, target: heir.userId });
  }
  return { group: { ...g, members }, events, joined: [], gone: [actor] };
}

/** R16: any member edits the name. */
export function renameGroup(g: Group, actor: string, rawName: string): GroupDecision {
  if (!member(g, actor)) return refuse("forbidden", "Você não participa deste grupo.");
  const name = checkName(rawName);
  if (typeof name !== "string") return name;
  return { group: { ...g, name }, events: [{ kind: "renamed", actor, name }], joined: [], gone: [] };
}

/** R16: any member sets the image (a file uploaded to the group). */
export function setGroupImage(g: Group, actor: string, fileId: string | null): GroupDecision {
  if (!member(g, actor)) return refuse("forbidden", "Você não participa deste grupo.");
  return { group: { ...g, imageFileId: fileId }, events: [{ kind: "image", actor }], joined: [], gone: [] };
}
