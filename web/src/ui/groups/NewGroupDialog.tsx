/**
 * "Novo grupo" (R13): "Nome do grupo" (required) and at least one member checked
 * in a searchable list; "Salvar" stays disabled until both are there, and shows
 * the server's refusal if it comes; "Cancelar" or Escape closes, giving focus back.
 */
import { useState } from "preact/hooks";
import { MAX_GROUP_NAME } from "../../../../protocol/groups";
import type { PublicUser } from "../../../../protocol/http";
import { canCreateGroup } from "../../model/groups";
import { t } from "../../i18n";
import { PeoplePicker, toggled } from "./PeoplePicker";
import { useModal } from "../useModal";

export function NewGroupDialog({
  people,
  onCreate,
  onClose,
}: {
  people: PublicUser[];
  /** Resolves to the server's refusal, or null once created. */
  onCreate(name: string, members: string[]): Promise<string | null>;
  onClose(): void;
}) {
  const dialog = useModal();
  const [name, setName] = useState("");
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const ready = canCreateGroup(name, picked);
  return (
    <dialog
      ref={dialog}
      class="modal"
      aria-labelledby="new-group-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!ready || busy) return;
          setBusy(true);
          setError(null);
          const refused = await onCreate(name, [...picked]);
          setBusy(false);
          if (refused) setError(refused);
          else onClose();
        }}
      >
        <h2 id="new-group-title">{t.newGroup}</h2>
        <label class="field">
          <span>{t.groupName}</span>
          <input value={name} required maxLength={MAX_GROUP_NAME} onInput={(e) => setName(e.currentTarget.value)} autoFocus />
        </label>
        <PeoplePicker people={people} query={query} onQuery={setQuery} picked={picked} onToggle={(id) => setPicked(toggled(picked, id))} />
        <p class="muted small" aria-live="polite">
          {!name.trim() ? t.groupNeedsName : picked.size === 0 ? t.groupNeedsMember : t.memberCount(picked.size + 1)}
        </p>
        {error && (
          <p class="attach-error" role="alert">
            {error}
          </p>
        )}
        <div class="modal-actions">
          <button type="button" class="button secondary" onClick={onClose}>
            {t.cancel}
          </button>
          <button type="submit" class="button" disabled={!ready || busy}>
            {busy ? t.saving : t.save}
          </button>
        </div>
      </form>
    </dialog>
  );
}
