import { describe, expect, it } from "vitest";
import type { Message } from "../../../protocol/frames";
import { applyAround, applyMessage, applyPage, applyReady, emptyHistory, mergeBySeq, oldestSeq } from "./history";

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
