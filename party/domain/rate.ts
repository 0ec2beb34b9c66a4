/**
 * Token buckets (issue 12.7): each person gets `burst` actions at once and
 * `perSecond` more every second, so a flood from one socket is refused early
 * (before its frames are parsed) without slowing anyone else. Pure: the caller
 * keeps the buckets and passes the clock.
 */
export type Bucket = { tokens: number; at: number; refused: number };
export type BucketRule = { burst: number; perSecond: number };

export function newBucket(rule: BucketRule, now: number): Bucket {
  return { tokens: rule.burst, at: now, refused: 0 };
}

/**
 * Takes one token. Returns 0 when allowed, or how many ms until one is free.
 * `refused` counts refusals in a row, so sustained abuse can be told from a burst.
 */
export function take(b: Bucket, rule: BucketRule, now: number): number {
  b.tokens = Math.min(rule.burst, b.tokens + ((now - b.at) / 1000) * rule.perSecond);
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    b.refused = 0;
    return 0;
  }
  b.refused += 1;
  return Math.ceil(((1 - b.tokens) / rule.perSecond) * 1000);
}

/** Buckets per key (a user in a room), dropping the idle ones so memory stays small. */
export class Buckets {
  private readonly map = new Map<string, Bucket>();
  constructor(private readonly rule: BucketRule) {}

  take(key: string, now: number): { waitMs: number; refusedInARow: number } {
    let b = this.map.get(key);
    if (!b) {
      if (this.map.size > 10_000) this.sweep(now);
      this.map.set(key, (b = newBucket(this.rule, now)));
    }
    const waitMs = take(b, this.rule, now);
    return { waitMs, refusedInARow: b.refused };
  }

  private sweep(now: number): void {
    const full = this.rule.burst / this.rule.perSecond;
    for (const [k, b] of this.map) if (now - b.at > full * 1000) this.map.delete(k);
  }
}
