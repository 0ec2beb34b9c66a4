/**
 * Call history rules (R25, R27, R28), pure: a stored call record becomes one
 * history entry per platform user from that user's side; filters and search
 * select entries; frequent contacts are derived from the records of the last 30
 * days, recent calls weighing more, so they follow behaviour and never drift.
 * The user room (party/rooms/call-log.ts) stores records and pages through them.
 */
import type { CallFilter, CallHistoryEntry, CallRecord, CallStatus, FrequentContact } from "../../protocol";

export const FREQUENT_WINDOW_MS = 30 * 24 * 3600 * 1000;
/** A call a week old counts half as much as one made now. */
export const FREQUENT_HALF_LIFE_MS = 7 * 24 * 3600 * 1000;
export const FREQUENT_MAX = 8;
/** Name search starts at 3 characters (R21); digits match numbers from the first one. */
export const MIN_NAME_QUERY = 3;

/** Why a record may not be stored in `userId`'s room, or null. */
export function recordRefusal(record: CallRecord, tenant: string, userId: string): string | null {
  if (record.tenant !== tenant) return "tenant";
  if (!record.parties.some((p) => p.userId === userId)) return "parties";
  if (record.endedAt < record.startedAt || (record.answeredAt !== null && record.answeredAt < record.startedAt)) return "endedAt";
  if (record.answered !== (record.answeredAt !== null)) return "answered";
  return null;
}

/** The record as `userId` sees it; null if they took no part. */
export function historyEntry(record: CallRecord, userId: string): CallHistoryEntry | null {
  const party = record.parties.find((p) => p.userId === userId);
  if (!party) return null;
  const other = party.direction === "outbound" ? record.callee : record.caller;
  const status: CallStatus = party.direction === "outbound" ? "initiated" : record.answered ? "answered" : "missed";
  return {
    callId: record.callId,
    direction: party.direction,
    status,
    answered: record.answered,
    other: { userId: other.userId, number: other.number },
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    durationMs: record.answeredAt === null ? 0 : record.endedAt - record.answeredAt,
    endReason: record.endReason,
  };
}

/** Lower-cased, accents removed, so "joão" finds "Joao". */
export function fold(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .trim();
}

/**
 * Whether an entry passes the status filter and the search. `nameOf` gives a
 * platform user's display name (from the directory); numbers match by digits.
 */
export function matches(
  entry: CallHistoryEntry,
  filter: CallFilter,
  query: string,
  nameOf: (userId: string) => string | undefined,
): boolean {
  if (filter !== "all" && entry.status !== filter) return false;
  const q = fold(query);
  if (!q) return true;
  if (/^[0-9+*#]+$/.test(q) && entry.other.number.includes(q)) return true;
  if (q.length < MIN_NAME_QUERY) return false;
  const name = entry.other.userId ? nameOf(entry.other.userId) : undefined;
  return name !== undefined && fold(name).includes(q);
}

/** Who a contact is for counting: the platform user if known, else the number. */
function contactKey(e: { userId: string | null; number: string }): string {
  return e.userId ? `u:${e.userId}` : `n:${e.number}`;
}

/**
 * The most-called contacts of the last 30 days: each call weighs
 * 0.5^(age / half-life), so a burst of old calls fades behind recent habits.
 * Ties go to the most recent call, then the key, so the order is stable.
 */
export function frequentContacts(entries: Iterable<CallHistoryEntry>, now: number, max = FREQUENT_MAX): FrequentContact[] {
  const acc = new Map<string, FrequentContact & { score: number }>();
  for (const e of entries) {
    const age = now - e.endedAt;
    if (age < 0 || age > FREQUENT_WINDOW_MS) continue;
    const key = contactKey(e.other);
    const weight = Math.pow(0.5, age / FREQUENT_HALF_LIFE_MS);
    const c = acc.get(key) ?? { userId: e.other.userId, number: e.other.number, calls: 0, lastAt: 0, score: 0 };
    c.calls++;
    c.score += weight;
    if (e.endedAt >= c.lastAt) {
      c.lastAt = e.endedAt;
      c.number = e.other.number;
    }
    acc.set(key, c);
  }
  return [...acc.entries()]
    .sort(([ka, a], [kb, b]) => b.score - a.score || b.lastAt - a.lastAt || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .slice(0, max)
    .map(([, c]) => ({ userId: c.userId, number: c.number, calls: c.calls, lastAt: c.lastAt }));
}

/** Storage key suffix: sorts by end time, then call id; also the paging cursor the client sends back. */
export function callCursor(record: Pick<CallRecord, "endedAt" | "callId">): string {
  return `${String(record.endedAt).padStart(15, "0")}:${record.callId}`;
}
