/**
 * The searchable, scrollable list of contacts with checkboxes that "Novo grupo"
 * and "Adicionar membros" share (R13, R16). Search ignores accents and case.
 */
import type { PublicUser } from "../../../../protocol/http";
import { fold } from "../../model/search";
import { t } from "../../i18n";
import { Avatar } from "../Avatar";

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
          <li key={p.id}>
            <label class="pick">
              <input type="checkbox" checked={picked.has(p.id)} onChange={() => onToggle(p.id)} />
              <Avatar id={p.id} name={p.name} url={p.avatarUrl} size={32} />
              <span class="pick-text">
                <span>{p.name}</span>
                {p.department && <span class="muted small">{p.department}</span>}
              </span>
            </label>
          </li>
        ))}
        {shown.length === 0 && <li class="muted small empty">{people.length === 0 ? t.noOneToAdd : t.noContacts}</li>}
      </ul>
    </>
  );
}

/** Toggles one id in a set, returning a new set (state stays immutable). */
export function toggled(set: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const next = new Set(set);
  if (!next.delete(id)) next.add(id);
  return next;
}
