/**
 * "Encaminhar" (R10): a modal dialog to pick one or more conversations or
 * contacts, with checkboxes and a search, then confirm. Escape or "Cancelar"
 * closes it; focus starts in the search box and returns to where it was.
 */
import { useState } from "preact/hooks";
import { fold } from "../model/search";
import { t } from "../i18n";
import { FormDialog } from "./Modal";
import { PickOption, toggled } from "./PickOption";

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
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [tried, setTried] = useState(false);

  const needle = fold(query).trim();
  const shown = needle ? targets.filter((x) => fold(x.name).includes(needle)) : targets;

  return (
    <FormDialog
      titleId="forward-title"
      title={t.forwardTitle}
      onSubmit={() => {
        setTried(true);
        if (picked.size > 0) onConfirm([...picked]);
      }}
      submitLabel={
        <>
          {t.forward}
          {picked.size > 0 ? ` (${picked.size})` : ""}
        </>
      }
      onClose={onClose}
    >
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
          <PickOption
            key={x.chatId}
            avatarId={x.peerId}
            name={x.name}
            avatarUrl={x.avatarUrl}
            detail={x.detail}
            checked={picked.has(x.chatId)}
            onToggle={() => setPicked(toggled(picked, x.chatId))}
          />
        ))}
      </ul>
      {tried && picked.size === 0 && (
        <p class="attach-error" role="alert">
          {t.noneSelected}
        </p>
      )}
    </FormDialog>
  );
}
