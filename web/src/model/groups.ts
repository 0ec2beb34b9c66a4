/**
 * Pure decisions the group screens make (R13–R19) before the room has the last
 * word: whether "Salvar" may be pressed, who is admin, who can still be added,
 * whether leaving would leave the group without an admin, and the list line of
 * a group's last message. The room enforces every rule again; these only keep
 * the UI from offering what it would refuse.
 */
import type { MessagePreview } from "../../../protocol/chat";
import { describeEvent, MAX_GROUP_NAME, type GroupInfo, type SystemEvent } from "../../../protocol/groups";
import { fold } from "./search";

/** "Salvar" in "Novo grupo": a name (not just spaces, within the limit) and at least one member. */
export function canCreateGroup(name: string, members: ReadonlySet<string> | readonly string[]): boolean {
  const size = "size" in members ? members.size : members.length;
  const trimmed = name.trim();
  return trimmed.length > 0 && trimmed.length <= MAX_GROUP_NAME && size > 0;
}

export function isGroupAdmin(group: GroupInfo | null, userId: string | undefined): boolean {
  return !!group && !!userId && group.members.some((m) => m.userId === userId && m.role === "admin");
}

/**
 * Leaving as the only admin while others remain: the UI warns first and
 * suggests promoting someone (the room would promote the longest-standing member).
 */
export function leavingOrphansGroup(group: GroupInfo | null, userId: string | undefined): boolean {
  if (!group || !isGroupAdmin(group, userId)) return false;
  const admins = group.members.filter((m) => m.role === "admin").length;
  return admins === 1 && group.members.length > 1;
}

/** Admins first, then members, each by name; the order of the panel's list. */
export function sortedMembers<M extends { userId: string; role: "admin" | "member" }>(
  members: readonly M[],
  nameOf: (id: string) => string,
): M[] {
  return [...members].sort(
    (a, b) => (a.role === b.role ? 0 : a.role === "admin" ? -1 : 1) || nameOf(a.userId).localeCompare(nameOf(b.userId), "pt-BR"),
  );
}

/** Contacts "Adicionar membros" offers: not already in the group, matching the search (accents and case ignored). */
export function addableContacts<C extends { id: string; name: string }>(
  contacts: readonly C[],
  group: GroupInfo | null,
  query: string,
): C[] {
  const inside = new Set(group?.members.map((m) => m.userId) ?? []);
  const needle = fold(query).trim();
  return contacts.filter((c) => !inside.has(c.id) && (!needle || fold(c.name).includes(needle)));
}

/** A person's first name, for "Bruno: oi" in the conversation list. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/**
 * The list line of a group's last message (R6 in groups): a system line as its
 * sentence, the user's own with "Você:", anyone else's with their first name.
 * The preview carries `system` when the room sends it; without it, a system line
 * arrives as empty text (attachments always have a label), shown without a name.
 */
export function groupPreview(
  last: MessagePreview & { system?: SystemEvent },
  me: string | undefined,
  nameOf: (id: string) => string,
): { text: string; mine: boolean; sender: string | null } {
  if (last.system) return { text: describeEvent(last.system, nameOf), mine: false, sender: null };
  const text = last.text.replace(/\s+/g, " ");
  if (!text.trim()) return { text: "", mine: false, sender: null };
  if (last.senderId === me) return { text, mine: true, sender: null };
  return { text, mine: false, sender: firstName(nameOf(last.senderId)) };
}
