/**
 * The signed-in person's menu, beside their name (issue 17): "Som de notificação"
 * as a checkbox item, on or off, and "Sair de todos os dispositivos" (issue 12.3),
 * which ends every session of the user, here and on other computers; a real menu
 * button (useMenu.ts). A company admin also finds "Administração" there (issue 18.3).
 */
import type { JSX } from "preact";
import { t } from "../i18n";
import { IconButton } from "./IconButton";
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
  /** An item that closes the menu and does something, its icon where the checkbox item has its box. */
  const item = (icon: JSX.Element, label: string, run: () => void) => (
    <button
      type="button"
      role="menuitem"
      class="menu-item check-item"
      tabIndex={-1}
      onClick={() => {
        close(false);
        run();
      }}
    >
      <span class="check-box" aria-hidden="true">
        {icon}
      </span>
      {label}
    </button>
  );

  return (
    <div class="user-menu">
      <IconButton buttonRef={button} label={t.userMenu} menu expanded={open} onClick={toggle}>
        <BellIcon />
      </IconButton>
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
          {item(<LogoutIcon size={16} />, t.signOutEverywhere, onSignOutEverywhere)}
          {onAdmin && item(<SettingsIcon size={16} />, t.administration, onAdmin)}
        </div>
      )}
    </div>
  );
}
