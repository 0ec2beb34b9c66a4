/**
 * Contacts found by the search field (R4): avatar, name and department; a click
 * opens the 1:1 chat. An empty result says so instead of showing nothing.
 */
import type { PublicUser } from "../../../protocol/http";
import { t } from "../i18n";
import { Avatar } from "./Avatar";

export function ContactList({ contacts, onOpen }: { contacts: PublicUser[]; onOpen(userId: string): void }) {
  return (
    <section class="results" aria-labelledby="contacts-heading">
      <h2 id="contacts-heading" class="section-title">
        {t.contacts}
      </h2>
      {contacts.length === 0 ? (
        <p class="empty empty-title">{t.noContacts}</p>
      ) : (
        <ul class="rows">
          {contacts.map((c) => (
            <li key={c.id}>
              <button type="button" class="row" onClick={() => onOpen(c.id)}>
                <Avatar id={c.id} name={c.name} url={c.avatarUrl} size={40} />
                <span class="row-main">
                  <span class="row-name">{c.name}</span>
                  <span class="row-sub">{c.department}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
