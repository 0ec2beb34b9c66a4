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
        <ResultRow
          key={c.id}
          avatarId={c.id}
          name={c.name}
          avatarUrl={c.avatarUrl}
          online={onlineOf(c.id)}
          detail={c.department}
          onOpen={() => onOpen(c.id)}
        />
      ))}
    />
  );
}

/** One person or chat found: the avatar with their status, the name and a second line; a click opens it. */
export function ResultRow(p: {
  avatarId: string;
  name: string;
  avatarUrl: string | null;
  online: boolean | null;
  detail: string;
  onOpen(): void;
}) {
  return (
    <li>
      <button type="button" class="row" onClick={p.onOpen}>
        <span class="avatar-wrap">
          <Avatar id={p.avatarId} name={p.name} url={p.avatarUrl} size={40} />
          <parts.Presence online={p.online} />
        </span>
        <span class="row-main">
          <span class="row-name">{p.name}</span>
          <span class="row-sub">{p.detail}</span>
        </span>
      </button>
    </li>
  );
}
