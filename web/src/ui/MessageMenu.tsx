/**
 * The "⋮" menu of a message (R10): "Copiar", "Responder", "Encaminhar" and, on the
 * user's own messages only, "Deletar". A real menu button: arrows move between
 * items, Escape or a click elsewhere closes it, and focus returns to the button.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n";
import { MoreIcon } from "./icons";

export type MenuAction = { label: string; run(): void; danger?: boolean };

export function MessageMenu({ actions }: { actions: MenuAction[] }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    const outside = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) close(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === "Escape" || e.key === "Tab") {
      e.preventDefault();
      close(true);
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      items[(at + step + items.length) % items.length]?.focus();
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      (e.key === "Home" ? items[0] : items.at(-1))?.focus();
    }
  };

  return (
    <div class="msg-menu">
      <button
        ref={button}
        type="button"
        class="icon-button small msg-menu-button"
        aria-label={t.messageActions}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <MoreIcon size={18} />
      </button>
      {open && (
        <div ref={menu} class="menu" role="menu" aria-label={t.messageActions} onKeyDown={onKeyDown}>
          {actions.map((a) => (
            <button
              key={a.label}
              type="button"
              role="menuitem"
              class={`menu-item${a.danger ? " danger" : ""}`}
              tabIndex={-1}
              onClick={() => {
                close(true);
                a.run();
              }}
            >
              {a.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
