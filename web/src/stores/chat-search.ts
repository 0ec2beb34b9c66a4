/**
 * Issue 17.8, "Pesquisar nesta conversa": a search of the open chat's messages.
 * The query goes to the hub as `search.query` with the chat's id once it has 3
 * characters and typing pauses; the room's index ranks the hits. Enter /
 * Shift+Enter (or the arrows beside the field) go to the next / previous hit,
 * which opens in context (`history.around` when it is not loaded) and is
 * highlighted; near the end of the hits the next page is asked for.
 */
import { signal } from "@preact/signals";
import { MIN_SEARCH, SEARCH_PAGE } from "../../../protocol/hub";
import { closedSearch, step, type ChatSearch } from "../model/chat-search";
import { mergeHits } from "../model/smart-search";
import { jumpTo, openChatId } from "./chat";
import { onUserRoomFrame, sendToUserRoom } from "./inbox";
import type { Lifetime } from "./lifetime";

/** The search of the open chat, or null while "Pesquisar nesta conversa" is closed. */
export const chatSearch = signal<ChatSearch | null>(null);
/** What is typed in its field. */
export const chatSearchText = signal("");

const DEBOUNCE_MS = 250;
/** The page owed (sent, or to send when the hub socket opens). */
let owed: { chatId: string; q: string; offset: number } | null = null;

function send() {
  if (owed) sendToUserRoom({ type: "search.query", q: owed.q, chatId: owed.chatId, offset: owed.offset, limit: SEARCH_PAGE });
}

function ask(s: ChatSearch, offset: number) {
  owed = { chatId: s.chatId, q: s.q, offset };
  chatSearch.value = { ...s, loading: true, error: null };
  send();
}

export function openChatSearch(): void {
  const chatId = openChatId.peek();
  if (!chatId) return;
  if (chatSearch.peek()?.chatId !== chatId) {
    chatSearch.value = closedSearch(chatId);
    chatSearchText.value = "";
  }
}

export function closeChatSearch(): void {
  chatSearch.value = null;
  chatSearchText.value = "";
  owed = null;
}

/** Goes to a hit by its place in the results (a click on one). */
export function showHit(index: number): void {
  const s = chatSearch.peek();
  const hit = s?.hits[index];
  if (!s || !hit) return;
  chatSearch.value = { ...s, current: index };
  jumpTo(hit.seq);
  if (s.hasMore && !s.loading && index >= s.hits.length - 3) ask(chatSearch.peek()!, s.hits.length);
}

/** Enter (1) / Shift+Enter (-1). */
export function stepHit(by: 1 | -1): void {
  const s = chatSearch.peek();
  if (!s || s.hits.length === 0) return;
  showHit(step(s, by).current);
}

export function startChatSearch(life: Lifetime): void {
  life.add(
    onUserRoomFrame({
      onFrame(frame) {
        const s = chatSearch.peek();
        if (!s) return;
        if (frame.type === "search.results") {
          if (frame.chatId !== s.chatId || frame.q !== s.q) return;
          const hits = mergeHits(frame.offset === 0 ? [] : s.hits, frame);
          if (!hits) return;
          owed = null;
          chatSearch.value = {
            ...s,
            hits,
            hasMore: frame.hasMore,
            loading: false,
            error: null,
            current: frame.offset === 0 ? -1 : s.current,
          };
        } else if (frame.type === "error" && !frame.clientId && owed) {
          owed = null;
          chatSearch.value = { ...s, loading: false, error: frame.message };
        }
      },
      onOpen: send,
    }),
  );
  // Another chat opened: its own search starts closed.
  life.effect(() => {
    if (chatSearch.peek() && chatSearch.peek()!.chatId !== openChatId.value) closeChatSearch();
  });
  life.effect(() => {
    const q = chatSearchText.value.trim();
    const s = chatSearch.peek();
    if (!s) return;
    if (q.length < MIN_SEARCH) {
      owed = null;
      chatSearch.value = closedSearch(s.chatId);
      return;
    }
    if (q === s.q) return;
    chatSearch.value = { ...s, loading: true };
    const timer = setTimeout(() => ask({ ...closedSearch(s.chatId), q }, 0), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  });
  life.add(closeChatSearch);
}
