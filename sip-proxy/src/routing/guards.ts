/**
 * The proxy's front door for browsers' requests (issue 16.5): the per-user rate
 * limits, the socket that keeps going over them, and the extension whose
 * credentials the PBX keeps refusing. Each check returns the refusal to answer
 * (status, reason phrase, Retry-After) or null; nothing is forwarded on a refusal.
 */
import * as sip from "../sip/message";
import type { SipRequest } from "../sip/message";
import type { Caller } from "../session";
import type { Log } from "../log";
import { AuthGuard, RateLimiter, type AuthBackoff, type LimitKind, type RateLimits } from "./limits";

export type GuardRefusal = { status: number; reason: string; retryAfter: number };

/** Requests over the limit past this many in a minute get their socket dropped. */
export const ABUSIVE = 50;

export class Guards {
  private readonly limiter: RateLimiter;
  private readonly authGuard: AuthGuard;
  private readonly overLimit = new Map<string, { count: number; since: number }>();

  constructor(private readonly o: { rateLimits: RateLimits; authBackoff: AuthBackoff; log: Log; disconnect?(connId: string): void }) {
    this.limiter = new RateLimiter(o.rateLimits);
    this.authGuard = new AuthGuard(o.authBackoff);
    setInterval(() => this.limiter.sweep(Date.now()), 60_000).unref?.();
  }

  /** A browser's request over its user's rate limit; past `ABUSIVE` such refusals in a minute its socket is dropped. */
  rateLimited(connId: string, caller: Caller, req: SipRequest, now = Date.now()): GuardRefusal | null {
    const kind = limitKind(req);
    if (!kind) return null;
    const retryAfter = this.limiter.take(`${caller.tenant}/${caller.userId}`, kind, now);
    if (retryAfter === null) return null;
    const seen = this.overLimit.get(connId);
    const window = seen && seen.since > now - 60_000 ? seen : { count: 0, since: now };
    window.count++;
    this.overLimit.set(connId, window);
    if (window.count === ABUSIVE) {
      this.o.log(`${ABUSIVE} requests over the limits in a minute; dropping the socket`, {
        level: "warn",
        conn: connId,
        user: `${caller.tenant}/${caller.userId}`,
      });
      // After this request's own 503 has gone out.
      setImmediate(() => this.o.disconnect?.(connId));
    }
    return { status: 503, reason: "Service Unavailable (rate limited)", retryAfter };
  }

  forget(connId: string): void {
    this.overLimit.delete(connId);
  }

  /** The PBX keeps refusing this extension's credentials: its REGISTERs and INVITEs stop here for a while. */
  heldBack(caller: Caller, req: SipRequest, now = Date.now()): GuardRefusal | null {
    const until = caller.extension ? this.authGuard.blocked(`${caller.tenant}/${caller.extension}`, now) : null;
    if (until === null) return null;
    this.o.log(`held back ${req.method} from ${caller.tenant}/${caller.extension}: the PBX refused its credentials`, {
      level: "warn",
      callId: sip.callId(req),
    });
    return { status: 403, reason: "Forbidden (PBX refused the credentials; retry later)", retryAfter: Math.ceil((until - now) / 1000) };
  }

  /** The PBX's final answer to an extension's REGISTER or INVITE: refusals of its credentials count towards holding it back. */
  pbxVerdict(caller: Caller, status: number, now = Date.now()): void {
    if (!caller.extension) return;
    const key = `${caller.tenant}/${caller.extension}`;
    if (status === 401 || status === 407 || status === 403) this.authGuard.failed(key, now);
    else if (status < 300) this.authGuard.succeeded(key);
  }
}

/** Which rate limit a browser's request counts against; null for those never limited (new calls have their own, ending a call never is). */
function limitKind(req: SipRequest): LimitKind | null {
  if (req.method === "ACK" || req.method === "CANCEL" || req.method === "BYE") return null;
  if (sip.tagOf(req, "To")) return "in-dialog";
  if (req.method === "REGISTER") return "register";
  if (req.method === "INVITE") return null;
  return "options";
}
