/**
 * Date labels in the words of the spec (R6, R8, R20): a day is "Hoje", "Ontem" or
 * its date (dd/mm/aaaa); the conversation list shows today's messages by time
 * (HH:mm). Pure functions of a timestamp and "now", in the browser's time zone.
 */
import { t } from "../i18n";

const timeFormat = new Intl.DateTimeFormat("pt-BR", { hour: "2-digit", minute: "2-digit" });
const dateFormat = new Intl.DateTimeFormat("pt-BR", { day: "2-digit", month: "2-digit", year: "numeric" });

/** Local midnight of the day holding `ms`; days are compared by calendar, not by 24h spans. */
function startOfDay(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** 0 for the same calendar day as `now`, 1 for the day before, and so on. */
export function daysAgo(ms: number, now: number): number {
  // Rounding absorbs the 23h/25h days around daylight-saving changes.
  return Math.round((startOfDay(now) - startOfDay(ms)) / 86_400_000);
}

export function formatTime(ms: number): string {
  return timeFormat.format(ms);
}

export function formatDate(ms: number): string {
  return dateFormat.format(ms);
}

/** Day separator inside a chat (R8). */
export function dayLabel(ms: number, now: number): string {
  const ago = daysAgo(ms, now);
  if (ago === 0) return t.today;
  if (ago === 1) return t.yesterday;
  return formatDate(ms);
}

/** Time column of the conversation list (R6): today's time, "Ontem", or the date. */
export function listTimeLabel(ms: number, now: number): string {
  const ago = daysAgo(ms, now);
  if (ago === 0) return formatTime(ms);
  if (ago === 1) return t.yesterday;
  return formatDate(ms);
}

/** A key that is equal for two timestamps on the same local calendar day. */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}
