/**
 * Issue 17.5 (on demand): the reactions under a message — one chip per emoji with its count,
 * pressed when one's own reaction is in it, a click toggling it; hovering shows
 * who ("Você e mais 2"), which is also in the chip's name. The quick emojis of
 * "Reagir" are ReactionPicker.tsx (on demand).
 */
import { tx } from "../i18n-chat-extras";
import { reactionChips } from "../model/reaction-chips";
import type { Reactions } from "../model/reactions";

type Props = { reactions: Reactions; me: string; nameOf(userId: string): string; onToggle(emoji: string): void };

export default function ReactionChips({ reactions, me, nameOf, onToggle }: Props) {
  const chips = reactionChips(reactions, me, nameOf);
  if (chips.length === 0) return null;
  return (
    <div class="reactions" role="group" aria-label={tx.reactionsLabel}>
      {chips.map((c) => (
        <button
          key={c.emoji}
          type="button"
          class={`reaction${c.mine ? " mine" : ""}`}
          aria-pressed={c.mine}
          aria-label={tx.reactionChip(c.emoji, c.count, c.who)}
          title={c.who}
          onClick={() => onToggle(c.emoji)}
        >
          <span aria-hidden="true">{c.emoji}</span>
          <span class="reaction-count" aria-hidden="true">
            {c.count}
          </span>
        </button>
      ))}
    </div>
  );
}
