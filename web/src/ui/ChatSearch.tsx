/**
 * Issue 17.8, "Pesquisar nesta conversa" (on demand, its own chunk): a search
 * field under the chat header with where one is ("2 de 7"), "Resultado
 * anterior" / "Próximo resultado" (Shift+Enter / Enter) and "Fechar pesquisa"
 * (Escape), and the results — sender, date and the text with the matches in
 * `<mark>` — each opening the message in context. The panel runs the chat's
 * search (stores/chat-search.ts, loaded with it) while it is open.
 */
import { useEffect, useRef } from "preact/hooks";
import { now } from "../stores/clock";
import { host, nameOf } from "../stores/extras-host";
import { chatSearch, chatSearchText, showHit, startChatSearch, stepHit } from "../stores/chat-search";
import { t } from "../i18n";
import { tx } from "../i18n-chat-extras";
import { position, type ChatSearch as Search } from "../model/chat-search";
import { dayLabel, formatTime } from "../model/dates";
import { ChevronDownIcon, ChevronUpIcon } from "./extras-icons";
import { CloseIcon } from "./icon-frame";
import { uiHost } from "./extras-ui-host";

type Props = {
  search: Search;
  text: string;
  onText(text: string): void;
  onStep(by: 1 | -1): void;
  onShow(index: number): void;
  onClose(): void;
  nameOf(userId: string): string;
  now: number;
};

function ChatSearch({ search, text, onText, onStep, onShow, onClose, nameOf, now }: Props) {
  const field = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => field.current?.focus(), []);
  // The current result stays in view in the list as Enter moves through it.
  useEffect(() => {
    list.current?.querySelector('[aria-current="true"]')?.scrollIntoView({ block: "nearest" });
  }, [search.current]);

  const none = search.q && !search.loading && !search.error && search.hits.length === 0;
  return (
    <div class="chat-search">
      <div class="chat-search-bar" role="search" aria-label={t.searchInChat}>
        <uiHost.SearchInput
          inputRef={field}
          label={t.searchInChat}
          value={text}
          onValue={onText}
          keys={{ Enter: (e) => onStep(e.shiftKey ? -1 : 1), Escape: onClose }}
          aria-describedby="chat-search-status"
        />
        <span id="chat-search-status" class="chat-search-count muted small" role="status">
          {search.error ??
            (none
              ? t.noResults
              : text.trim().length > 0 && text.trim().length < host.minSearch
                ? t.searchHint(host.minSearch)
                : position(search))}
        </span>
        <uiHost.IconButton class="small" label={tx.previousResult} disabled={search.hits.length === 0} onClick={() => onStep(-1)}>
          <ChevronUpIcon size={18} />
        </uiHost.IconButton>
        <uiHost.IconButton class="small" label={tx.nextResult} disabled={search.hits.length === 0} onClick={() => onStep(1)}>
          <ChevronDownIcon size={18} />
        </uiHost.IconButton>
        <uiHost.IconButton class="small" label={tx.closeSearch} onClick={onClose}>
          <CloseIcon size={18} />
        </uiHost.IconButton>
      </div>
      {search.hits.length > 0 && (
        <ol ref={list} class="chat-search-results" aria-label={t.searchResults}>
          {search.hits.map((h, i) => (
            <li key={h.seq}>
              <button type="button" class="chat-search-hit" aria-current={i === search.current} onClick={() => onShow(i)}>
                <span class="chat-hit-head">
                  <strong>{nameOf(h.senderId)}</strong>
                  <time class="muted small">
                    {dayLabel(h.createdAt, now)} {formatTime(h.createdAt)}
                  </time>
                </span>
                <span class="chat-hit-text">
                  {host
                    .highlightParts(h.text.replace(/\s+/g, " "), search.q)
                    .map((p, k) => (p.mark ? <mark key={k}>{p.text}</mark> : p.text))}
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export default function ChatSearchPanel({ chatId, onClose }: { chatId: string; onClose(): void }) {
  useEffect(() => startChatSearch(chatId), [chatId]);
  return (
    <ChatSearch
      search={chatSearch.value}
      text={chatSearchText.value}
      onText={(text) => (chatSearchText.value = text)}
      onStep={stepHit}
      onShow={showHit}
      // Closed from inside (Escape, the cross): the focus goes back to the header's button.
      onClose={() => {
        onClose();
        document.querySelector<HTMLElement>(".chat-header .search-toggle")?.focus();
      }}
      nameOf={nameOf}
      now={now.value}
    />
  );
}
