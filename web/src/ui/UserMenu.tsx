/**
 * The signed-in person's menu, beside their name (issue 17): "Som de notificação"
 * as a checkbox item, on or off; a real menu button (useMenu.ts).
 */
import { t } from "../i18n";
import { BellIcon, CheckIcon } from "./icons";
import { useMenu } from "./useMenu";

export function UserMenu({ soundOn, onSound }: { soundOn: boolean; onSound(on: boolean): void }) {
  const { open, toggle, button, menu, onKeyDown } = useMenu();

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
        onClick={toggle}
      >
        <BellIcon />
      </button>
      {open && (
        <div ref={menu} class="menu" role="menu" aria-label={t.userMenu} onKeyDown={onKeyDown}>
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
