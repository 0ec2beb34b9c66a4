/**
 * Issue 17.8, "Pesquisar nesta conversa": the results of a search inside the open
 * chat (the room's index ranks them; pages come by offset) and which one is
 * current, moved by Enter / Shift+Enter ("Próximo resultado" / "Resultado
 * anterior"), wrapping around at either end.
 */
import type { SearchHit } from "../../../protocol/hub";
import { tx } from "../i18n-chat-extras";

export type ChatSearch = {
  chatId: string;
  /** The trimmed query the hits answer. */
  q: string;
  hits: SearchHit[];
  hasMore: boolean;
  /** Index of the current hit in `hits`; -1 when none is chosen yet. */
  current: number;
  loading: boolean;
  error: string | null;
};

export const closedSearch = (chatId: string): ChatSearch => ({
  chatId,
  q: "",
  hits: [],
  hasMore: false,
  current: -1,
  loading: false,
  error: null,
});

/** One step forward (1) or back (-1) through the hits, around the ends; the first step from none is the first (or last) hit. */
export function step(s: ChatSearch, by: 1 | -1): ChatSearch {
  const n = s.hits.length;
  if (n === 0) return s;
  const current = s.current === -1 ? (by === 1 ? 0 : n - 1) : (s.current + by + n) % n;
  return { ...s, current };
}

/** "3 de 12" (with "+" while the room has more): where one is among the results. */
export function position(s: Pick<ChatSearch, "current" | "hits" | "hasMore">): string {
  if (s.hits.length === 0) return "";
  return s.current === -1 ? tx.searchCount(s.hits.length, s.hasMore) : tx.searchPosition(s.current + 1, s.hits.length, s.hasMore);
}
