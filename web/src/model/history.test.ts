import { describe, expect, it } from "vitest";
import type { Message } from "../../../protocol/chat";
import {
  applyAround,
  applyMessage,
  applyPage,
  applyReady,
  applyReadyCatchingUp,
  applySince,
  continues,
  emptyHistory,
  hold,
  mergeBySeq,
  newestSeq,
  oldestSeq,
  settle,
  type History,
} from "./history";

const msg = (seq: number): Message => ({
  id: `dm.ana.bruno:${seq}`,
  seq,
  chatId: "dm.ana.bruno",
  clientId: `client${seq}xx`,
  senderId: seq % 2 ? "ana" : "bruno",
  text: `m${seq}`,
  createdAt: 1_000 * seq,
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => msg(from + i));
const seqs = (ms: readonly Message[]) => ms.map((m) => m.seq);

describe("chat history merge", () => {
  it("R8: keeps messages in chronological (seq) order without duplicates", () => {
    expect(seqs(mergeBySeq([msg(3), msg(1)], [msg(2), msg(3)]))).toEqual([1, 2, 3]);
  });

  it("a message.new that arrives before chat.ready is kept once", () => {
    let h = applyMessage(emptyHistory, msg(51));
    h = applyReady(h, { messages: range(2, 51), hasMore: true });
    expect(seqs(h.messages)).toEqual(seqs(range(2, 51)));
    h = applyMessage(emptyHistory, msg(52));
    h = applyReady(h, { messages: range(2, 51), hasMore: true });
    expect(seqs(h.messages)).toEqual(seqs(range(2, 52)));
    expect(h.hasMore).toBe(true);
  });

  it("R8: an older page is prepended and says whether there is more", () => {
    let h = applyReady(emptyHistory, { messages: range(51, 100), hasMore: true });
    h = applyPage(h, { before: 51, messages: range(1, 50), hasMore: false });
    expect(seqs(h.messages)).toEqual(seqs(range(1, 100)));
    expect(h.hasMore).toBe(false);
    expect(oldestSeq(h)).toBe(1);
  });

  it("a page for another starting point is ignored, so no hole appears", () => {
    const h = applyReady(emptyHistory, { messages: range(51, 100), hasMore: true });
    expect(applyPage(h, { before: 40, messages: range(1, 39), hasMore: false })).toBe(h);
  });

  it("a reconnection that joins what is loaded keeps the older pages", () => {
    let h = applyReady(emptyHistory, { messages: range(51, 100), hasMore: true });
    h = applyPage(h, { before: 51, messages: range(1, 50), hasMore: false });
    h = applyReady(h, { messages: range(61, 110), hasMore: true });
    expect(seqs(h.messages)).toEqual(seqs(range(1, 110)));
    expect(h.hasMore).toBe(false);
  });

  it("a reconnection after many missed messages starts over from the newest page", () => {
    let h = applyReady(emptyHistory, { messages: range(1, 50), hasMore: false });
    h = applyReady(h, { messages: range(201, 250), hasMore: true });
    expect(seqs(h.messages)).toEqual(seqs(range(201, 250)));
    expect(h.hasMore).toBe(true);
  });

  it("an empty chat is loaded with nothing more to fetch", () => {
    const h = applyReady(emptyHistory, { messages: [], hasMore: false });
    expect(h).toEqual({ messages: [], hasMore: false, loaded: true });
  });
});

describe("jumping to a replied-to message", () => {
  it("R10: a page around an older message that joins the loaded ones merges, and paging goes on from its start", () => {
    const h = applyReady(emptyHistory, { messages: range(51, 100), hasMore: true });
    const next = applyAround(h, { messages: range(20, 50), hasMore: true });
    expect(seqs(next.messages)).toEqual(range(20, 100).map((m) => m.seq));
    expect(next.hasMore).toBe(true);
    expect(applyAround(h, { messages: range(1, 50), hasMore: false }).hasMore).toBe(false);
  });

  it("R10: a far older page is kept with the loaded newest page, in order, without duplicates", () => {
    const h = applyReady(emptyHistory, { messages: range(901, 950), hasMore: true });
    const next = applyAround(h, { messages: range(10, 40), hasMore: true });
    expect(next.messages[0]!.seq).toBe(10);
    expect(next.messages.at(-1)!.seq).toBe(950);
    expect(new Set(seqs(next.messages)).size).toBe(next.messages.length);
  });

  it("R10: a page already loaded changes nothing but replaces edited copies", () => {
    const h = applyReady(emptyHistory, { messages: range(1, 10), hasMore: false });
    const deleted = { ...msg(5), text: "", deleted: true };
    const next = applyAround(h, { messages: [msg(4), deleted, msg(6)], hasMore: true });
    expect(seqs(next.messages)).toEqual(seqs(h.messages));
    expect(next.messages[4]!.deleted).toBe(true);
    expect(next.hasMore).toBe(false);
  });
});

describe("catching up (issue 15)", () => {
  const loaded = (from: number, to: number): History => ({ messages: range(from, to), hasMore: from > 1, loaded: true });
  const contiguous = (h: History) => seqs(h.messages).every((s, i, all) => i === 0 || s === all[i - 1]! + 1);

  it("issue 15: a message.new that skips waits until history.since fills the hole, then both show, once and in order", () => {
    const h = loaded(1, 10);
    expect(continues(h, 11)).toBe(true);
    expect(continues(h, 13)).toBe(false);
    let ahead = hold([], [msg(13)]);
    // The answer to `history.since {after: 10}` brings 11..13.
    const filled = applySince(h, { after: 10, messages: range(11, 13) });
    const done = settle(filled, ahead);
    ahead = done.ahead;
    expect(seqs(done.history.messages)).toEqual(seqs(range(1, 13)));
    expect(ahead).toEqual([]);
  });

  it("a since page that answers an older ask is ignored", () => {
    const h = loaded(1, 12);
    expect(applySince(h, { after: 10, messages: range(11, 12) })).toBe(h);
  });

  it("a reconnection that missed a few messages keeps what was loaded and waits for the gap; a long absence starts over", () => {
    const h = loaded(1, 120);
    const near = applyReadyCatchingUp(h, { messages: range(151, 200), hasMore: true });
    expect(newestSeq(near.history)).toBe(120);
    expect(seqs(near.ahead)).toEqual(seqs(range(151, 200)));
    const far = applyReadyCatchingUp(h, { messages: range(951, 1000), hasMore: true });
    expect(seqs(far.history.messages)).toEqual(seqs(range(951, 1000)));
    expect(far.ahead).toEqual([]);
    const joined = applyReadyCatchingUp(h, { messages: range(100, 149), hasMore: true });
    expect(seqs(joined.history.messages)).toEqual(seqs(range(1, 149)));
  });

  it("issue 15: whatever is lost or reordered live, what is shown never has a hole or a duplicate and ends complete", () => {
    let seed = 15;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let run = 0; run < 200; run++) {
      const total = 20 + Math.floor(rnd() * 60);
      const log = range(1, total);
      let h: History = { messages: range(1, 5), hasMore: false, loaded: true };
      let ahead: Message[] = [];
      // Live delivery of 6..total: some frames lost, some swapped with the next.
      const live = log.slice(5).filter(() => rnd() > 0.2);
      for (let i = 0; i + 1 < live.length; i++) if (rnd() < 0.2) [live[i], live[i + 1]] = [live[i + 1]!, live[i]!];
      const catchUp = () => {
        // The room answers history.since in pages of 7.
        for (;;) {
          const after = newestSeq(h) ?? 0;
          const page = log.filter((m) => m.seq > after).slice(0, 7);
          h = applySince(h, { after, messages: page });
          ({ history: h, ahead } = settle(h, ahead));
          if (page.length < 7) break;
        }
      };
      for (const m of live) {
        if (continues(h, m.seq)) ({ history: h, ahead } = settle(applyMessage(h, m), ahead));
        else {
          ahead = hold(ahead, [m]);
          if (rnd() < 0.5) catchUp();
        }
        expect(contiguous(h)).toBe(true);
      }
      // The last message may have been lost too: the list's summary (a higher seq) asks once more.
      if (newestSeq(h)! < total) catchUp();
      expect(seqs(h.messages)).toEqual(seqs(log));
      expect(ahead).toEqual([]);
    }
  });
});
