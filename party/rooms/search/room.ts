/**
 * The company's message index (R12 "Mensagens", issue 13): one room per company,
 * fed in batches by the chat rooms (fanout.ts) and asked by a user's own room
 * with the list of chats the user is in NOW, so a left chat never shows; a chat
 * drops deleted messages here before anyone sees them gone. Nothing is held in
 * memory: two SQLite FTS5 indexes over the same rows answer every query.
 *
 *   docs(id, chat_id, seq, sender, created_at, text)
 *        one row per searchable message; `id` orders rows by time
 *        (created_at × 1024 + a tie-breaker), so "newest first" is index order
 *   docs_words  FTS5 unicode61 (accents folded), prefix-indexed: every term at a
 *               word start ("rel" → "relatório"), the best rank
 *   docs_grams  FTS5 trigram (accents and case folded): a term inside a word
 *               ("lat" → "relatório"), ranked below
 *
 * Ranking is protocol/text-match.ts's, the same as the browser's: every word of
 * the query must be found; more words at word starts first; then newest. A query
 * reads the word-start matches newest first and stops at the page; only when
 * those do not fill it does it look at inside-word matches too.
 */
import { answer, type RouteBody } from "../../../protocol/internal";
import type { SearchHit } from "../../../protocol/hub";
import { compareHits, foldText, matchScore, queryTerms } from "../../domain/search";
import type { RoomFactory, RoomHost } from "../../runtime/host";
import { breathe } from "../../runtime/paced";

const DDL = [
  "CREATE TABLE IF NOT EXISTS docs (id INTEGER PRIMARY KEY, chat_id TEXT NOT NULL, seq INTEGER NOT NULL, sender TEXT NOT NULL, created_at INTEGER NOT NULL, text TEXT NOT NULL)",
  "CREATE UNIQUE INDEX IF NOT EXISTS docs_by_message ON docs(chat_id, seq)",
  "CREATE VIRTUAL TABLE IF NOT EXISTS docs_words USING fts5(text, content='docs', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
  "CREATE VIRTUAL TABLE IF NOT EXISTS docs_grams USING fts5(text, content='docs', content_rowid='id', tokenize='trigram remove_diacritics 1')",
  // Earlier releases kept both indexes in step with triggers. A statement that runs a trigger opens a statement
  // savepoint, and at each one FTS5 writes its pending terms out: the work of a segment per message. Written
  // here, in plain statements of the slice's transaction, a message costs ~30 µs instead of ~71–85 (Node's
  // SQLite, both indexes; issue 15). The indexes themselves are the same.
  "DROP TRIGGER IF EXISTS docs_ai",
  "DROP TRIGGER IF EXISTS docs_ad",
  "CREATE TABLE IF NOT EXISTS search_kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
  "INSERT OR IGNORE INTO search_kv(key, value) VALUES ('schema', '1')",
];

/**
 * Documents indexed in one transaction, with a merge step sized to them (issue 15). Each commit of
 * the two FTS5 indexes rewrites ~10 pages whatever it holds, so small commits cost most of the work:
 * on Node's SQLite (disk, synchronous=FULL) slices of 8 cost 0.25 ms a document and 28 KB of WAL,
 * slices of 256 a tenth of that, the index as compact. Rooms may share a thread, so a slice holds
 * other rooms' events back: on workerd, with a chat sending without pause, 256 delayed the fewest
 * messages past 8 ms without a step long enough to stall others (512: steps of ~90 ms). The chats
 * hand their messages over at most once a second when busy (fanout.ts INDEX_EVERY_MS).
 */
export const INDEX_SLICE = 256;

/**
 * FTS5 merges on its own as it writes ("automerge"), and now and then one insert paid for a large
 * merge (15–20 ms in slices of 8). With automerge off, each slice merges as many pages as it
 * holds documents (at least MIN_MERGE_PAGES): about what automerge would have done, in bounded
 * pieces, the index as compact.
 */
const FTS_TABLES = ["docs_words", "docs_grams"] as const;
const MIN_MERGE_PAGES = 8;

/** Inside-word candidates looked at, at most, when word starts do not fill a page. */
const SUBSTRING_CAP = 5000;

type DocRow = { id: number; chat_id: string; seq: number; sender: string; created_at: number; text: string };

