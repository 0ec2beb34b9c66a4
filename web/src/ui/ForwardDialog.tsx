/**
 * "Encaminhar" (R10): a modal dialog to pick one or more conversations or
 * contacts, with checkboxes and a search, then confirm. Escape or "Cancelar"
 * closes it; focus starts in the search box and returns to where it was.
 */
import { useState } from "preact/hooks";
import { fold } from "../model/search";
import { t } from "../i18n";
import { Avatar } from "./Avatar";
import { useModal } from "./useModal";

export type ForwardTarget = { chatId: string; peerId: string; name: string; avatarUrl: string | null; detail: string };

export function ForwardDialog({
  targets,
  onConfirm,
  onClose,
}: {
  targets: ForwardTarget[];
  onConfirm(chatIds: string[]): void;
  onClose(): void;
}) {
  const dialog = useModal();
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [tried, setTried] = useState(false);

  const needle = fold(query).trim();
  const shown = needle ? targets.filter((x) => fold(x.name).includes(needle)) : targets;
  const toggle = (chatId: string) => {
    const next = new Set(picked);
    if (!next.delete(chatId)) next.add(chatId);
    setPicked(next);
  };

  return (
    <dialog
      ref={dialog}
      class="modal"
      aria-labelledby="forward-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (picked.size > 0) onConfirm([...picked]);
        }}
      >
        <h2 id="forward-title">{t.forwardTitle}</h2>
        <input
          type="search"
          class="modal-search"
          aria-label={t.forwardSearch}
          placeholder={t.forwardSearch}
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
          autoFocus
        />
        <ul class="pick-list">
          {shown.map((x) => (
            <li key={x.chatId}>
              <label class="pick">
                <input type="checkbox" checked={picked.has(x.chatId)} onChange={() => toggle(x.chatId)} />
                <Avatar id={x.peerId} name={x.name} url={x.avatarUrl} size={32} />
                <span class="pick-text">
                  <span>{x.name}</span>
                  {x.detail && <span class="muted small">{x.detail}</span>}
                </span>
              </label>
            </li>
          ))}
        </ul>
        {tried && picked.size === 0 && (
          <p class="attach-error" role="alert">
            {t.noneSelected}
          </p>
        )}
        <div class="modal-actions">
          <button type="button" class="button secondary" onClick={onClose}>
            {t.cancel}
          </button>
          <button type="submit" class="button">
            {t.forward}
            {picked.size > 0 ? ` (${picked.size})` : ""}
          </button>
        </div>
      </form>
    </dialog>
  );
}
