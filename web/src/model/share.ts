/**
 * How a shared customer conversation (R30) reads on screen: which side a line
 * sits on, its time (with the date when not today), the only links a transcript
 * may open (http and https), and how many older lines the card leaves out. Pure.
 */
import type { ShareCard, TranscriptLine } from "../../../protocol/share";
import { daysAgo, formatDate, formatTime } from "./dates";

/** The customer on the left; the agent and the bot on the right, told apart by class and label. */
export function lineSide(from: TranscriptLine["from"]): "left" | "right" {
  return from === "customer" ? "left" : "right";
}

/** "09:05" today; "24/11/2026 09:05" on another day; the raw text when it is not a date. */
export function lineTime(iso: string, now: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return daysAgo(ms, now) === 0 ? formatTime(ms) : `${formatDate(ms)} ${formatTime(ms)}`;
}

/** The address a media link may open: http(s) only, never javascript:, data: or a relative path. */
export function safeHref(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

/** Lines of the conversation the card does not show. */
export function olderLines(card: Pick<ShareCard, "lineCount" | "lastLines">): number {
  return Math.max(0, card.lineCount - card.lastLines.length);
}
