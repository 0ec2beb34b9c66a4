/**
 * "Mensagens" of the smart search (R12): the text of the "Pesquisar" field goes to
 * the user's room as `search.query` once it has 3 characters, after the typing
 * pauses; answers for a query no longer in the field are dropped; "Carregar mais"
 * asks for the next page by offset. Conversations and contacts are matched in the
 * browser (model/smart-search.ts).
 */
import { signal } from "@preact/signals";
import { MIN_SEARCH, SEARCH_PAGE, type SearchHit } from "../../../protocol/frames";
import { mergeHits } from "../model/smart-search";
import { searchQuery } from "./contacts";
import { onUserRoomFrame, sendToUserRoom } from "./inbox";
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

function ask(q: string, offset: number) {
  owed = { q, offset };
  messageSearch.value = { ...messageSearch.peek(), q, loading: true, error: null };
  sendToUserRoom({ type: "search.query", q, offset, limit: SEARCH_PAGE });
}

export function loadMoreHits(): void {
  const s = messageSearch.peek();
  if (s.q && s.hasMore && !s.loading) ask(s.q, s.hits.length);
}

/** Answers "Mensagens" while the session runs: the field's text goes to the user's room once it has 3 characters. */
export function startSearch(life: Lifetime): void {
  life.add(
    onUserRoomFrame({
      onFrame(frame) {
        if (frame.type === "search.results") {
          const s = messageSearch.peek();
          // A search inside one chat ("Pesquisar nesta conversa") is answered to stores/chat-search.ts.
          if (frame.q !== s.q || frame.chatId) return;
          const hits = mergeHits(frame.offset === 0 ? [] : s.hits, frame);
          if (!hits) return;
          owed = null;
          messageSearch.value = { q: s.q, hits, hasMore: frame.hasMore, loading: false, error: null };
        } else if (frame.type === "error" && !frame.clientId && owed) {
          // The user room answers only searches with errors (calls use their own socket).
          owed = null;
          messageSearch.value = { ...messageSearch.peek(), loading: false, error: frame.message };
        }
      },
      onOpen() {
        if (owed) sendToUserRoom({ type: "search.query", q: owed.q, offset: owed.offset, limit: SEARCH_PAGE });
      },
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
    owed = null;
    messageSearch.value = idle;
  });
}
