/**
 * The signed-in person's menu, beside their name (issue 17): "Som de notificação"
 * as a checkbox item, on or off, and "Sair de todos os dispositivos" (issue 12.3),
 * which ends every session of the user, here and on other computers; a real menu
 * button (useMenu.ts). A company admin also finds "Administração" there (issue 18.3).
 */
import { t } from "../i18n";
import { BellIcon, CheckIcon, LogoutIcon, SettingsIcon } from "./icons";
import { useMenu } from "./useMenu";

export function UserMenu({
  soundOn,
  onSound,
  onSignOutEverywhere,
  onAdmin,
}: {
  soundOn: boolean;
  onSound(on: boolean): void;
  onSignOutEverywhere(): void;
  /** Issue 18.3: given only to a company admin; opens "Administração". */
  onAdmin?: () => void;
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
          {onAdmin && (
            <button
              type="button"
              role="menuitem"
              class="menu-item check-item"
              tabIndex={-1}
              onClick={() => {
                close(false);
                onAdmin();
              }}
            >
              <span class="check-box" aria-hidden="true">
                <SettingsIcon size={16} />
              </span>
              {t.administration}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
