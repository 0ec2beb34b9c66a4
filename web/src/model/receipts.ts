/**
 * Issue 17.1, read receipts: the state of one's own stored message — ✓ "Enviada"
 * when the room stored it, ✓✓ "Entregue" once it reached a device of every other
 * member, ✓✓ "Lida" once every other member read past it — derived from the
 * room's read and delivery cursors, never counted. In a group, "every other
 * member" is who was a member when the message was sent: someone added later
 * does not hold it back. Also the "Informações da mensagem" lists (who read it,
 * who has it), from the room's answer.
 */
import type { GroupMember } from "../../../protocol/groups";

export type Receipt = "sent" | "delivered" | "read";

export type Cursors = {
  /** The chat's members (chat.ready.members, or the group's). */
  members: readonly string[];
  /** A group's members with the time each joined; null for 1:1 chats. */
  group: readonly GroupMember[] | null;
  read: Readonly<Record<string, number>>;
  delivered: Readonly<Record<string, number>>;
};

/** Who must have the message for it to count as delivered and read: the other members as it was sent. */
export function recipientsOf(m: { senderId: string; createdAt: number }, c: Pick<Cursors, "members" | "group">): string[] {
  if (c.group) return c.group.filter((g) => g.userId !== m.senderId && g.since <= m.createdAt).map((g) => g.userId);
  return c.members.filter((u) => u !== m.senderId);
}

/** ✓, ✓✓ or "Lida" for a stored message; what was read also reached a device. */
export function receiptOf(m: { seq: number; senderId: string; createdAt: number }, c: Cursors): Receipt {
  const others = recipientsOf(m, c);
  if (others.length === 0) return "sent";
  const read = (u: string) => (c.read[u] ?? 0) >= m.seq;
  if (others.every(read)) return "read";
  if (others.every((u) => read(u) || (c.delivered[u] ?? 0) >= m.seq)) return "delivered";
  return "sent";
}

/** A cursor map moved forward by what arrived (`read.updated`, `delivered.updated`): cursors never go back. */
export function advanceCursors(current: Readonly<Record<string, number>>, moved: Readonly<Record<string, number>>): Record<string, number> {
  const next = { ...current };
  let changed = false;
  for (const [u, seq] of Object.entries(moved)) {
    if (seq > (next[u] ?? 0)) {
      next[u] = seq;
      changed = true;
    }
  }
  return changed ? next : (current as Record<string, number>);
}

export type InfoRow = { userId: string; at: number };

/**
 * The dialog's two lists, newest first: "Lida por" with the read times, and
 * "Entregue a" with the delivery times of those who have it and have not read it
 * yet (as WhatsApp lists them); the sender never appears in either.
 */
export function infoLists(
  answer: { readBy: readonly InfoRow[]; deliveredTo: readonly InfoRow[] },
  senderId: string,
): { readBy: InfoRow[]; deliveredTo: InfoRow[] } {
  const newest = (a: InfoRow, b: InfoRow) => b.at - a.at || a.userId.localeCompare(b.userId);
  const readBy = answer.readBy.filter((r) => r.userId !== senderId).sort(newest);
  const readers = new Set(readBy.map((r) => r.userId));
  const deliveredTo = answer.deliveredTo.filter((r) => r.userId !== senderId && !readers.has(r.userId)).sort(newest);
  return { readBy, deliveredTo };
}
