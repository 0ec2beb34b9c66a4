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

  it("issue 15: both indexes stay exactly in step with the rows (FTS5 integrity-check) through indexing, resends, removals and forgetting", async () => {
    const integrity = () => {
      // For an external-content table, integrity-check compares the index with the rows it indexes: it throws on any difference.
      for (const t of ["docs_words", "docs_grams"]) room.storage.run(`INSERT INTO ${t}(${t}, rank) VALUES ('integrity-check', 1)`);
    };
    const docs = Array.from({ length: 40 }, (_, i) => doc(i + 1, `pedido ${i} relatório número ${i % 7}`));
    await room.rpc("search.index", { chatId: "dm.a.b", docs, removed: [] });
    await room.rpc("search.index", { chatId: "dm.c.d", docs: docs.slice(0, 10), removed: [] });
    integrity();
    // 7 is removed and comes back (an edit: its new text rides in the same batch); 3 goes; 99 was never there.
    await room.rpc("search.index", { chatId: "dm.a.b", docs: docs.slice(5, 15), removed: [3, 7, 99] });
    integrity();
    expect((await search("pedido", ["dm.a.b"], 0, 100)).hits.map((h) => h.seq)).not.toContain(3);
    expect(await room.rpc("search.forgetBefore", { chatId: "dm.a.b", seq: 20 })).toEqual({ ok: true, value: { removed: 19 } });
    integrity();
    expect((await search("relat", ["dm.a.b"], 0, 100)).hits.map((h) => h.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 21),
    );
    expect((await search("lat", ["dm.c.d"], 0, 100)).hits).toHaveLength(10);
  });

  it("issue 18.6: forgetting a long expired prefix goes in slices, other work running between them; the indexes stay in step", async () => {
    const docs = Array.from({ length: 2 * INDEX_SLICE + 5 }, (_, i) => doc(i + 1, `antiga ${i + 1}`));
    await room.rpc("search.index", { chatId: "dm.a.b", docs, removed: [] });
    let ranBetween = false;
    const forgetting = room.rpc("search.forgetBefore", { chatId: "dm.a.b", seq: 2 * INDEX_SLICE });
    setTimeout(() => (ranBetween = true), 0);
    expect([await forgetting, ranBetween]).toEqual([{ ok: true, value: { removed: 2 * INDEX_SLICE } }, true]);
    for (const t of ["docs_words", "docs_grams"]) room.storage.run(`INSERT INTO ${t}(${t}, rank) VALUES ('integrity-check', 1)`);
    expect((await search("antiga", ["dm.a.b"], 0, 100)).hits.map((h) => h.seq)).toEqual([5, 4, 3, 2, 1].map((k) => 2 * INDEX_SLICE + k));
  });

  it("issue 15: an index made by an earlier release (kept in step by triggers) loses its triggers and goes on, found and removable as before", async () => {
    const db = room.storage;
    // The earlier release's schema and two rows written through its triggers.
    db.run(
      "CREATE TABLE docs (id INTEGER PRIMARY KEY, chat_id TEXT NOT NULL, seq INTEGER NOT NULL, sender TEXT NOT NULL, created_at INTEGER NOT NULL, text TEXT NOT NULL)",
    );
    db.run("CREATE UNIQUE INDEX docs_by_message ON docs(chat_id, seq)");
    db.run(
      "CREATE VIRTUAL TABLE docs_words USING fts5(text, content='docs', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    );
    db.run("CREATE VIRTUAL TABLE docs_grams USING fts5(text, content='docs', content_rowid='id', tokenize='trigram remove_diacritics 1')");
    db.run(`CREATE TRIGGER docs_ai AFTER INSERT ON docs BEGIN
      INSERT INTO docs_words(rowid, text) VALUES (new.id, new.text); INSERT INTO docs_grams(rowid, text) VALUES (new.id, new.text); END`);
    db.run(`CREATE TRIGGER docs_ad AFTER DELETE ON docs BEGIN
      INSERT INTO docs_words(docs_words, rowid, text) VALUES ('delete', old.id, old.text);
      INSERT INTO docs_grams(docs_grams, rowid, text) VALUES ('delete', old.id, old.text); END`);
    db.run("INSERT INTO docs(id, chat_id, seq, sender, created_at, text) VALUES (1024000, 'dm.a.b', 1, 'ana', 1000, 'contrato antigo')");
    db.run("INSERT INTO docs(id, chat_id, seq, sender, created_at, text) VALUES (1025024, 'dm.a.b', 2, 'ana', 1001, 'contrato apagado')");
    await room.rpc("search.index", { chatId: "dm.a.b", docs: [doc(3, "contrato novo")], removed: [2] });
    expect(db.all("SELECT name FROM sqlite_master WHERE type = 'trigger'")).toEqual([]);
    expect((await search("contrato", ["dm.a.b"])).hits.map((h) => h.text)).toEqual(["contrato novo", "contrato antigo"]);
    expect((await search("trat", ["dm.a.b"])).hits.map((h) => h.seq)).toEqual([3, 1]);
    for (const t of ["docs_words", "docs_grams"]) db.run(`INSERT INTO ${t}(${t}, rank) VALUES ('integrity-check', 1)`);
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
