/**
 * Toll-fraud and abuse defence, per user: what may be dialled (a configurable
 * pattern over digits, `+`, `*`, `#`), how many calls at once and how many
 * attempts a minute. `dialRefusal` is pure; `AttemptLog` keeps the one piece of
 * state (recent attempt times per user), with the clock passed in.
 */
import type { Refusal } from "./identity";
import { allows, classify, type CallClass, type DialPlan } from "./dial-plan";

export type DialRules = { maxConcurrentCalls: number; maxAttemptsPerMinute: number; dialPattern: RegExp; dialPlan: DialPlan };

/**
 * Why `dialled` may not be called now by a user with `activeCalls` calls and
 * `recentAttempts` attempts this minute, or null. `callClass` is the user's class
 * of service where calls can reach a trunk (PBX mode); null skips that check.
 */
export function dialRefusal(
  rules: DialRules,
  dialled: string | null,
  activeCalls: number,
  recentAttempts: number,
  callClass: CallClass | null = null,
): Refusal | null {
  // Letters are not a number at all (484); a well-formed number outside the pattern is refused (403).
  // (A Reason-Phrase may not contain "#": sip.js drops such a response, so the phrase avoids it.)
  if (!dialled || !/^[0-9+*#]+$/.test(dialled)) return { status: 484, reason: "Address Incomplete (not a phone number)" };
  if (!rules.dialPattern.test(dialled)) return { status: 403, reason: "Forbidden (number not allowed)" };
  if (callClass) {
    const needed = classify(dialled, rules.dialPlan);
    if (!needed) return { status: 484, reason: "Address Incomplete (unknown number)" };
    // The same words as the dial pattern's: the card says "Você não tem permissão para ligar para este número."
    if (!allows(callClass, needed.class)) return { status: 403, reason: "Forbidden (number not allowed)", needs: needed.class };
  }
  if (activeCalls >= rules.maxConcurrentCalls) return { status: 486, reason: "Busy Here (too many calls)" };
  if (recentAttempts >= rules.maxAttemptsPerMinute) return { status: 403, reason: "Forbidden (too many call attempts)" };
  return null;
}

/** Call attempts per user over the last minute. */
export class AttemptLog {
  private attempts = new Map<string, number[]>();

  recent(user: string, now: number): number {
    const kept = (this.attempts.get(user) ?? []).filter((t) => t > now - 60_000);
    if (kept.length) this.attempts.set(user, kept);
    else this.attempts.delete(user);
    return kept.length;
  }

  note(user: string, now: number): void {
    const list = this.attempts.get(user) ?? [];
    list.push(now);
    this.attempts.set(user, list);
  }
}
