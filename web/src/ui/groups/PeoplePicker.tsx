/**
 * The searchable, scrollable list of contacts with checkboxes that "Novo grupo"
 * and "Adicionar membros" share (R13, R16). Search ignores accents and case.
 */
import { useState } from "preact/hooks";
import type { PublicUser } from "../../../../protocol/http";
import { fold } from "../../model/search";
import { t } from "../../i18n";
import { parts } from "../panels-parts";

export function PeoplePicker({
  people,
  query,
  onQuery,
  picked,
  onToggle,
}: {
  people: PublicUser[];
  query: string;
  onQuery(query: string): void;
  picked: ReadonlySet<string>;
  onToggle(userId: string): void;
}) {
  const needle = fold(query).trim();
  const shown = needle ? people.filter((p) => fold(p.name).includes(needle)) : people;
  return (
    <>
      <input
        type="search"
        class="modal-search"
        aria-label={t.groupSearch}
        placeholder={t.groupSearch}
        value={query}
        onInput={(e) => onQuery(e.currentTarget.value)}
      />
      <ul class="pick-list" aria-label={t.groupMembersPick}>
        {shown.map((p) => (
          <parts.PickOption
            key={p.id}
            avatarId={p.id}
            name={p.name}
            avatarUrl={p.avatarUrl}
            detail={p.department}
            checked={picked.has(p.id)}
            onToggle={() => onToggle(p.id)}
          />
        ))}
        {shown.length === 0 && <li class="muted small empty">{people.length === 0 ? t.noOneToAdd : t.noContacts}</li>}
      </ul>
    </>
  );
}

/** A dialog's picker with its own search and checked people: `picked` to send, `picker` to show. */
export function usePeoplePicker(people: PublicUser[]) {
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const picker = (
    <PeoplePicker
      people={people}
      query={query}
      onQuery={setQuery}
      picked={picked}
      onToggle={(id) => setPicked(parts.toggled(picked, id))}
    />
  );
  return { picked, picker };
}
