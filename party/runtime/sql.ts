/**
 * Our `RoomStorage` seam over a SQLite-backed Durable Object: `ctx.storage.sql`
 * (synchronous, each statement atomic) and `transactionSync` for several; the
 * key-value API of earlier versions stays reachable for migrations only.
 */
import type { LegacyStorage, Row, RoomStorage, SqlValue } from "./host";

export function sqlStorage(storage: DurableObjectStorage): RoomStorage {
  const sql = storage.sql;
  const legacy: LegacyStorage = {
    list: (o) => storage.list({ ...(o.prefix ? { prefix: o.prefix } : {}), ...(o.start ? { start: o.start } : {}), limit: o.limit }),
    get: (keys) => storage.get(keys),
    delete: async (keys) => {
      for (let i = 0; i < keys.length; i += 128) await storage.delete(keys.slice(i, i + 128));
    },
  };
  return {
    all: <T = Row>(query: string, ...b: SqlValue[]) => sql.exec(query, ...b).toArray() as T[],
    one: <T = Row>(query: string, ...b: SqlValue[]) => {
      const rows = sql.exec(query, ...b).toArray();
      return (rows[0] as T | undefined) ?? null;
    },
    run: (query, ...b) => sql.exec(query, ...b).rowsWritten,
    transaction: (work) => storage.transactionSync(work),
    legacy,
  };
}
