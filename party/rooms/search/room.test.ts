/**
 * The company's message index (R12) through our own seams, on the same SQLite
 * FTS5 the runtime has: accents and case folded, every word required, word
 * starts ranked above the middle of words, then newest; only the chats asked
 * for; deleted messages gone; pages stable.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { MemoryWorld, type MemoryRoom } from "../../../test/support/memory-host";
import { INDEX_SLICE, searchRoom } from "./room";

let room: MemoryRoom<"search">;
beforeEach(() => {
  room = new MemoryWorld({ search: searchRoom }).room("search", "acme");
});

const doc = (seq: number, text: string, createdAt = 1000 + seq) => ({ seq, senderId: "ana", createdAt, text });

async function search(q: string, chatIds: string[], offset = 0, limit = 20) {
  const res = await room.rpc("search.query", { chatIds, q, offset, limit });
  if (!res.ok) throw new Error(res.message);
  return res.value;
}

describe("R12 Mensagens", () => {
  it("ignores case and accents, needs every word, and ranks word starts above the middle of words, then newest", async () => {
    await room.rpc("search.index", {
      chatId: "dm.a.b",
      docs: [doc(1, "Relatório de março"), doc(2, "relatorio-abril.pdf"), doc(3, "correlato"), doc(4, "relatório mensal")],
      removed: [],
    });
    expect((await search("relat", ["dm.a.b"])).hits.map((h) => h.seq)).toEqual([4, 2, 1, 3]);
    expect((await search("RELATÓRIO mensal", ["dm.a.b"])).hits.map((h) => h.seq)).toEqual([4]);
    expect((await search("lat", ["dm.a.b"])).hits.map((h) => [h.seq, h.score])).toEqual([
      [4, 1],
      [3, 1],
      [2, 1],
      [1, 1],
    ]);
    expect((await search("rel anual", ["dm.a.b"])).hits).toEqual([]);
  });

  it("issue 15: a batch longer than a slice lets other work run between its slices, indexes each message once, and sent again changes nothing", async () => {
    const docs = Array.from({ length: 2 * INDEX_SLICE + 10 }, (_, i) => doc(i + 1, `lote ${i + 1}`));
    let ranBetween = false;
    const indexing = room.rpc("search.index", { chatId: "dm.a.b", docs, removed: [] });
    setTimeout(() => (ranBetween = true), 0);
    const first = await indexing;
    expect([first, ranBetween]).toEqual([{ ok: true, value: { indexed: docs.length } }, true]);
    expect(await room.rpc("search.index", { chatId: "dm.a.b", docs, removed: [] })).toEqual({ ok: true, value: { indexed: 0 } });
    const seqs: number[] = [];
    for (let offset = 0; offset < docs.length + 100; offset += 100)
      seqs.push(...(await search("lote", ["dm.a.b"], offset, 100)).hits.map((h) => h.seq));
    expect(seqs).toEqual(docs.map((d) => d.seq).reverse());
  });

  it("issue 15: the indexes merge their segments in steps sized to each slice, with FTS5's own merging (a whole merge inside one insert) off", async () => {
    for (let b = 0; b < 60; b++) {
      const docs = Array.from({ length: 8 }, (_, i) => doc(b * 8 + i + 1, `lote ${b} mensagem ${i} relatório`));
      await room.rpc("search.index", { chatId: "dm.a.b", docs, removed: [] });
    }
    const db = room.storage;
    for (const t of ["docs_words", "docs_grams"]) {
      // FTS5's own merging is off…
      expect(db.one<{ v: number }>(`SELECT v FROM ${t}_config WHERE k = 'automerge'`)?.v).toBe(0);
      // …and the index does not pile up segments: 4 here after 60 slices; with no merging, 15 (FTS5's crisis merge).
      expect(db.one<{ n: number }>(`SELECT count(DISTINCT segid) AS n FROM ${t}_idx`)!.n).toBeLessThanOrEqual(8);
    }
    expect((await search("relat", ["dm.a.b"], 0, 100)).hits).toHaveLength(100);
    expect((await search("lote 59", ["dm.a.b"], 0, 100)).hits).toHaveLength(8);
  });

  it("only the chats asked for (the user's, now), never a deleted message", async () => {
    await room.rpc("search.index", { chatId: "dm.a.b", docs: [doc(1, "pedido urgente"), doc(2, "pedido apagado")], removed: [] });
    await room.rpc("search.index", { chatId: "dm.c.d", docs: [doc(1, "pedido de outros")], removed: [] });
    await room.rpc("search.index", { chatId: "dm.a.b", docs: [], removed: [2] });
    expect((await search("pedido", ["dm.a.b"])).hits.map((h) => h.text)).toEqual(["pedido urgente"]);
    expect((await search("pedido", [])).hits).toEqual([]);
  });

  it("one term inside words: word starts first, then every inside match newest first, page after page, as a recomputation over all", async () => {
    // 60 messages: every fifth has the term at a word start, the rest inside a word, in mixed times.
    const docs = Array.from({ length: 60 }, (_, i) => doc(i + 1, i % 5 === 0 ? `latão ${i}` : `correlato ${i}`, 1000 + ((i * 37) % 60)));
    await room.rpc("search.index", { chatId: "dm.a.b", docs, removed: [] });
    const expected = [...docs]
      .sort((a, b) => Number(a.text.startsWith("correlato")) - Number(b.text.startsWith("correlato")) || b.createdAt - a.createdAt)
      .map((d) => d.seq);
    const got: number[] = [];
    for (let offset = 0; ; offset += 20) {
      const page = await search("lat", ["dm.a.b"], offset);
      got.push(...page.hits.map((h) => h.seq));
      if (!page.hasMore) break;
    }
    expect(got).toEqual(expected);
  });

  it("pages are stable and complete; a message indexed twice counts once", async () => {
    const docs = Array.from({ length: 25 }, (_, i) => doc(i + 1, `férias número ${i}`));
    await room.rpc("search.index", { chatId: "dm.a.b", docs, removed: [] });
    await room.rpc("search.index", { chatId: "dm.a.b", docs: docs.slice(0, 5), removed: [] });
    const first = await search("ferias", ["dm.a.b"]);
    const second = await search("ferias", ["dm.a.b"], 20);
    expect(first.hasMore).toBe(true);
    expect(second.hasMore).toBe(false);
    const seqs = [...first.hits, ...second.hits].map((h) => h.seq);
    expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
  });
});
