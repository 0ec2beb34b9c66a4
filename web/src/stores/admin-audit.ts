/**
 * "Auditoria" (issue 18.4): the company's audit trail, newest first, with the
 * filters applied when the person asks ("Filtrar"), and "Carregar mais" for the
 * next page through the server's cursor.
 */
import { signal } from "@preact/signals";
import type { AuditEvent } from "../../../protocol/admin";
import { auditQuery, emptyAuditForm, type AuditField, type AuditForm, type AuditProblem } from "../model/audit-filter";
import { adminApi } from "./admin-api";

export type AuditState = {
  status: "loading" | "ready" | "error";
  events: AuditEvent[];
  /** The cursor of the next page; null at the end. */
  next: number | null;
  /** A page after the first is on its way. */
  more: boolean;
  error: string | null;
};

/** The filters the list shows (the form's own state is the component's until "Filtrar"). */
export const auditFilters = signal<AuditForm>(emptyAuditForm());
export const auditList = signal<AuditState>({ status: "loading", events: [], next: null, more: false, error: null });

let asked = 0;

async function load(form: AuditForm, before: number | null): Promise<void> {
  const q = auditQuery(form, before);
  if (!q.ok) return;
  const mine = ++asked;
  const res = await adminApi.audit(q.query);
  if (mine !== asked) return;
  const current = auditList.peek();
  if (!res.ok) {
    auditList.value = { ...current, status: "error", more: false, error: res.status === 0 ? "network" : res.error };
    return;
  }
  const events = before === null ? res.value.events : [...current.events, ...res.value.events];
  auditList.value = { status: "ready", events, next: res.value.next, more: false, error: null };
}

/** Applies a filter form: the first page of what it selects, or the field that is wrong (nothing is asked then). */
export function applyAuditFilters(form: AuditForm): { ok: true } | { ok: false; field: AuditField; problem: AuditProblem } {
  const q = auditQuery(form);
  if (!q.ok) return q;
  auditFilters.value = form;
  auditList.value = { status: "loading", events: [], next: null, more: false, error: null };
  void load(form, null);
  return { ok: true };
}

export function moreAudit(): void {
  const list = auditList.peek();
  if (list.next === null || list.more) return;
  auditList.value = { ...list, more: true };
  void load(auditFilters.peek(), list.next);
}

export function enterAudit(): void {
  applyAuditFilters(emptyAuditForm());
}
