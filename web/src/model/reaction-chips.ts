/**
 * Issue 17.5, what "Reagir" shows (on demand): the quick emojis, and the chips
 * under a message — one per emoji, in the order they were first used, with the
 * count, whether one is among them, and who ("Você e mais 2").
 */
import { tx } from "../i18n-chat-extras";
import type { Reactions } from "./reactions";

export const QUICK_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏"] as const;

export type ReactionChip = { emoji: string; count: number; mine: boolean; who: string };

/** "Você", "Você e Ana", "Você e mais 2", "Ana", "Ana e Bruno", "Ana e mais 2". */
export function reactorsLabel(userIds: readonly string[], me: string, nameOf: (id: string) => string): string {
  const mine = userIds.includes(me);
  const others = userIds.filter((u) => u !== me);
  const first = mine ? tx.reactors.you : nameOf(others[0] ?? "");
  const rest = mine ? others : others.slice(1);
  if (rest.length === 0) return first;
  if (rest.length === 1) return tx.reactors.and(first, nameOf(rest[0]!));
  return tx.reactors.andMore(first, rest.length);
}

export function reactionChips(reactions: Reactions | undefined, me: string, nameOf: (id: string) => string): ReactionChip[] {
  return Object.entries(reactions ?? {})
    .filter(([, who]) => who.length > 0)
    .map(([emoji, who]) => ({ emoji, count: who.length, mine: who.includes(me), who: reactorsLabel(who, me, nameOf) }));
}
