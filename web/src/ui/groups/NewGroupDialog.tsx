/**
 * "Novo grupo" (R13): "Nome do grupo" (required) and at least one member checked
 * in a searchable list; "Salvar" stays disabled until both are there, and shows
 * the server's refusal if it comes; "Cancelar" or Escape closes, giving focus back.
 */
import { useState } from "preact/hooks";
import type { PublicUser } from "../../../../protocol/http";
import { t } from "../../i18n";
import { usePeoplePicker } from "./PeoplePicker";
import { parts } from "../panels-parts";

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
  const [name, setName] = useState("");
  const { picked, picker } = usePeoplePicker(people);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const ready = parts.canCreateGroup(name, picked);
  return (
    <parts.FormDialog
      titleId="new-group-title"
      title={t.newGroup}
      onSubmit={async () => {
        if (!ready || busy) return;
        setBusy(true);
        setError(null);
        const refused = await onCreate(name, [...picked]);
        setBusy(false);
        if (refused) setError(refused);
        else onClose();
      }}
      submitLabel={busy ? t.saving : t.save}
      submitDisabled={!ready || busy}
      onClose={onClose}
    >
      <label class="field">
        <span>{t.groupName}</span>
        <input value={name} required maxLength={parts.MAX_GROUP_NAME} onInput={(e) => setName(e.currentTarget.value)} autoFocus />
      </label>
      {picker}
      <p class="muted small" aria-live="polite">
        {!name.trim() ? t.groupNeedsName : picked.size === 0 ? t.groupNeedsMember : t.memberCount(picked.size + 1)}
      </p>
      {error && (
        <p class="attach-error" role="alert">
          {error}
        </p>
      )}
    </parts.FormDialog>
  );
}
