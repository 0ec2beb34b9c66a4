/**
 * The composer's emoji picker (R9): `emoji-picker-element`, loaded on demand as
 * its own chunk the first time "Emojis" is pressed, with Portuguese labels and
 * the Portuguese emoji data served from our own origin (scripts/build-web.mjs
 * copies it to web/dist/emoji; there is no CDN to reach). The picker is
 * searchable and keyboard-usable by itself; Escape closes it and focus returns
 * to the button. A chosen emoji goes to `onPick` (inserted at the cursor).
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n";
import { SmileIcon } from "./icons";
import { IconButton } from "./IconButton";

const DATA_URL = "/emoji/pt.json";

async function createPicker(): Promise<HTMLElement & { addEventListener: HTMLElement["addEventListener"] }> {
  const [{ default: Picker }, { default: i18n }] = await Promise.all([
    import("emoji-picker-element/picker.js"),
    import("emoji-picker-element/i18n/pt_BR.js"),
  ]);
  return new Picker({ dataSource: DATA_URL, locale: "pt", i18n });
}

/** `label` names the button and the picker ("Emojis" in the composer, "Mais reações" under "Reagir"). */
export function EmojiButton({ onPick, label = t.emojis, icon }: { onPick(emoji: string): void; label?: string; icon?: ComponentChildren }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const holder = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!open) return;
    let gone = false;
    const close = (refocus: boolean) => {
      setOpen(false);
      if (refocus) button.current?.focus();
    };
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && close(true);
    const outside = (e: PointerEvent) => {
      if (!holder.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) close(false);
    };
    void createPicker().then((picker) => {
      if (gone || !holder.current) return;
      picker.addEventListener("emoji-click", (e) => {
        const unicode = (e as CustomEvent<{ unicode?: string }>).detail.unicode;
        if (unicode) pick.current(unicode);
      });
      holder.current.replaceChildren(picker);
      // The search box is inside the picker's shadow root; focus it once it has rendered.
      requestAnimationFrame(() => picker.shadowRoot?.querySelector<HTMLInputElement>("input")?.focus());
    });
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", outside);
    return () => {
      gone = true;
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", outside);
    };
  }, [open]);

  return (
    <div class="emoji">
      <IconButton buttonRef={button} label={label} expanded={open} onClick={() => setOpen(!open)}>
        {icon ?? <SmileIcon />}
      </IconButton>
      {open && <div ref={holder} class="emoji-pop" role="dialog" aria-label={label} />}
    </div>
  );
}
