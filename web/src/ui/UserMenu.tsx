/**
 * The signed-in person's menu, beside their name (issue 17): "Som de notificação"
 * as a checkbox item, on or off. A real menu button: the item takes focus when
 * it opens, Escape or a click elsewhere closes it, and focus returns to the button.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n";
import { BellIcon, CheckIcon } from "./icons";

export function UserMenu({ soundOn, onSound }: { soundOn: boolean; onSound(on: boolean): void }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>("[role^=menuitem]")?.focus();
    const outside = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) close(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [open]);

  return (
    <div class="user-menu">
      <button
        ref={button}
        type="button"
        class="icon-button"
        aria-label={t.userMenu}
        title={t.userMenu}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <BellIcon />
      </button>
      {open && (
        <div
          ref={menu}
          class="menu"
          role="menu"
          aria-label={t.userMenu}
          onKeyDown={(e) => {
            if (e.key === "Escape" || e.key === "Tab") {
              e.preventDefault();
              close(true);
            }
          }}
        >
          <button
            type="button"
            role="menuitemcheckbox"
            aria-checked={soundOn}
            class="menu-item check-item"
            tabIndex={-1}
            onClick={() => onSound(!soundOn)}
          >
            <span class="check-box" aria-hidden="true">
              {soundOn && <CheckIcon size={16} />}
            </span>
            {t.notificationSound}
          </button>
        </div>
      )}
    </div>
  );
}
