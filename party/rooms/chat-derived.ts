/**
 * What a conversation room derives from its stored log (domain/chat-index.ts):
 * each member's unread count for their inbox (R6, R20) and the text the smart
 * search finds (R12). The index is built from storage the first time it is
 * needed and then catches up with whatever was stored since, so it never holds
 * anything the log does not: a message counts only once it is in storage.
 */
import type { Message, SearchHit } from "../../protocol";

/** A search hit before its text is read: what ranking needs. */
export type RankedHit = Omit<SearchHit, "text">;
import { ChatIndex, searchableText, type UnreadState } from "../domain/chat-index";
import { msgKey } from "./chat-log";
import type { RoomHost } from "./host";

const LOAD_PAGE = 500;

export type ChatDerivedContext = {
  host: RoomHost;
  chatId: string;
  lastSeq(): number;
  readCursor(member: string): number;
};

export function chatDerived({ host, chatId, lastSeq, readCursor }: ChatDerivedContext) {
  const index = new ChatIndex();
  /** Catch-ups run one after another so a message is never taken in twice or out of order. */
  let catchingUp: Promise<void> = Promise.resolve();

  /** The index, up to date with the log as stored now. */
  function current(): Promise<ChatIndex> {
    const run = catchingUp.then(async () => {
      while (index.upTo < lastSeq()) {
        const page = await host.storage.list<Message>({
          prefix: "m:",
          start: msgKey(index.upTo + 1),
          end: msgKey(lastSeq() + 1),
          limit: LOAD_PAGE,
        });
        if (page.size === 0) break;
        for (const m of page.values()) index.add(m);
      }
    });
    catchingUp = run.catch((err) => console.error(`chat index ${chatId}`, err));
    return run.then(() => index);
  }

  return {
    async unreadFor(member: string): Promise<UnreadState> {
      return (await current()).unread(member, readCursor(member));
    },
    /**
     * A stored message was deleted. Queued behind any catch-up in flight, which may
     * have read it before the deletion; one that has not reached it reads it deleted.
     */
    deleted(seq: number): void {
      catchingUp = catchingUp.then(() => index.delete(seq));
    },
    /** The chat's best `limit` hits, from the index alone (the user room picks the page's winners across chats). */
    async search(q: string, limit: number): Promise<RankedHit[]> {
      return (await current()).search(q, limit).map((h) => ({ chatId, ...h }));
    },
    /** The words shown for the page's winners; a message deleted since the ranking is left out. */
    async texts(seqs: number[]): Promise<Record<number, string>> {
      const keys = seqs.map(msgKey);
      const texts: Record<number, string> = {};
      // Storage reads take at most 128 keys at a time.
      for (let i = 0; i < keys.length; i += 128)
        for (const m of (await host.storage.get<Message>(keys.slice(i, i + 128))).values())
          if (!m.deleted) texts[m.seq] = searchableText(m);
      return texts;
    },
  };
}
