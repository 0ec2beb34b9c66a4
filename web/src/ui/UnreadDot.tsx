/**
 * The red dot beside a chat with unread messages (R7), named for screen readers
 * by how many ("3 mensagens não lidas"); and the module's badge with the total.
 */
import { t } from "../i18n";
import { badgeText } from "../model/unread";

export function UnreadDot({ count }: { count: number }) {
  if (count <= 0) return null;
  return <span class="unread-dot" role="img" aria-label={t.unreadCount(count)} title={t.unreadCount(count)} />;
}

export function UnreadBadge({ total }: { total: number }) {
  if (total <= 0) return null;
  return (
    <span class="unread-badge" data-total={total}>
      <span aria-hidden="true">{badgeText(total)}</span>
      <span class="visually-hidden">{t.unreadCount(total)}</span>
    </span>
  );
}
