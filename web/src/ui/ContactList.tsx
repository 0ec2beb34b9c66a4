/**
 * Contacts found by the search field (R4, R12 "Contatos"): avatar with status
 * (R5), name and department; a click opens the 1:1 chat. An empty result says so
 * instead of showing nothing.
 */
import type { PublicUser } from "../../../protocol/http";
import { t } from "../i18n";
import { Avatar } from "./Avatar";
import { parts } from "./panels-parts";
import { TitledList } from "./TitledList";

export function ContactList({
  contacts,
  onOpen,
  onlineOf = () => null,
}: {
  contacts: PublicUser[];
  onOpen(userId: string): void;
  onlineOf?: (userId: string) => boolean | null;
}) {
  return (
    <TitledList
      id="contacts-heading"
      title={t.contacts}
      class="results"
      empty={<p class="empty muted">{t.noResults}</p>}
      items={contacts.map((c) => (
        <li key={c.id}>
          <button type="button" class="row" onClick={() => onOpen(c.id)}>
            <span class="avatar-wrap">
              <Avatar id={c.id} name={c.name} url={c.avatarUrl} size={40} />
              <parts.Presence online={onlineOf(c.id)} />
            </span>
            <span class="row-main">
              <span class="row-name">{c.name}</span>
              <span class="row-sub">{c.department}</span>
            </span>
          </button>
        </li>
      ))}
    />
  );
}
