/**
 * The signed-in person's menu, beside their name (issue 17): "Som de notificação"
 * as a checkbox item, on or off, and "Sair de todos os dispositivos" (issue 12.3),
 * which ends every session of the user, here and on other computers; a real menu
 * button (useMenu.ts).
 */
import { t } from "../i18n";
import { BellIcon, CheckIcon, LogoutIcon } from "./icons";
import { useMenu } from "./useMenu";

export function UserMenu({
  soundOn,
  onSound,
  onSignOutEverywhere,
}: {
  soundOn: boolean;
  onSound(on: boolean): void;
  onSignOutEverywhere(): void;
}) {
  const { open, toggle, close, button, menu, onKeyDown } = useMenu();

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
          <button
            type="button"
            role="menuitem"
            class="menu-item check-item"
            tabIndex={-1}
            onClick={() => {
              close(false);
              onSignOutEverywhere();
            }}
          >
            <span class="check-box" aria-hidden="true">
              <LogoutIcon size={16} />
            </span>
            {t.signOutEverywhere}
          </button>
        </div>
      )}
    </div>
  );
}
