/**
 * A contact's status (R5): a green or grey dot whose accessible name is the
 * spec's word, "on-line" or "off-line"; with `label` the word is also written.
 * Nothing while the status is not known yet (before the directory answers).
 */
import { t } from "../i18n";

export function Presence({ online, label = false }: { online: boolean | null; label?: boolean }) {
  if (online === null) return null;
  const word = online ? t.statusOnline : t.statusOffline;
  if (label)
    return (
      <span class={`presence-label ${online ? "on" : "off"}`}>
        <span class="presence-dot" aria-hidden="true" />
        {word}
      </span>
    );
  return <span class={`presence-dot ${online ? "on" : "off"}`} role="img" aria-label={word} title={word} />;
}
