/**
 * The user room's call log: the sip-proxy's call records for this user, stored
 * once per call id, read newest first in pages, never whole (R25, R27, R28).
 *
 * Storage layout (inside the user room):
 *   call:<endedAt, 15 digits zero-padded>:<callId> → CallRecord
 *   callid:<callId> → the `call:` key above (idempotency: a retried report stores once)
 */
import { CallRecord, parseJson, type CallFilter, type CallHistoryEntry, type CallsServerFrame, type FrequentContact } from "../../protocol";
import { callCursor, FREQUENT_WINDOW_MS, frequentContacts, historyEntry, matches, recordRefusal } from "../domain/calls";
import type { RoomHost } from "./host";
import { errorResponse, json, readBody } from "./respond";

const SCAN = 200;
/** A search that matches little stops scanning here and hands back a cursor, so one fetch stays cheap. */
const MAX_SCANNED = 2000;

export class CallLog {
  constructor(
    private readonly host: RoomHost,
    private readonly tenant: string,
    private readonly userId: string,
  ) {}

  /** POST /calls from the edge (service-only): stores the record unless its call id is known. */
  async store(req: Request): Promise<{ response: Response; entry: CallHistoryEntry | null }> {
    const text = await readBody(req, 16 * 1024);
    const parsed = text === null ? null : parseJson(CallRecord, text);
    if (!parsed || !parsed.ok)
      return { response: errorResponse("invalid_body", parsed?.message ?? "corpo inválido", parsed?.field), entry: null };
    const record = parsed.value;
    const refusal = recordRefusal(record, this.tenant, this.userId);
    if (refusal)
      return { response: errorResponse("invalid_body", "registro de chamada não pertence a este usuário", refusal), entry: null };
    if (await this.host.storage.get(`callid:${record.callId}`)) return { response: json({ ok: true, stored: false }), entry: null };
    const key = `call:${callCursor(record)}`;
    await this.host.storage.put({ [key]: record, [`callid:${record.callId}`]: key });
    return { response: json({ ok: true, stored: true }), entry: historyEntry(record, this.userId) };
  }

  /** One page of history, newest first, filtered and searched; `frequent` on first pages. */
  async page(filter: CallFilter, query: string, before: string | undefined, limit: number, now: number): Promise<CallsServerFrame> {
    const names = query.trim() && !/^[0-9+*#]+$/.test(query.trim()) ? await this.names() : new Map<string, string>();
    const entries: CallHistoryEntry[] = [];
    let end = before ? `call:${before}` : "call;";
    let scanned = 0;
    let exhausted = false;
    while (entries.length < limit && scanned < MAX_SCANNED) {
      const rows = await this.host.storage.list<CallRecord>({ prefix: "call:", end, reverse: true, limit: SCAN });
      if (rows.size === 0) {
        exhausted = true;
        break;
      }
      for (const [key, record] of rows) {
        end = key;
        scanned++;
        const entry = historyEntry(record, this.userId);
        if (entry && matches(entry, filter, query, (id) => names.get(id))) entries.push(entry);
        if (entries.length === limit) break;
      }
      if (rows.size < SCAN && entries.length < limit) exhausted = true;
      if (exhausted) break;
    }
    const next = exhausted ? null : end.slice("call:".length);
    const frame: CallsServerFrame = { type: "calls.page", filter, query, entries, next };
    if (!before) frame.frequent = await this.frequent(now);
    return frame;
  }

  /** Derived from the last 30 days of records, read in pages. */
  async frequent(now: number): Promise<FrequentContact[]> {
    const from = `call:${callCursor({ endedAt: Math.max(0, now - FREQUENT_WINDOW_MS), callId: "" })}`;
    const entries: CallHistoryEntry[] = [];
    let start = from;
    for (;;) {
      const rows = await this.host.storage.list<CallRecord>({ start, end: "call;", limit: SCAN });
      for (const [key, record] of rows) {
        const e = historyEntry(record, this.userId);
        if (e) entries.push(e);
        start = `${key}\u0000`;
      }
      if (rows.size < SCAN) break;
    }
    return frequentContacts(entries, now);
  }

  /** Display names by user id, for search by name (the directory owns names). */
  private async names(): Promise<Map<string, string>> {
    const res = await this.host.call("directory", this.tenant, "/contacts");
    if (!res.ok) return new Map();
    const body = (await res.json()) as { users?: Array<{ id: string; name: string }> };
    return new Map((body.users ?? []).map((u) => [u.id, u.name]));
  }
}
