/**
 * The polite request for browser notifications (R20): a small bar with
 * "Ativar notificações" (which makes the browser ask) and "Agora não" (which
 * hides it for good); shown only while the browser has not been answered.
 */
import { t } from "../i18n";
import { CloseIcon } from "./icons";
import { IconButton } from "./IconButton";

export function NotifyBar({ onEnable, onDismiss }: { onEnable(): void; onDismiss(): void }) {
  return (
    <div class="notify-bar" role="region" aria-label={t.enableNotifications}>
      <p class="small">{t.notificationsHint}</p>
      <div class="notify-actions">
        <button type="button" class="link" onClick={onEnable}>
          {t.enableNotifications}
        </button>
        <IconButton class="small" label={t.notNow} onClick={onDismiss}>
          <CloseIcon size={16} />
        </IconButton>
      </div>
    </div>
  );
}
