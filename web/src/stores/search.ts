/**
 * "Mensagens" of the smart search (R12): the text of the "Pesquisar" field goes to
 * the hub socket as `search.query` once it has 3 characters, after the typing
 * pauses; answers for a query no longer in the field are dropped; "Carregar mais"
 * asks for the next page by offset. Conversations and contacts are matched in the
 * browser (model/smart-search.ts).
 */
import { signal } from "@preact/signals";
import { MIN_SEARCH, SEARCH_PAGE, type SearchHit } from "../../../protocol/hub";
import { mergeHits } from "../model/smart-search";
import { searchQuery } from "./contacts";
import { onHub, sendToHub } from "./hub";
import type { Lifetime } from "./lifetime";

export type MessageSearch = {
  /** The trimmed query these hits answer; "" when no search is on. */
  q: string;
  hits: SearchHit[];
  hasMore: boolean;
  /** A page was asked for and has not arrived. */
  loading: boolean;
  error: string | null;
};

const idle: MessageSearch = { q: "", hits: [], hasMore: false, loading: false, error: null };
export const messageSearch = signal<MessageSearch>(idle);

const DEBOUNCE_MS = 200;
/** The page owed (sent, or to send when the socket opens). */
let owed: { q: string; offset: number } | null = null;

/** A resend after `rate_limited`, when the hub said how long to wait. */
let retry: ReturnType<typeof setTimeout> | undefined;

function ask(q: string, offset: number) {
  owed = { q, offset };
  messageSearch.value = { ...messageSearch.peek(), q, loading: true, error: null };
  sendToHub({ type: "search.query", q, offset, limit: SEARCH_PAGE });
}

function askOwed() {
  if (owed) sendToHub({ type: "search.query", q: owed.q, offset: owed.offset, limit: SEARCH_PAGE });
}

export function loadMoreHits(): void {
  const s = messageSearch.peek();
  if (s.q && s.hasMore && !s.loading) ask(s.q, s.hits.length);
}

/** Answers "Mensagens" while the session runs: the field's text goes to the user's room once it has 3 characters. */
export function startSearch(life: Lifetime): void {
  life.add(
    onHub({
      onFrame(frame) {
        if (frame.type === "search.results") {
          const s = messageSearch.peek();
          // A search inside one chat ("Pesquisar nesta conversa") is answered to stores/chat-search.ts.
          if (frame.q !== s.q || frame.chatId) return;
          const hits = mergeHits(frame.offset === 0 ? [] : s.hits, frame);
          if (!hits) return;
          owed = null;
          messageSearch.value = { q: s.q, hits, hasMore: frame.hasMore, loading: false, error: null };
        } else if (frame.type === "error" && frame.code === "rate_limited" && owed) {
          clearTimeout(retry);
          retry = setTimeout(askOwed, frame.retryAfterMs ?? 1_000);
        } else if (frame.type === "error" && !frame.clientId && owed && messageSearch.peek().loading) {
          owed = null;
          messageSearch.value = { ...messageSearch.peek(), loading: false, error: frame.message };
        }
      },
      onOpen: askOwed,
    }),
  );

  life.effect(() => {
    const q = searchQuery.value.trim();
    if (q.length < MIN_SEARCH) {
      owed = null;
      messageSearch.value = idle;
      return;
    }
    // Typing on: the old hits stay greyed as "Carregando…" until the new answer.
    messageSearch.value = { ...messageSearch.peek(), loading: true };
    const timer = setTimeout(() => {
      messageSearch.value = { ...idle, q, loading: true };
      ask(q, 0);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  });
  life.add(() => {
    clearTimeout(retry);
    owed = null;
    messageSearch.value = idle;
  });
}
