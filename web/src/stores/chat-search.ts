/**
 * Issue 17.8, "Pesquisar nesta conversa": a search of the open chat's messages.
 * The query goes to the hub as `search.query` with the chat's id once it has 3
 * characters and typing pauses; the room's index ranks the hits. Enter /
 * Shift+Enter (or the arrows beside the field) go to the next / previous hit,
 * which opens in context (`history.around` when it is not loaded) and is
 * highlighted; near the end of the hits the next page is asked for. It is loaded
 * with its panel (on demand), reaches the rest through stores/chat-extras-host.ts,
 * and runs while the panel is open, for one chat.
 */
import { effect, signal } from "@preact/signals";
import { closedSearch, step, type ChatSearch } from "../model/chat-search";
import { host } from "./extras-host";
import type { Stop } from "./lifetime";

/** The search of the open chat. */
export const chatSearch = signal<ChatSearch>(closedSearch(""));
/** What is typed in its field. */
export const chatSearchText = signal("");

const DEBOUNCE_MS = 250;
/** The page owed (sent, or to send when the hub socket opens). */
let owed: { chatId: string; q: string; offset: number } | null = null;

function send() {
  if (owed) host.sendToHub({ type: "search.query", q: owed.q, chatId: owed.chatId, offset: owed.offset, limit: host.searchPage });
}

function ask(s: ChatSearch, offset: number) {
  owed = { chatId: s.chatId, q: s.q, offset };
  chatSearch.value = { ...s, loading: true, error: null };
  send();
}

export function closeChatSearch(): void {
  host.searchingChat.value = false;
}

/** Goes to a hit by its place in the results (a click on one). */
export function showHit(index: number): void {
  const s = chatSearch.peek();
  const hit = s.hits[index];
  if (!hit) return;
  chatSearch.value = { ...s, current: index };
  host.jumpTo(hit.seq);
  if (s.hasMore && !s.loading && index >= s.hits.length - 3) ask(chatSearch.peek(), s.hits.length);
}

/** Enter (1) / Shift+Enter (-1). */
export function stepHit(by: 1 | -1): void {
  const s = chatSearch.peek();
  if (s.hits.length === 0) return;
  showHit(step(s, by).current);
}

/** Runs the search of one chat while its panel is open; opening another chat closes it. Returns the way to stop. */
export function startChatSearch(chatId: string): Stop {
  chatSearch.value = closedSearch(chatId);
  // What was typed before this ran (the field shows before its effects run) is searched, not wiped:
  // the text is cleared when the search stops.
  const stops = [
    host.onHub({
      onFrame(frame) {
        const s = chatSearch.peek();
        if (frame.type === "search.results") {
          if (frame.chatId !== s.chatId || frame.q !== s.q) return;
          const hits = host.mergeHits(frame.offset === 0 ? [] : s.hits, frame);
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
    effect(() => {
      if (host.openChatId.value !== chatId) closeChatSearch();
    }),
    effect(() => {
      const q = chatSearchText.value.trim();
      const s = chatSearch.peek();
      if (q.length < host.minSearch) {
        owed = null;
        chatSearch.value = closedSearch(chatId);
        return;
      }
      if (q === s.q) return;
      chatSearch.value = { ...s, loading: true };
      const timer = setTimeout(() => ask({ ...closedSearch(chatId), q }, 0), DEBOUNCE_MS);
      return () => clearTimeout(timer);
    }),
  ];
  return () => {
    for (const stop of stops) stop();
    owed = null;
    chatSearch.value = closedSearch("");
    chatSearchText.value = "";
  };
}
