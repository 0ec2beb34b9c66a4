/**
 * One row of the checkbox pick lists ("Encaminhar" R10, "Novo grupo" R13,
 * "Adicionar membros" R16): the whole row is the checkbox's label, so a click
 * anywhere on it or Space on the box picks the conversation or person.
 */
import { Avatar } from "./Avatar";

export function PickOption({
  avatarId,
  name,
  avatarUrl,
  detail,
  checked,
  onToggle,
}: {
  avatarId: string;
  name: string;
  avatarUrl: string | null;
  /** The muted line under the name (department, "Grupo"); empty leaves it out. */
  detail: string;
  checked: boolean;
  onToggle(): void;
}) {
  return (
    <li>
      <label class="pick">
        <input type="checkbox" checked={checked} onChange={onToggle} />
        <Avatar id={avatarId} name={name} url={avatarUrl} size={32} />
        <span class="pick-text">
          <span>{name}</span>
          {detail && <span class="muted small">{detail}</span>}
        </span>
      </label>
    </li>
  );
}

/** Toggles one id in a set, returning a new set (state stays immutable). */
export function toggled(set: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const next = new Set(set);
  if (!next.delete(id)) next.add(id);
  return next;
}
