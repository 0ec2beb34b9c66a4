/**
 * Issue 17.2, "está digitando…": who is typing in the open chat, from the room's
 * ephemeral `typing` frames. Each frame keeps its person on the line for the
 * protocol's TYPING_TTL_MS; their message arriving takes them off at once. When to say that
 * one is typing oneself is throttled here too, so a burst of keystrokes is one
 * frame every few seconds. Pure: times come in as arguments.
 */
import { tx } from "../i18n-chat-extras";

/** userId → when their "digitando…" goes (epoch ms). */
export type Typists = ReadonlyMap<string, number>;

/**
 * Sent again this often while typing goes on: under the TTL, so the line holds
 * without a gap, and over the room's own throttle (2 s), so a frame the room
 * dropped (typing again right after sending) is followed soon by one it takes.
 */
export const TYPING_RESEND_MS = 2_500;

/** A `typing` frame heard: its sender stays on the line for `ttlMs` (the protocol's TYPING_TTL_MS). */
export function heardTyping(typists: Typists, userId: string, now: number, ttlMs: number): Typists {
  return new Map(typists).set(userId, now + ttlMs);
}

/** Their message arrived (or they left): they are not typing any more. */
export function stoppedTyping(typists: Typists, userId: string): Typists {
  if (!typists.has(userId)) return typists;
  const next = new Map(typists);
  next.delete(userId);
  return next;
}

/** Who is typing now, in the order they started; and when the next of them goes (null: nobody). */
export function typingNow(typists: Typists, now: number): { userIds: string[]; nextExpiry: number | null } {
  const userIds: string[] = [];
  let nextExpiry: number | null = null;
  for (const [u, until] of typists) {
    if (until <= now) continue;
    userIds.push(u);
    nextExpiry = nextExpiry === null ? until : Math.min(nextExpiry, until);
  }
  return { userIds, nextExpiry };
}

/** "Ana está digitando…", "Ana e Bruno estão digitando…", "Várias pessoas estão digitando…"; "" for nobody. */
export function typingLine(names: readonly string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return tx.typingOne(names[0]!);
  if (names.length === 2) return tx.typingTwo(names[0]!, names[1]!);
  return tx.typingMany;
}

/**
 * Whether a keystroke should say "typing" now: the text is not empty (deleting
 * everything is not typing a message) and the last frame is older than the resend interval.
 */
export function shouldSendTyping(text: string, lastSent: number | null, now: number): boolean {
  if (text.trim().length === 0) return false;
  return lastSent === null || now - lastSent >= TYPING_RESEND_MS;
}
