/**
 * Our `RoomStorage` seam over a SQLite-backed Durable Object: `ctx.storage.sql`
 * (synchronous, each statement atomic) and `transactionSync` for several; the
 * key-value API of earlier versions stays reachable for migrations only.
 */
import type { LegacyStorage, Row, RoomStorage, SqlValue } from "./host";
import { countStatement, counters } from "./metrics";

function exec(sql: SqlStorage, query: string, b: SqlValue[]): SqlStorageCursor<Record<string, SqlStorageValue>> {
  const cursor = sql.exec(query, ...b);
  countStatement(query);
  return cursor;
}

function done<T>(cursor: SqlStorageCursor<Record<string, SqlStorageValue>>, rows: T): T {
  counters.rowsRead += cursor.rowsRead;
  counters.rowsWritten += cursor.rowsWritten;
  return rows;
}

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
    all: <T = Row>(query: string, ...b: SqlValue[]) => {
      const cursor = exec(sql, query, b);
      return done(cursor, cursor.toArray() as T[]);
    },
    one: <T = Row>(query: string, ...b: SqlValue[]) => {
      const cursor = exec(sql, query, b);
      return done(cursor, (cursor.toArray()[0] as T | undefined) ?? null);
    },
    run: (query, ...b) => {
      const cursor = exec(sql, query, b);
      cursor.toArray();
      return done(cursor, cursor.rowsWritten);
    },
    transaction: (work) => storage.transactionSync(work),
    legacy,
  };
}
