/**
 * The user room's call log (R25, R27, R28): the sip-proxy's call records for this
 * user, stored once per call id, read newest first in pages, never whole; the
 * history and frequent contacts are derived from them (domain/calls.ts).
 *
 *   calls(call_id, ended_at, record)   one row per finished call; (ended_at, call_id) is the page cursor
 */
import type { CallFilter, CallHistoryEntry, CallRecord, CallsServerFrame, FrequentContact } from "../../../protocol/calls";
import { callCursor, FREQUENT_WINDOW_MS, frequentContacts, historyEntry, matches, recordRefusal } from "../../domain/calls";
import type { RoomHost } from "../../runtime/host";

const SCAN = 200;
/** A search that matches little stops scanning here and hands back a cursor, so one fetch stays cheap. */
const MAX_SCANNED = 2000;

export function createCallsSchema(host: RoomHost): void {
  host.storage.run("CREATE TABLE IF NOT EXISTS calls (call_id TEXT PRIMARY KEY, ended_at INTEGER NOT NULL, record TEXT NOT NULL)");
  host.storage.run("CREATE INDEX IF NOT EXISTS calls_by_time ON calls(ended_at, call_id)");
}

export function insertCall(host: RoomHost, record: CallRecord): boolean {
  return (
    host.storage.run(
      "INSERT OR IGNORE INTO calls(call_id, ended_at, record) VALUES (?, ?, ?)",
      record.callId,
      record.endedAt,
      JSON.stringify(record),
    ) > 0
  );
}

/** A cursor `<endedAt 15 digits>:<callId>` split back into its parts. */
function splitCursor(cursor: string): [number, string] {
  const at = cursor.indexOf(":");
  return [Number(cursor.slice(0, at)), cursor.slice(at + 1)];
}

export class CallLog {
  constructor(
    private readonly host: RoomHost,
    private readonly tenant: string,
    private readonly userId: string,
  ) {}

  /** Stores the record unless its call id is known; the new history entry, or null. */
  store(record: CallRecord): { refusal: string | null; entry: CallHistoryEntry | null } {
    const refusal = recordRefusal(record, this.tenant, this.userId);
    if (refusal) return { refusal, entry: null };
    if (!insertCall(this.host, record)) return { refusal: null, entry: null };
    return { refusal: null, entry: historyEntry(record, this.userId) };
  }

  /** One page of history, newest first, filtered and searched; `frequent` on first pages. */
  async page(filter: CallFilter, query: string, before: string | undefined, limit: number, now: number): Promise<CallsServerFrame> {
    const names = query.trim() && !/^[0-9+*#]+$/.test(query.trim()) ? await this.names() : new Map<string, string>();
    const entries: CallHistoryEntry[] = [];
    let [endedAt, callId] = before ? splitCursor(before) : [Number.MAX_SAFE_INTEGER, ""];
    let scanned = 0;
    let exhausted = false;
    while (entries.length < limit && scanned < MAX_SCANNED) {
      const rows = this.host.storage.all<{ call_id: string; ended_at: number; record: string }>(
        "SELECT call_id, ended_at, record FROM calls WHERE (ended_at, call_id) < (?, ?) ORDER BY ended_at DESC, call_id DESC LIMIT ?",
        endedAt,
        callId,
        SCAN,
      );
      for (const row of rows) {
        [endedAt, callId] = [row.ended_at, row.call_id];
        scanned++;
        const entry = historyEntry(JSON.parse(row.record) as CallRecord, this.userId);
        if (entry && matches(entry, filter, query, (id) => names.get(id))) entries.push(entry);
        if (entries.length === limit) break;
      }
      if (rows.length < SCAN && entries.length < limit) exhausted = true;
      if (exhausted) break;
    }
    const next = exhausted ? null : callCursor({ endedAt, callId });
    const frame: CallsServerFrame = { type: "calls.page", filter, query, entries, next };
    if (!before) frame.frequent = this.frequent(now);
    return frame;
  }

  /** Derived from the last 30 days of records. */
  frequent(now: number): FrequentContact[] {
    const rows = this.host.storage.all<{ record: string }>(
      "SELECT record FROM calls WHERE ended_at >= ? ORDER BY ended_at DESC LIMIT 5000",
      Math.max(0, now - FREQUENT_WINDOW_MS),
    );
    const entries = rows
      .map((r) => historyEntry(JSON.parse(r.record) as CallRecord, this.userId))
      .filter((e): e is CallHistoryEntry => !!e);
    return frequentContacts(entries, now);
  }

  /** Display names by user id, for search by name (the directory owns names). */
  private async names(): Promise<Map<string, string>> {
    const res = await this.host.call("directory.contacts", this.tenant, {});
    return res.ok ? new Map(res.value.users.map((u) => [u.id, u.name])) : new Map();
  }
}
