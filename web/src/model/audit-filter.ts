/**
 * The audit trail's filters (issue 18.4), pure: the form of "Auditoria" (what
 * happened — one action or a family of them —, who, to whom, success or failure,
 * from one day to another) checked by the rules the server checks `GET …/audit`
 * with (protocol/admin.ts `AuditFilter`; written out, not run through valibot,
 * for the reason model/admin-users.ts gives, and held to it by the unit tests)
 * and turned into its query string, with the cursor of the next page (`before`).
 */
import { AUDIT_ACTIONS } from "../../../protocol/audit-actions";

export { AUDIT_ACTIONS };
export type AuditActionName = (typeof AUDIT_ACTIONS)[number];

const PREFIX_RE = /^[a-z_]{1,20}\.$/;

/** The families the "Ação" selector offers above the single actions (each a server `prefix`). */
export const AUDIT_FAMILIES = ["login.", "user.", "session.", "export.", "key."] as const;
export type AuditFamily = (typeof AUDIT_FAMILIES)[number];

/** The selector's value: everything, a family (`prefix:login.`) or one action (`action:login.failure`). */
export type AuditWhat = "" | `prefix:${AuditFamily}` | `action:${AuditActionName}`;

export type AuditForm = {
  what: AuditWhat;
  actor: string;
  target: string;
  ok: "" | "true" | "false";
  /** Days as `<input type="date">` gives them (YYYY-MM-DD), in the browser's time zone; empty: no bound. */
  since: string;
  until: string;
};

export const emptyAuditForm = (): AuditForm => ({ what: "", actor: "", target: "", ok: "", since: "", until: "" });

export type AuditField = "what" | "actor" | "target" | "since" | "until";

export const AUDIT_PAGE = 50;

/** Midnight at the start of a YYYY-MM-DD day in this browser's zone, or null when it is not a date. */
export function startOfDay(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = new Date(y, mo - 1, d);
  return at.getFullYear() === y && at.getMonth() === mo - 1 && at.getDate() === d ? at.getTime() : null;
}

/** The last millisecond of that day (the next midnight minus one: days with a clock change are 23 or 25 hours). */
export function endOfDay(day: string): number | null {
  const start = startOfDay(day);
  if (start === null) return null;
  const d = new Date(start);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime() - 1;
}

/** Why a filter is wrong: not a date, the end before the start, too long, not one of the choices. */
export type AuditProblem = "date" | "order" | "length" | "choice";
export type AuditQuery = { ok: true; query: string } | { ok: false; field: AuditField; problem: AuditProblem };

/** The query of `GET …/audit` for a filter form and page cursor, or the field that is wrong. */
export function auditQuery(form: AuditForm, before: number | null = null, limit = AUDIT_PAGE): AuditQuery {
  const since = form.since ? startOfDay(form.since) : null;
  const until = form.until ? endOfDay(form.until) : null;
  if (form.since && since === null) return { ok: false, field: "since", problem: "date" };
  if (form.until && until === null) return { ok: false, field: "until", problem: "date" };
  if (since !== null && until !== null && since > until) return { ok: false, field: "until", problem: "order" };
  const filter: Record<string, string | number | boolean> = {};
  if (form.what.startsWith("prefix:")) filter.prefix = form.what.slice(7);
  else if (form.what.startsWith("action:")) filter.action = form.what.slice(7);
  if (form.actor.trim()) filter.actor = form.actor.trim();
  if (form.target.trim()) filter.target = form.target.trim();
  if (form.ok) filter.ok = form.ok === "true";
  if (since !== null) filter.since = since;
  if (until !== null) filter.until = until;
  // The server's rules: what passes here passes there.
  if (typeof filter.prefix === "string" && !PREFIX_RE.test(filter.prefix)) return { ok: false, field: "what", problem: "choice" };
  if (typeof filter.action === "string" && !(AUDIT_ACTIONS as readonly string[]).includes(filter.action))
    return { ok: false, field: "what", problem: "choice" };
  if (typeof filter.actor === "string" && filter.actor.length > 200) return { ok: false, field: "actor", problem: "length" };
  if (typeof filter.target === "string" && filter.target.length > 300) return { ok: false, field: "target", problem: "length" };
  const params = new URLSearchParams();
  params.set("limit", String(limit));
  if (before !== null) params.set("before", String(before));
  for (const key of ["action", "prefix", "actor", "target", "ok", "since", "until"])
    if (filter[key] !== undefined) params.set(key, String(filter[key]));
  return { ok: true, query: params.toString() };
}
