/**
 * Issue 17.5, "Reagir": the quick emojis (a toolbar: ←/→ move, Escape closes) with
 * "Mais reações" opening the emoji picker, and the chips under a message — one
 * per emoji with its count, pressed when one's own reaction is in it, a click
 * toggling it; hovering shows who ("Você e mais 2"), which is also the chip's name.
 */
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n";
import { QUICK_REACTIONS, type ReactionChip } from "../model/reactions";
import { EmojiButton } from "./EmojiButton";

export function ReactionPicker({ onPick, onClose }: { onPick(emoji: string): void; onClose(refocus: boolean): void }) {
  const bar = useRef<HTMLDivElement>(null);

  useEffect(() => {
    bar.current?.querySelector<HTMLElement>("button")?.focus();
    const outside = (e: PointerEvent) => {
      const t = e.target as Element;
      // The emoji picker lives in a shadow root inside the bar; its events still land on the bar.
      if (!bar.current?.contains(t) && !t.closest?.(".react-button")) onClose(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      onClose(true);
      return;
    }
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    const buttons = [...(bar.current?.querySelectorAll<HTMLElement>(":scope > button, :scope > .emoji > button") ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLElement);
    if (at === -1) return;
    e.preventDefault();
    buttons[(at + (e.key === "ArrowRight" ? 1 : -1) + buttons.length) % buttons.length]?.focus();
  };

  const pick = (emoji: string) => {
    onPick(emoji);
    onClose(true);
  };

  return (
    <div ref={bar} class="react-bar" role="toolbar" aria-label={t.react} onKeyDown={onKeyDown}>
      {QUICK_REACTIONS.map((emoji) => (
        <button
          key={emoji}
          type="button"
          class="react-quick"
          aria-label={t.reactWith(emoji)}
          title={t.reactWith(emoji)}
          onClick={() => pick(emoji)}
        >
          {emoji}
        </button>
      ))}
      <EmojiButton label={t.moreReactions} icon={<span aria-hidden="true">＋</span>} onPick={pick} />
    </div>
  );
}

export function ReactionChips({ chips, onToggle }: { chips: ReactionChip[]; onToggle(emoji: string): void }) {
  if (chips.length === 0) return null;
  return (
    <div class="reactions" role="group" aria-label={t.reactionsLabel}>
      {chips.map((c) => (
        <button
          key={c.emoji}
          type="button"
          class={`reaction${c.mine ? " mine" : ""}`}
          aria-pressed={c.mine}
          aria-label={t.reactionChip(c.emoji, c.count, c.who)}
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
