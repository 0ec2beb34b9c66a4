/**
 * The loaded part of one chat's history (R8): messages by `seq`, merged from
 * `chat.ready`, `history.page`, `message.new` and `message.ack` in whatever order
 * they arrive, never duplicated and never with a hole in the middle. Only what was
 * loaded is kept, so a chat with 10,000 messages costs as little as one with 10.
 */
import type { Message } from "../../../protocol/chat";

export type History = {
  messages: Message[];
  /** Whether the server has messages older than the oldest loaded one. */
  hasMore: boolean;
  /** Whether a `chat.ready` arrived on this connection's chat. */
  loaded: boolean;
};

export const emptyHistory: History = { messages: [], hasMore: false, loaded: false };

/** Both lists as one, ascending by seq, one message per seq. */
export function mergeBySeq(a: readonly Message[], b: readonly Message[]): Message[] {
  const bySeq = new Map<number, Message>();
  for (const m of a) bySeq.set(m.seq, m);
  for (const m of b) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq);
}

export function oldestSeq(h: History): number | null {
  return h.messages[0]?.seq ?? null;
}

/**
 * The newest page, on every (re)connection. Older messages already loaded are kept
 * only if they join the page; after a long disconnection they would leave a hole,
 * so the page starts over and older ones load again on scroll.
 */
export function applyReady(h: History, page: { messages: readonly Message[]; hasMore: boolean }): History {
  const first = page.messages[0]?.seq;
  const last = page.messages.at(-1)?.seq;
  if (first === undefined || last === undefined) return { messages: [...h.messages], hasMore: false, loaded: true };
  const older = h.messages.filter((m) => m.seq < first);
  const joins = h.messages.some((m) => m.seq >= first - 1 && m.seq <= last);
  if (older.length > 0 && joins) return { messages: mergeBySeq(h.messages, page.messages), hasMore: h.hasMore, loaded: true };
  const newer = h.messages.filter((m) => m.seq > last);
  return { messages: mergeBySeq(page.messages, newer), hasMore: page.hasMore, loaded: true };
}

/** An older page; ignored unless it continues exactly where the loaded history starts. */
export function applyPage(h: History, page: { before: number; messages: readonly Message[]; hasMore: boolean }): History {
  if (page.before !== oldestSeq(h)) return h;
  return { ...h, messages: mergeBySeq(page.messages, h.messages), hasMore: page.hasMore };
}

/** A live message (`message.new` or our own `message.ack`). */
export function applyMessage(h: History, message: Message): History {
  return { ...h, messages: mergeBySeq(h.messages, [message]) };
}

/**
 * The page around a message (`history.around`, to show a replied-to original).
 * When it joins the loaded history the two merge and paging goes on from the
 * page's start; when it does not, the loaded messages are kept above a gap
 * rather than dropped, and older pages continue from the page's start.
 */
export function applyAround(h: History, page: { messages: readonly Message[]; hasMore: boolean }): History {
  const first = page.messages[0]?.seq;
  if (first === undefined) return h;
  const oldest = oldestSeq(h);
  const extendsOlder = oldest === null || first < oldest;
  return { ...h, messages: mergeBySeq(h.messages, page.messages), hasMore: extendsOlder ? page.hasMore : h.hasMore };
}

// ---- catching up (issue 15): no message is ever shown after a hole ----------

export function newestSeq(h: History): number | null {
  return h.messages.at(-1)?.seq ?? null;
}

/**
 * Whether a live message can join the loaded history now: it is not beyond the
 * newest loaded one by more than one. One further ahead means some message was
 * missed; it waits (`ahead`) while `history.since` brings what is in between.
 */
export function continues(h: History, seq: number): boolean {
  const newest = newestSeq(h);
  return newest === null || seq <= newest + 1;
}

/** The messages waiting beyond a gap, one per seq, ascending; a later copy of a seq (an update) wins. */
export function hold(ahead: readonly Message[], messages: readonly Message[]): Message[] {
  return mergeBySeq(ahead, messages);
}

/** Moves every held message that now continues the history into it; the rest keep waiting. */
export function settle(h: History, ahead: readonly Message[]): { history: History; ahead: Message[] } {
  let history = h;
  const waiting: Message[] = [];
  for (const m of mergeBySeq([], ahead)) {
    if (continues(history, m.seq)) history = applyMessage(history, m);
    else waiting.push(m);
  }
  return { history, ahead: waiting };
}

/** A page of `history.since`: merged only if it continues from the newest loaded message (else it answers an older ask). */
export function applySince(h: History, page: { after: number; messages: readonly Message[] }): History {
  if (page.after !== (newestSeq(h) ?? 0)) return h;
  return { ...h, messages: mergeBySeq(h.messages, page.messages) };
}

/**
 * Most messages a reconnection catches up on through `history.since` while keeping
 * what was loaded; beyond that the newest page starts the history over (applyReady).
 */
export const CATCH_UP_MAX = 400;

/**
 * `chat.ready` on a reconnection: when its newest page does not join what is
 * loaded but the gap is small, what is loaded stays and the page waits beyond the
 * gap (the caller asks `history.since` for what is in between); otherwise as
 * applyReady.
 */
export function applyReadyCatchingUp(
  h: History,
  page: { messages: readonly Message[]; hasMore: boolean },
): { history: History; ahead: Message[] } {
  const newest = newestSeq(h);
  const first = page.messages[0]?.seq;
  if (h.loaded && newest !== null && first !== undefined && first > newest + 1 && first - newest - 1 <= CATCH_UP_MAX)
    return { history: { ...h, loaded: true }, ahead: [...page.messages] };
  return { history: applyReady(h, page), ahead: [] };
}
