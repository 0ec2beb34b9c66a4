/**
 * Issue 17.5, "Reagir": the chips under a message (one per emoji, in the order
 * they were first used, with the count, whether one is among them, and who:
 * "Você e mais 2"), the quick emojis of the menu, and a toggle shown before the
 * room confirms it. One reaction per emoji per person; clicking again takes it back.
 */
import type { Message } from "../../../protocol/chat";
import { t } from "../i18n";

export const QUICK_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏"] as const;

export type Reactions = Readonly<Record<string, readonly string[]>>;

export type ReactionChip = { emoji: string; count: number; mine: boolean; who: string };

/** "Você", "Você e Ana", "Você e mais 2", "Ana", "Ana e Bruno", "Ana e mais 2". */
export function reactorsLabel(userIds: readonly string[], me: string, nameOf: (id: string) => string): string {
  const mine = userIds.includes(me);
  const others = userIds.filter((u) => u !== me);
  const first = mine ? t.reactors.you : nameOf(others[0] ?? "");
  const rest = mine ? others : others.slice(1);
  if (rest.length === 0) return first;
  if (rest.length === 1) return t.reactors.and(first, nameOf(rest[0]!));
  return t.reactors.andMore(first, rest.length);
}

export function reactionChips(reactions: Reactions | undefined, me: string, nameOf: (id: string) => string): ReactionChip[] {
  return Object.entries(reactions ?? {})
    .filter(([, who]) => who.length > 0)
    .map(([emoji, who]) => ({ emoji, count: who.length, mine: who.includes(me), who: reactorsLabel(who, me, nameOf) }));
}

/** `${seq} ${emoji}` → whether one's reaction should be on, until the room's `message.updated` says so. */
export type PendingReactions = ReadonlyMap<string, boolean>;

const key = (seq: number, emoji: string) => `${seq} ${emoji}`;

/** A click on an emoji: the pending wish flips from what is shown now. */
export function toggleWish(
  pending: PendingReactions,
  shown: Reactions | undefined,
  seq: number,
  emoji: string,
  me: string,
): PendingReactions {
  const on = !(shown?.[emoji] ?? []).includes(me);
  return new Map(pending).set(key(seq, emoji), on);
}

/** The reactions as shown: the room's, with one's own pending toggles applied. */
export function withPendingReactions(
  reactions: Reactions | undefined,
  pending: PendingReactions,
  seq: number,
  me: string,
): Reactions | undefined {
  let out: Record<string, string[]> | null = null;
  for (const [k, on] of pending) {
    const space = k.indexOf(" ");
    if (Number(k.slice(0, space)) !== seq) continue;
    const emoji = k.slice(space + 1);
    out ??= Object.fromEntries(Object.entries(reactions ?? {}).map(([e, who]) => [e, [...who]]));
    const who = out[emoji] ?? [];
    const has = who.includes(me);
    if (on && !has) out[emoji] = [...who, me];
    if (!on && has) out[emoji] = who.filter((u) => u !== me);
    if (out[emoji]?.length === 0) delete out[emoji];
  }
  return out ?? reactions;
}

/** The room's copy of a message settles the wishes it now agrees with (and all of a deleted one's). */
export function settleReactions(
  pending: PendingReactions,
  m: Pick<Message, "seq" | "reactions" | "deleted">,
  me: string,
): PendingReactions {
  let next: Map<string, boolean> | null = null;
  for (const [k, on] of pending) {
    const space = k.indexOf(" ");
    if (Number(k.slice(0, space)) !== m.seq) continue;
    const has = (m.reactions?.[k.slice(space + 1)] ?? []).includes(me);
    if (m.deleted || has === on) (next ??= new Map(pending)).delete(k);
  }
  return next ?? pending;
}
