/**
 * The smart search's results in the sidebar (R12), by category: "Contatos"
 * first (a name typed is most often someone to talk to), then "Conversas" (1:1
 * chats and groups by name) and "Mensagens" (message text with the match in
 * `<mark>`, its chat and date; "Carregar mais" while the server has more). A
 * category with nothing says "Nenhum resultado". Arrow keys move between results
 * in the order shown (from the search field too); Enter or a click opens one.
 */
import type { ComponentChildren } from "preact";
import type { PublicUser } from "../../../protocol/http";
import { t } from "../i18n";
import { Avatar } from "./Avatar";
import { parts } from "./panels-parts";
import { TitledList } from "./TitledList";

export type ChatResult = { chatId: string; peerId: string; name: string; avatarUrl: string | null; online: boolean | null; detail: string };
export type MessageResult = { chatId: string; seq: number; chatName: string; sender: string; text: string; when: string; href: string };

type Props = {
  query: string;
  chats: ChatResult[];
  messages: { items: MessageResult[]; loading: boolean; hasMore: boolean; error: string | null };
  /** null while the contacts load. */
  contacts: PublicUser[] | null;
  onlineOf(userId: string): boolean | null;
  onOpenChat(chatId: string): void;
  onOpenMessage(chatId: string, seq: number): void;
  onOpenContact(userId: string): void;
  onMoreMessages(): void;
};

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="results" aria-labelledby={id}>
      <h2 id={id} class="section-title">
        {title}
      </h2>
      {children}
    </section>
  );
}

type Row = {
  key: string;
  avatarId: string;
  name: string;
  avatarUrl: string | null;
  online: boolean | null;
  detail: string;
  onOpen(): void;
};

/**
 * Contacts (R4, R5: with their status; a click opens the 1:1 chat) or chats
 * found: avatar, name and a second line (department, or what the chat is).
 */
function Found({ id, title, rows }: { id: string; title: string; rows: Row[] }) {
  return (
    <TitledList
      id={id}
      title={title}
      class="results"
      empty={<p class="empty muted">{t.noResults}</p>}
      items={rows.map((r) => (
        <li key={r.key}>
          <button type="button" class="row" onClick={r.onOpen}>
            <span class="avatar-wrap">
              <Avatar id={r.avatarId} name={r.name} url={r.avatarUrl} size={40} />
              <parts.Presence online={r.online} />
            </span>
            <span class="row-main">
              <span class="row-name">{r.name}</span>
              <span class="row-sub">{r.detail}</span>
            </span>
          </button>
        </li>
      ))}
    />
  );
}

function Highlighted({ text, query }: { text: string; query: string }) {
  return <>{parts.highlightParts(text.replace(/\s+/g, " "), query).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : p.text))}</>;
}

export function SmartSearchResults(props: Props) {
  const { query, chats, messages, contacts } = props;
  return (
    <div
      class="search-results"
      aria-label={t.searchResults}
      role="group"
      onKeyDown={(e) => {
        if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
        e.preventDefault();
        parts.moveFocus(e.target as HTMLElement, e.key === "ArrowDown" ? 1 : -1);
      }}
    >
      {contacts === null ? (
        <Section id="search-contacts" title={t.contacts}>
          <p class="empty muted">{t.loading}</p>
        </Section>
      ) : (
        <Found
          id="contacts-heading"
          title={t.contacts}
          rows={contacts.map((c) => ({
            ...c,
            key: c.id,
            avatarId: c.id,
            online: props.onlineOf(c.id),
            detail: c.department,
            onOpen: () => props.onOpenContact(c.id),
          }))}
        />
      )}
      <Found
        id="search-chats"
        title={t.conversations}
        rows={chats.map((c) => ({ ...c, key: c.chatId, avatarId: c.peerId, onOpen: () => props.onOpenChat(c.chatId) }))}
      />
      <Section id="search-messages" title={t.messages}>
        {messages.items.length > 0 && (
          <ul class="rows" aria-busy={messages.loading}>
            {messages.items.map((m) => (
              <li key={`${m.chatId}:${m.seq}`}>
                {/* A link: it is an address (/c/{chatId}), opened here without reloading. */}
                <a
                  class="row hit"
                  href={m.href}
                  onClick={(e) => {
                    if (e.ctrlKey || e.metaKey || e.shiftKey) return;
                    e.preventDefault();
                    props.onOpenMessage(m.chatId, m.seq);
                  }}
                >
                  <span class="row-main">
                    <span class="row-top">
                      <span class="row-name">{m.chatName}</span>
                      <span class="row-when">{m.when}</span>
                    </span>
                    <span class="hit-text">
                      {m.sender && <span class="row-you">{m.sender}: </span>}
                      <Highlighted text={m.text} query={query} />
                    </span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
        {messages.error ? (
          <p class="empty muted" role="alert">
            {messages.error}
          </p>
        ) : messages.loading ? (
          <p class="empty muted" role="status">
            {t.loading}
          </p>
        ) : messages.items.length === 0 ? (
          <p class="empty muted">{t.noResults}</p>
        ) : (
          messages.hasMore && (
            <button type="button" class="link more" onClick={props.onMoreMessages}>
              {t.loadMore}
            </button>
          )
        )}
      </Section>
    </div>
  );
}
