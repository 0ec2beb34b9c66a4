/**
 * Rate limits for every request a browser sends (issue 16.5), and a back-off per
 * extension when the PBX keeps refusing its credentials. All agents reach the PBX
 * from the proxy's one address: one abusive socket must never get the company's
 * address banned by the PBX's fail2ban, so what is over the limit is answered
 * here and never forwarded. Pure bookkeeping with the clock passed in.
 */

/** What each limit counts: REGISTERs, OPTIONS, and requests inside a call (re-INVITE, INFO, REFER, …; never ACK, CANCEL or BYE). */
export type LimitKind = "register" | "options" | "in-dialog";

export type RateLimits = Record<LimitKind, number>;

/** A token bucket per user and kind: `perMinute` requests a minute, up to a minute's worth at once. */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: RateLimits) {}

  /** Takes one request's token; null when allowed, else the seconds until one is free (for Retry-After). */
  take(user: string, kind: LimitKind, now: number): number | null {
    const cap = this.perMinute[kind];
    const rate = cap / 60_000;
    const key = `${kind} ${user}`;
    const b = this.buckets.get(key) ?? { tokens: cap, at: now };
    b.tokens = Math.min(cap, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  /** Forgets buckets that have filled up again (nothing to remember). */
  sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      const cap = this.perMinute[key.slice(0, key.indexOf(" ")) as LimitKind];
      if (b.tokens + (now - b.at) * (cap / 60_000) >= cap) this.buckets.delete(key);
    }
  }
}

export type AuthBackoff = { failures: number; windowMs: number; blockMs: number };

/**
 * Repeated 401/403 from the PBX for one extension (wrong or missing credentials)
 * stop its REGISTERs and INVITEs at the proxy for a while, instead of the PBX
 * counting failed logins from our address.
 */
export class AuthGuard {
  private state = new Map<string, { fails: number[]; until: number }>();

  constructor(private readonly o: AuthBackoff) {}

  /** Until when the extension is held back, or null. */
  blocked(extension: string, now: number): number | null {
    const s = this.state.get(extension);
    return s && s.until > now ? s.until : null;
  }

  failed(extension: string, now: number): void {
    const s = this.state.get(extension) ?? { fails: [], until: 0 };
    s.fails = s.fails.filter((t) => t > now - this.o.windowMs);
    s.fails.push(now);
    if (s.fails.length >= this.o.failures) {
      s.until = now + this.o.blockMs;
      s.fails = [];
    }
    this.state.set(extension, s);
  }

  succeeded(extension: string): void {
    this.state.delete(extension);
  }
}
