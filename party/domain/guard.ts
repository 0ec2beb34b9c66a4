/**
 * Sign-in attempts (issue 12.4), as pure rules: failures are counted per key (an
 * account, a client address) within a window; past a threshold every further
 * failure doubles the wait before the next try, capped, and a success clears an
 * account's count. A company's agents often share one public address, so an
 * address gets a far higher threshold than an account.
 */
export type Attempts = { failures: number; windowStart: number; lockedUntil: number };
export type GuardRule = { threshold: number; windowMs: number; baseLockMs: number; maxLockMs: number };

export const ACCOUNT_RULE: GuardRule = { threshold: 5, windowMs: 15 * 60_000, baseLockMs: 60_000, maxLockMs: 15 * 60_000 };
export const ADDRESS_RULE: GuardRule = { threshold: 50, windowMs: 15 * 60_000, baseLockMs: 60_000, maxLockMs: 15 * 60_000 };

export const ruleFor = (key: string): GuardRule => (key.startsWith("ip:") ? ADDRESS_RULE : ACCOUNT_RULE);

/** How long until this key may try again (0: now). */
export function waitFor(a: Attempts | null, now: number): number {
  return a ? Math.max(0, a.lockedUntil - now) : 0;
}

/** The key's state after one more attempt. A success clears an account; an address only forgets with time. */
export function afterAttempt(a: Attempts | null, key: string, ok: boolean, now: number): Attempts | null {
  const rule = ruleFor(key);
  if (ok) return key.startsWith("ip:") ? a : null;
  const fresh = !a || now - a.windowStart > rule.windowMs;
  const failures = fresh ? 1 : a.failures + 1;
  const over = failures - rule.threshold;
  const lockedUntil = over >= 0 ? now + Math.min(rule.maxLockMs, rule.baseLockMs * 2 ** over) : 0;
  return { failures, windowStart: fresh ? now : a.windowStart, lockedUntil };
}

/** "Muitas tentativas. Tente de novo em N minutos." */
export function tooManyAttempts(waitMs: number): string {
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  return `Muitas tentativas. Tente de novo em ${minutes} ${minutes === 1 ? "minuto" : "minutos"}.`;
}
