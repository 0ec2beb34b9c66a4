/**
 * "Adicionar membros" (R16): any member picks, with a search, among the contacts
 * not in the group yet; "Adicionar" sends them to the room in one step.
 */
import { useState } from "preact/hooks";
import type { PublicUser } from "../../../../protocol/http";
import { t } from "../../i18n";
import { PeoplePicker, toggled } from "./PeoplePicker";
import { useModal } from "../useModal";

export function AddMembersDialog({ people, onAdd, onClose }: { people: PublicUser[]; onAdd(userIds: string[]): void; onClose(): void }) {
  const dialog = useModal();
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  return (
    <dialog
      ref={dialog}
      class="modal"
      aria-labelledby="add-members-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (picked.size === 0) return;
          onAdd([...picked]);
          onClose();
        }}
      >
        <h2 id="add-members-title">{t.addMembers}</h2>
        <PeoplePicker people={people} query={query} onQuery={setQuery} picked={picked} onToggle={(id) => setPicked(toggled(picked, id))} />
        <div class="modal-actions">
          <button type="button" class="button secondary" onClick={onClose}>
            {t.cancel}
          </button>
          <button type="submit" class="button" disabled={picked.size === 0}>
            {t.add}
            {picked.size > 0 ? ` (${picked.size})` : ""}
          </button>
        </div>
      </form>
    </dialog>
  );
}
