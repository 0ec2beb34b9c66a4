/**
 * Issue 17.5, "Reagir" (on demand, its own chunk): the quick emojis as a toolbar
 * (←/→ move between them, Escape closes and gives focus back), and "Mais
 * reações" opening the emoji picker. A choice toggles one's reaction with it.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n";
import { tx } from "../i18n-chat-extras";
import { QUICK_REACTIONS } from "../model/reaction-chips";
import { uiHost } from "./extras-ui-host";

export default function ReactionPicker({ onPick, onClose }: { onPick(emoji: string): void; onClose(refocus: boolean): void }) {
  const bar = useRef<HTMLDivElement>(null);
  // At the top of the history the bar opens downwards, inside the view.
  const [down, setDown] = useState(false);
  useLayoutEffect(() => {
    const box = bar.current?.closest(".history");
    setDown(!!box && bar.current!.getBoundingClientRect().top < box.getBoundingClientRect().top);
  }, []);

  useEffect(() => {
    bar.current?.querySelector<HTMLElement>("button")?.focus();
    const outside = (e: PointerEvent) => {
      const target = e.target as Element;
      // The emoji picker lives in a shadow root inside the bar; its events still land on the bar.
      if (!bar.current?.contains(target) && !target.closest?.(".react-button")) onClose(false);
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
    <div ref={bar} class={`react-bar${down ? " down" : ""}`} role="toolbar" aria-label={t.react} onKeyDown={onKeyDown}>
      {QUICK_REACTIONS.map((emoji) => (
        <button
          key={emoji}
          type="button"
          class="react-quick"
          aria-label={tx.reactWith(emoji)}
          title={tx.reactWith(emoji)}
          onClick={() => pick(emoji)}
        >
          {emoji}
        </button>
      ))}
      <uiHost.EmojiButton label={tx.moreReactions} icon={<span aria-hidden="true">＋</span>} onPick={pick} />
    </div>
  );
}
