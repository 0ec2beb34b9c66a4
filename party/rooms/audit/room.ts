/**
 * A company's audit trail (issue 18.4; one room per company, id = the
 * company), kept apart from the directory and the company's room so a flood of
 * failed sign-ins written here slows nothing else. Append-only: nothing here
 * edits or deletes an event. Read newest first in pages by id, with filters.
 *
 *   audit_kv(key, value)    'schema' → layout version
 *   events(id, at, action, actor_kind, actor, target, address, ok, detail)
 *                           one row per event; `detail` small JSON facts, never message
 *                           text, passwords or tokens; indexed by action and by actor
 */
import type { AuditEvent, AuditFilter } from "../../../protocol/admin";
import { answer } from "../../../protocol/internal";
import type { RoomFactory, RoomHost, SqlValue } from "../../runtime/host";

type EventRow = {
  id: number;
  at: number;
  action: string;
  actor_kind: string;
  actor: string;
  target: string;
  address: string;
  ok: number;
  detail: string | null;
};

/** The WHERE clause of a filter, every value bound. */
export function auditWhere(filter: AuditFilter, before: number | undefined): { sql: string; values: SqlValue[] } {
  const parts: string[] = [];
  const values: SqlValue[] = [];
  const add = (sql: string, value: SqlValue) => {
    parts.push(sql);
    values.push(value);
  };
  if (before !== undefined) add("id < ?", before);
  if (filter.action) add("action = ?", filter.action);
  if (filter.prefix) {
    parts.push("substr(action, 1, ?) = ?");
    values.push(filter.prefix.length, filter.prefix);
  }
  if (filter.actor !== undefined) add("actor = ?", filter.actor);
  if (filter.target !== undefined) add("target = ?", filter.target);
  if (filter.ok !== undefined) add("ok = ?", filter.ok ? 1 : 0);
  if (filter.since !== undefined) add("at >= ?", filter.since);
  if (filter.until !== undefined) add("at < ?", filter.until);
  return { sql: parts.length ? `WHERE ${parts.join(" AND ")}` : "", values };
}

export const auditRoom: RoomFactory<"audit"> = (host: RoomHost) => {
  const db = host.storage;
  const toEvent = (r: EventRow): AuditEvent => ({
    id: r.id,
    at: r.at,
    action: r.action as AuditEvent["action"],
    actorKind: r.actor_kind as AuditEvent["actorKind"],
    actor: r.actor,
    target: r.target,
    address: r.address,
    ok: r.ok === 1,
    ...(r.detail ? { detail: JSON.parse(r.detail) as AuditEvent["detail"] } : {}),
  });

  return {
    start() {
      db.run("CREATE TABLE IF NOT EXISTS audit_kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      db.run(
        "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, action TEXT NOT NULL, actor_kind TEXT NOT NULL, actor TEXT NOT NULL, target TEXT NOT NULL, address TEXT NOT NULL, ok INTEGER NOT NULL, detail TEXT)",
      );
      db.run("CREATE INDEX IF NOT EXISTS events_by_action ON events(action, id)");
      db.run("CREATE INDEX IF NOT EXISTS events_by_actor ON events(actor, id)");
      db.run("CREATE INDEX IF NOT EXISTS events_by_target ON events(target, id)");
      db.run("INSERT OR IGNORE INTO audit_kv(key, value) VALUES ('schema', '1')");
    },

    handlers: {
      "audit.record": ({ events }) => {
        const at = host.now();
        db.transaction(() => {
          for (const e of events)
            db.run(
              "INSERT INTO events(at, action, actor_kind, actor, target, address, ok, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              at,
              e.action,
              e.actorKind,
              e.actor,
              e.target,
              e.address,
              e.ok ? 1 : 0,
              e.detail ? JSON.stringify(e.detail) : null,
            );
        });
        return answer({ recorded: events.length });
      },

      "audit.page": ({ filter, before, limit }) => {
        const where = auditWhere(filter, before);
        const rows = db.all<EventRow>(
          `SELECT id, at, action, actor_kind, actor, target, address, ok, detail FROM events ${where.sql} ORDER BY id DESC LIMIT ?`,
          ...where.values,
          limit + 1,
        );
        const more = rows.length > limit;
        if (more) rows.pop();
        return answer({ events: rows.map(toEvent), next: more ? rows.at(-1)!.id : null });
      },
    },
  };
};
