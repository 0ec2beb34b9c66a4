/**
 * Work counters of this isolate (issue 15: the bench's stable figures beside the
 * noisy ones): room-to-room calls, SQL statements with the rows they read and
 * wrote, room starts (a room woken from hibernation starts again), and — when
 * CONVERSAS_METRICS=1 — every JSON encode and each SQL statement's count by its
 * text (bench/profile.mjs prints them per message). Read, and reset,
 * through `GET /api/metrics` with the platform key.
 */
export const counters = { roomCalls: 0, sqlStatements: 0, rowsRead: 0, rowsWritten: 0, jsonEncodes: 0, roomStarts: 0 };

let counting = false;
/** Statements run, by their SQL text (only while counting: diagnostics). */
const byStatement = new Map<string, number>();

/** Counts one SQL statement (and, while counting, by its text). */
export function countStatement(query: string): void {
  counters.sqlStatements += 1;
  if (counting) byStatement.set(query, (byStatement.get(query) ?? 0) + 1);
}

/** Counts JSON.stringify calls from now on (diagnostics only: it wraps the global). */
export function countJsonEncodes(): void {
  if (counting) return;
  counting = true;
  const encode = JSON.stringify;
  JSON.stringify = ((...args: Parameters<typeof JSON.stringify>) => {
    counters.jsonEncodes += 1;
    return encode(...args);
  }) as typeof JSON.stringify;
}

export function readCounters(reset: boolean): typeof counters & { byStatement?: Record<string, number> } {
  const snapshot = { ...counters, ...(counting ? { byStatement: Object.fromEntries(byStatement) } : {}) };
  if (reset) {
    for (const k of Object.keys(counters) as (keyof typeof counters)[]) counters[k] = 0;
    byStatement.clear();
  }
  return snapshot;
}
