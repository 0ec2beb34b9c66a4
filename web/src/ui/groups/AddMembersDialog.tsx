/**
 * "Adicionar membros" (R16): any member picks, with a search, among the contacts
 * not in the group yet; "Adicionar" sends them to the room in one step.
 */
import type { PublicUser } from "../../../../protocol/http";
import { t } from "../../i18n";
import { usePeoplePicker } from "./PeoplePicker";
import { parts } from "../panels-parts";

export function AddMembersDialog({ people, onAdd, onClose }: { people: PublicUser[]; onAdd(userIds: string[]): void; onClose(): void }) {
  const { picked, picker } = usePeoplePicker(people);
  return (
    <parts.FormDialog
      titleId="add-members-title"
      title={t.addMembers}
      onSubmit={() => {
        if (picked.size === 0) return;
        onAdd([...picked]);
        onClose();
      }}
      submitLabel={
        <>
          {t.add}
          {picked.size > 0 ? ` (${picked.size})` : ""}
        </>
      }
      submitDisabled={picked.size === 0}
      onClose={onClose}
    >
      {picker}
    </parts.FormDialog>
  );
}
