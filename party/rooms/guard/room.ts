/**
 * Sign-in attempt counters (issue 12.4), in rooms of their own — one per company
 * for its accounts, a few shared ones for client addresses — so a flood of wrong
 * passwords never touches the company's directory (domain/guard.ts has the rules).
 *
 *   attempts(key, failures, window_start, locked_until)
 */
import { answer } from "../../../protocol/internal";
import { afterAttempt, waitFor, type Attempts } from "../../domain/guard";
import type { RoomFactory, RoomHost } from "../../runtime/host";

export const guardRoom: RoomFactory<"guard"> = (host: RoomHost) => {
  const db = host.storage;
  const read = (key: string): Attempts | null => {
    const r = db.one<{ failures: number; window_start: number; locked_until: number }>(
      "SELECT failures, window_start, locked_until FROM attempts WHERE key = ?",
      key,
    );
    return r ? { failures: r.failures, windowStart: r.window_start, lockedUntil: r.locked_until } : null;
  };
  return {
    start() {
      db.run(
        "CREATE TABLE IF NOT EXISTS attempts (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, window_start INTEGER NOT NULL, locked_until INTEGER NOT NULL)",
      );
    },
    handlers: {
      "guard.ping": () => {
        db.one("SELECT count(*) AS n FROM attempts");
        return answer({ ok: true as const });
      },
      "guard.check": ({ keys }) => answer({ retryAfterMs: Math.max(0, ...keys.map((k) => waitFor(read(k), host.now()))) }),
      "guard.record": ({ keys, ok }) => {
        const now = host.now();
        let wait = 0;
        db.transaction(() => {
          for (const key of keys) {
            const next = afterAttempt(read(key), key, ok, now);
            if (next === null) db.run("DELETE FROM attempts WHERE key = ?", key);
            else
              db.run(
                "INSERT INTO attempts(key, failures, window_start, locked_until) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until",
                key,
                next.failures,
                next.windowStart,
                next.lockedUntil,
              );
            wait = Math.max(wait, waitFor(next, now));
          }
          // Old counters go, so the table stays the size of the current attacks.
          db.run("DELETE FROM attempts WHERE locked_until < ? AND window_start < ?", now, now - 60 * 60_000);
        });
        return answer({ retryAfterMs: wait });
      },
    },
  };
};