export const searchRoom: RoomFactory<"search"> = (host: RoomHost) => {
  const db = host.storage;

  function start() {
    for (const statement of DDL) db.run(statement);
    // Kept in each index's own config table; set on every start so an index made before this takes it too.
    for (const t of FTS_TABLES) db.run(`INSERT INTO ${t}(${t}, rank) VALUES('automerge', 0)`);
  }

  /**
   * The documents in slices of INDEX_SLICE, each slice one transaction with its merge step, letting
   * the process breathe between them. Removals go in the first slice, with the edited messages that
   * come back first with their new text. Each statement is idempotent and the chat moves its mark
   * only once this answers, so a batch cut short by an eviction is simply sent again.
   */
  async function index({ chatId, docs, removed }: RouteBody<"search.index">) {
    let indexed = 0;
    const slices = Math.max(1, Math.ceil(docs.length / INDEX_SLICE));
    for (let i = 0; i < slices; i++) {
      if (i > 0) await breathe();
      const slice = docs.slice(i * INDEX_SLICE, (i + 1) * INDEX_SLICE);
      db.transaction(() => {
        if (i === 0)
          for (const seq of removed) unindex(db.all("DELETE FROM docs WHERE chat_id = ? AND seq = ? RETURNING id, text", chatId, seq));
        // One row a message: its id is the next free one in its millisecond's slot; one indexed already is left as it is.
        for (const d of slice) {
          const slot = d.createdAt * 1024;
          const wrote = db.run(
            `INSERT OR IGNORE INTO docs(id, chat_id, seq, sender, created_at, text)
             VALUES (coalesce((SELECT max(id) + 1 FROM docs WHERE id >= ? AND id < ?), ?), ?, ?, ?, ?, ?)`,
            slot,
            slot + 1024,
            slot,
            chatId,
            d.seq,
            d.senderId,
            d.createdAt,
            d.text,
          );
          if (wrote === 0) continue;
          // Its id found by its key inside the same statement: a RETURNING clause, like a trigger, would make FTS5
          // write out its pending terms at every message.
          for (const t of FTS_TABLES)
            db.run(`INSERT INTO ${t}(rowid, text) VALUES ((SELECT id FROM docs WHERE chat_id = ? AND seq = ?), ?)`, chatId, d.seq, d.text);
          indexed += 1;
        }
        const pages = Math.max(MIN_MERGE_PAGES, slice.length);
        for (const t of FTS_TABLES) db.run(`INSERT INTO ${t}(${t}, rank) VALUES('merge', ?)`, pages);
      });
    }
    return answer({ indexed });
  }

  /** Takes deleted rows of `docs` (what `DELETE … RETURNING id, text` gave) out of both indexes; how many. */
  function unindex(gone: { id: number; text: string }[]): number {
    for (const { id, text } of gone)
      for (const t of FTS_TABLES) db.run(`INSERT INTO ${t}(${t}, rowid, text) VALUES ('delete', ?, ?)`, id, text);
    return gone.length;
  }

  /** FTS5 query text: each term quoted (terms hold only letters and digits), all required. */
  const match = (terms: string[], prefix: boolean) => terms.map((t) => `"${t}"${prefix ? "*" : ""}`).join(" AND ");

  function query({ chatIds, q, offset, limit }: RouteBody<"search.query">) {
    const terms = queryTerms(q);
    const want = offset + limit + 1;
    if (terms.length === 0 || chatIds.length === 0) return answer({ hits: [] as SearchHit[], hasMore: false });
    const chats = JSON.stringify(chatIds);
    const toHit = (r: DocRow, score: number): SearchHit => ({
      chatId: r.chat_id,
      seq: r.seq,
      senderId: r.sender,
      text: r.text,
      createdAt: r.created_at,
      score,
    });
    const best = terms.length * 2;
    // Every term at a word start: the best score there is, newest first, only as many as the page needs.
    // One FTS table (word starts or trigrams), only the user's chats, newest first.
    const indexed = (table: "docs_words" | "docs_grams", expr: string, limit: number) =>
      db.all<DocRow>(
        `SELECT d.id, d.chat_id, d.seq, d.sender, d.created_at, d.text FROM ${table} f JOIN docs d ON d.id = f.rowid
         WHERE ${table} MATCH ? AND d.chat_id IN (SELECT value FROM json_each(?)) ORDER BY f.rowid DESC LIMIT ?`,
        expr,
        chats,
        limit,
      );
    const starts = indexed("docs_words", match(terms, true), want);
    const hits = new Map<number, SearchHit>();
    for (const r of starts) {
      const score = matchScore(foldText(r.text), terms);
      if (score > 0) hits.set(r.id, toHit(r, score));
    }
    const full = [...hits.values()].filter((h) => h.score === best).length >= want;
    const long = terms.filter((t) => [...t].length >= 3);
    if (!full && long.length > 0) {
      // One term: every inside-word match not already found scores the same (1), so newest first is their
      // order and the page needs only as many; several terms can mix starts and insides: look at more.
      const cap = terms.length === 1 ? want + hits.size : SUBSTRING_CAP;
      const inside = indexed("docs_grams", match(long, false), cap);
      for (const r of inside) {
        if (hits.has(r.id)) continue;
        const score = matchScore(foldText(r.text), terms);
        if (score > 0) hits.set(r.id, toHit(r, score));
      }
    }
    const ranked = [...hits.values()].sort(compareHits);
    return answer({ hits: ranked.slice(offset, offset + limit), hasMore: ranked.length > offset + limit });
  }

  return {
    start,
    handlers: {
      "search.index": index,
      "search.forgetBefore": async ({ chatId, seq }) => {
        // In slices, each one transaction, breathing between them: a long log expiring holds no one back, and
        // its texts never sit in memory at once.
        let removed = 0;
        for (;;) {
          const gone = db.transaction(() =>
            unindex(
              db.all(
                "DELETE FROM docs WHERE id IN (SELECT id FROM docs WHERE chat_id = ? AND seq <= ? LIMIT ?) RETURNING id, text",
                chatId,
                seq,
                INDEX_SLICE,
              ),
            ),
          );
          removed += gone;
          if (gone < INDEX_SLICE) break;
          await breathe();
        }
        return answer({ removed });
      },
      "search.query": query,
    },
  };
};
