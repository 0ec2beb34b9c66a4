/**
 * Toll-fraud and abuse defence, per user: what may be dialled (a configurable
 * pattern over digits, `+`, `*`, `#`), how many calls at once and how many
 * attempts a minute. Pure: the proxy passes in the clock and its live calls.
 */
import type { Refusal } from "./identity";

export type Limits = { maxConcurrentCalls: number; maxAttemptsPerMinute: number; dialPattern: RegExp };

export class CallPolicy {
  private attempts = new Map<string, number[]>();

  constructor(private readonly limits: Limits) {}

  /** Checks and, when allowed, counts one attempt by `user` to `dialled`. */
  admit(user: string, dialled: string | null, activeCalls: number, now = Date.now()): Refusal | null {
    // Letters are not a number at all (484); a well-formed number outside the pattern is refused (403).
    // (A Reason-Phrase may not contain "#": sip.js drops such a response, so the phrase avoids it.)
    if (!dialled || !/^[0-9+*#]+$/.test(dialled)) return { status: 484, reason: "Address Incomplete (not a phone number)" };
    if (!this.limits.dialPattern.test(dialled)) return { status: 403, reason: "Forbidden (number not allowed)" };
    if (activeCalls >= this.limits.maxConcurrentCalls) return { status: 486, reason: "Busy Here (too many calls)" };
    const recent = (this.attempts.get(user) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= this.limits.maxAttemptsPerMinute) {
      this.attempts.set(user, recent);
      return { status: 403, reason: "Forbidden (too many call attempts)" };
    }
    recent.push(now);
    this.attempts.set(user, recent);
    return null;
  }
}
