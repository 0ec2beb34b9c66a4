/**
 * The "⋮" menu of a message (R10, issue 17): "Copiar", "Responder", "Encaminhar",
 * "Reagir", "Editar" (own text messages, 15 minutes) and, on the user's own
 * messages only, "Informações da mensagem" and "Deletar". A real menu button: arrows move between
 * items, Escape or a click elsewhere closes it, and focus returns to the button;
 * near the bottom of the history it opens upwards.
 */
import { useLayoutEffect, useState } from "preact/hooks";
import { t } from "../i18n";
import { IconButton } from "./IconButton";
import { MoreIcon } from "./icons";
import { useMenu } from "./useMenu";

export type MenuAction = { label: string; run(): void; danger?: boolean };

/** `actions` are read as the menu opens, so what depends on the time ("Editar") is right then. */
export function MessageMenu({ actions }: { actions: () => MenuAction[] }) {
  const { open, toggle, close, button, menu, onKeyDown } = useMenu();
  // Near the bottom of the history the menu opens upwards, so it never reaches past the view (and scrolls it while clicked).
  const [up, setUp] = useState(false);
  useLayoutEffect(() => {
    const box = menu.current?.closest(".history");
    setUp(!!box && menu.current!.getBoundingClientRect().bottom > box.getBoundingClientRect().bottom);
  }, [open]);

  return (
    <div class="msg-menu">
      <IconButton buttonRef={button} class="small msg-menu-button" label={t.messageActions} untitled menu expanded={open} onClick={toggle}>
        <MoreIcon size={18} />
      </IconButton>
      {open && (
        <div ref={menu} class={`menu${up ? " up" : ""}`} role="menu" aria-label={t.messageActions} onKeyDown={onKeyDown}>
          {actions().map((a) => (
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
