/**
 * A chat's retention (issue 18.6): the company's `retentionDays`, kept here
 * (chat_kv 'retention') and enforced by the room's alarm. Messages older than
 * that go from the start of the log in batches, with their files (R2 and
 * records), their share cards' rows and transcripts, and the quotes replies
 * made of them; the company's search index forgets them (a failed call is
 * retried by the next alarm, chat_kv 'forget'). The log's start is remembered
 * (chat_kv 'base', schema.ts), so seqs go on and unread counts stay derived
 * from the log (state.ts reads the base where the log has no row).
 *
 * Also the chat's registration with its company's room, once, so exports,
 * backups and retention changes reach every chat of the company.
 */
import type { Message } from "../../../protocol/chat";
import { answer } from "../../../protocol/internal";
import { fileKey } from "../../domain/files";
import { withDeletedQuote } from "../../domain/messages";
import { expiredPrefix, nextDue, retentionCutoff } from "../../domain/retention";
import type { ChatContext } from "./context";
import { readKv, writeKv } from "./schema";
import { transcriptKey } from "./share";

const BATCH = 200;
/** Batches per alarm; more wait for the next alarm a moment later, so sends are not held up. */
const BATCHES_PER_RUN = 10;
/** How often a running chat asks its company again for the retention (changes are also pushed to it). */
const RECHECK_MS = 6 * 60 * 60 * 1000;

type Retention = { days: number | null; checkedAt: number };

export function chatRetention(ctx: ChatContext) {
  const { host, state, tenant, chatId } = ctx;
  const db = host.storage;
  const dayMs = host.config.retentionDayMs;

  const current = (): Retention | null => {
    const text = readKv(db, "retention");
    return text ? (JSON.parse(text) as Retention) : null;
  };

  /**
   * The next alarm: when the oldest message becomes due, and at least every few hours
   * while the company has a retention (a log that was empty has no due time; the company
   * may change its mind). A chat of a company without one sleeps: a change is pushed to it.
   */
  function schedule(): void {
    const r = current();
    if (r && r.days !== null) {
      const oldest = db.one<{ created_at: number }>("SELECT created_at FROM messages ORDER BY seq LIMIT 1");
      const due = nextDue(oldest?.created_at ?? null, r.days, dayMs) ?? Number.MAX_SAFE_INTEGER;
      host.wakeAt(Math.max(host.now() + 1, Math.min(due, r.checkedAt + RECHECK_MS, host.now() + RECHECK_MS)));
    }
    if (readKv(db, "forget")) host.wakeAt(host.now() + 5_000);
  }

  function setDays(days: number | null): void {
    writeKv(db, "retention", JSON.stringify({ days, checkedAt: host.now() } satisfies Retention));
    schedule();
  }

  /** On start: register with the company once, and learn its retention when the last look is old. */
  async function refresh(): Promise<void> {
    if (!state.meta) return;
    if (!readKv(db, "registered")) {
      const seen = await host.call("tenant.chatSeen", tenant, { chatId });
      if (seen.ok) writeKv(db, "registered", "1");
    }
    const r = current();
    if (!r || r.checkedAt + RECHECK_MS <= host.now()) {
      const res = await host.call("tenant.get", tenant, {});
      if (res.ok) setDays(res.value.settings.retentionDays);
    } else schedule();
  }

  /** One batch: the expired prefix of the log's oldest BATCH messages goes; how many went. */
  async function removeBatch(cutoff: number): Promise<number> {
    const rows = db.all<{ seq: number; ord: number; created_at: number; body: string }>(
      "SELECT seq, ord, created_at, body FROM messages ORDER BY seq LIMIT ?",
      BATCH,
    );
    const n = expiredPrefix(
      rows.map((r) => ({ createdAt: r.created_at })),
      cutoff,
    );
    if (n === 0) return 0;
    const gone = rows.slice(0, n);
    const last = gone.at(-1)!;
    const image = state.meta?.kind === "group" ? state.meta.group.imageFileId : null;
    const files = gone.map((r) => (JSON.parse(r.body) as Message).attachment?.fileId).filter((f): f is string => !!f && f !== image);
    const shares = db.all<{ share_id: string }>("SELECT DISTINCT share_id FROM shares WHERE seq <= ?", last.seq).map((r) => r.share_id);
    // Replies left behind must not keep quoting what is gone.
    const replies = db
      .all<{ body: string }>("SELECT body FROM messages WHERE reply_to IS NOT NULL AND reply_to <= ? AND seq > ?", last.seq, last.seq)
      .map((r) => withDeletedQuote(JSON.parse(r.body) as Message));
    state.commit((tx) => {
      db.run("DELETE FROM messages WHERE seq <= ?", last.seq);
      for (let i = 0; i < files.length; i += 90) {
        const part = files.slice(i, i + 90);
        db.run(`DELETE FROM files WHERE file_id IN (${part.map(() => "?").join(",")})`, ...part);
      }
      db.run("DELETE FROM shares WHERE seq <= ?", last.seq);
      db.run("DELETE FROM index_outbox WHERE seq <= ?", last.seq);
      for (const r of replies) tx.update(r);
      writeKv(db, "base", JSON.stringify({ seq: last.seq, ord: last.ord }));
      writeKv(db, "forget", String(last.seq));
    });
    // Memory follows the new start of the log (state.ts derives from it).
    state.load();
    const stillShown = new Set(db.all<{ share_id: string }>("SELECT DISTINCT share_id FROM shares").map((r) => r.share_id));
    const objects = [
      ...files.map((f) => fileKey(tenant, chatId, f)),
      ...shares.filter((s) => !stillShown.has(s)).map((s) => transcriptKey(tenant, chatId, s)),
    ];
    if (objects.length) await host.files?.delete(objects);
    for (const r of replies) ctx.broadcast({ type: "message.updated", message: r });
    await forget();
    return n;
  }

  /** The search index drops what retention removed; kept pending until it has. */
  async function forget(): Promise<void> {
    const seq = Number(readKv(db, "forget") ?? 0);
    if (!seq) return;
    const res = await host.call("search.forgetBefore", tenant, { chatId, seq });
    if (res.ok && Number(readKv(db, "forget") ?? 0) === seq) db.run("DELETE FROM chat_kv WHERE key = 'forget'");
  }

  /** The alarm's part: remove what is due, a few batches at a time, then wait for the next due time. */
  function run(): Promise<void> {
    return ctx.serial(async () => {
      await forget();
      const r = current();
      if (!r || r.checkedAt + RECHECK_MS <= host.now()) await refresh();
      const days = current()?.days ?? null;
      let total = 0;
      let more = false;
      if (days !== null) {
        // A hand-off to the search index under way must land before its rows can be forgotten.
        await ctx.indexSettled();
        const cutoff = retentionCutoff(host.now(), days, dayMs);
        for (let i = 0; i < BATCHES_PER_RUN; i++) {
          const n = await removeBatch(cutoff);
          total += n;
          more = n === BATCH;
          if (!more) break;
        }
      }
      // Lists show the new last message and unread counts.
      if (total > 0) ctx.changed({ members: "all" });
      if (more) host.wakeAt(host.now() + 100);
      else schedule();
    });
  }

  return {
    /** Called once the room has loaded: off the start's path. */
    started(): void {
      host.waitUntil(refresh().catch((err) => console.error(`retention of ${chatId}`, err)));
    },
    run,
    handlers: {
      "chat.retention": ({ days }: { days: number | null }) => {
        setDays(days);
        return answer({ days });
      },
    },
  };
}
