/**
 * Call history on the client (R25, R27, R28), pure: the words and icons of each
 * row (status, "Hoje"/"Ontem"/date, duration), and how a live `calls.updated`
 * joins the page already shown — only when it passes the filter and search on
 * screen, once, in newest-first order — so the list equals what a fresh fetch
 * would return. The filter and search rules are the rooms' own (party/domain/calls.ts).
 */
import type { CallFilter, CallHistoryEntry } from "../../../protocol/calls";
import { matches } from "../../../party/domain/calls";
import { dayLabel, formatTime } from "./dates";

export { matches };

export const STATUS_TEXT = { answered: "Atendidas", initiated: "Iniciadas", missed: "Perdidas" } as const;
export const FILTERS: { id: CallFilter; label: string }[] = [
  { id: "all", label: "Todas" },
  { id: "missed", label: STATUS_TEXT.missed },
  { id: "initiated", label: STATUS_TEXT.initiated },
  { id: "answered", label: STATUS_TEXT.answered },
];

/** Newest first; the call id breaks ties, as the room's cursor does. */
export function newestFirst(a: CallHistoryEntry, b: CallHistoryEntry): number {
  return b.endedAt - a.endedAt || (a.callId < b.callId ? 1 : a.callId > b.callId ? -1 : 0);
}

/** The list after a live entry arrived: added when it matches what is on screen, never twice. */
export function mergeLive(
  list: readonly CallHistoryEntry[],
  entry: CallHistoryEntry,
  filter: CallFilter,
  query: string,
  nameOf: (userId: string) => string | undefined,
): CallHistoryEntry[] {
  if (!matches(entry, filter, query, nameOf)) return [...list];
  return [...list.filter((e) => e.callId !== entry.callId), entry].sort(newestFirst);
}

/** A page appended after the ones shown (a retry may repeat entries). */
export function appendPage(list: readonly CallHistoryEntry[], page: readonly CallHistoryEntry[]): CallHistoryEntry[] {
  const seen = new Set(list.map((e) => e.callId));
  return [...list, ...page.filter((e) => !seen.has(e.callId))].sort(newestFirst);
}

/** "Hoje 14:03", "Ontem 09:10" or "03/11/2026 18:00". */
export function whenLabel(ms: number, now: number): string {
  return `${dayLabel(ms, now)} ${formatTime(ms)}`;
}

/** "2 min 05 s", "45 s"; unanswered calls have no duration. */
export function durationLabel(entry: Pick<CallHistoryEntry, "answered" | "durationMs">): string {
  if (!entry.answered) return "";
  const s = Math.round(entry.durationMs / 1000);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${String(s % 60).padStart(2, "0")} s` : `${s} s`;
}

/** Outbound calls nobody answered are drawn red; answered ones grey (R28). */
export function iconTone(entry: Pick<CallHistoryEntry, "status" | "answered">): "grey" | "red" | "green" {
  if (entry.status === "initiated") return entry.answered ? "grey" : "red";
  return entry.status === "missed" ? "red" : "green";
}
