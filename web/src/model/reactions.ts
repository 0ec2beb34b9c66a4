/**
 * Issue 17.5, "Reagir": a toggle shown before the room confirms it (one reaction
 * per emoji per person; clicking again takes it back). The chips and the quick
 * emojis are reaction-chips.ts (on demand).
 */
import type { Message } from "../../../protocol/chat";

export type Reactions = Readonly<Record<string, readonly string[]>>;

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
