/**
 * Retention (issue 18.6), free of any runtime: a company may keep messages for
 * `retentionDays`; older ones go with their files. Only a prefix of the log goes
 * (the oldest messages, in seq order, up to the first one still young enough),
 * so what is left is one contiguous log whose start — the last removed seq and
 * the counted ordinal there — is all a room must remember for seqs and unread
 * counts to stay right.
 */

export function retentionCutoff(now: number, days: number, dayMs: number): number {
  return now - days * dayMs;
}

/** How many of `rows` (the oldest of the log, in seq order) are past the cutoff: a prefix, never a gap. */
export function expiredPrefix(rows: readonly { createdAt: number }[], cutoff: number): number {
  let n = 0;
  while (n < rows.length && rows[n]!.createdAt <= cutoff) n++;
  return n;
}

/** When the oldest message left becomes due (null: nothing to wait for). */
export function nextDue(oldestCreatedAt: number | null, days: number | null, dayMs: number): number | null {
  if (oldestCreatedAt === null || days === null) return null;
  return oldestCreatedAt + days * dayMs;
}
