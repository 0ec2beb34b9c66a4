/**
 * The connection state as a small pill of fixed size beside the user's name, so
 * changes never move the layout; announced politely to screen readers.
 */
import type { ConnectionStatus } from "../stores/connection";
import { t } from "../i18n";

const LABEL: Record<ConnectionStatus, string> = {
  connected: t.connected,
  connecting: t.connecting,
  reconnecting: t.reconnecting,
  offline: t.offline,
};

export function ConnectionPill({ status, pending }: { status: ConnectionStatus; pending: number }) {
  return (
    <p class={`pill pill-${status}`} role="status" title={pending > 0 ? t.pendingCount(pending) : undefined}>
      <span class="pill-dot" aria-hidden="true" />
      {LABEL[status]}
      {pending > 0 && <span class="visually-hidden">. {t.pendingCount(pending)}</span>}
    </p>
  );
}
