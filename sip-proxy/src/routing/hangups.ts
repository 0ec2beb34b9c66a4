/**
 * When and how the proxy ends calls itself (issues 16.3, 16.4, 16.8): a BYE on
 * behalf of a leg that went away or whose own BYE the other side refused, tried
 * again until the other side lets go; both legs at once (shutdown, a session
 * timer that ran out); and the blind transfer's rule that the transferor's leg
 * lasts until the PBX's final NOTIFY. Every BYE follows the dialog's route set.
 */
import type { SipRequest } from "../sip/message";
import type { EndReason } from "../records";
import { isLeg, type Call, type Leg, type Peer } from "./calls";
import type { ProxyCore } from "./core";
import { byeFor } from "./generated";
import { isReferNotify, sipfragStatus } from "./dialog-rules";

/** The final answers that say a BYE's dialog is over (RFC 3261 §15.1.2: 481 and 408 mean it is gone already). */
export const isOver = (status: number) => (status >= 200 && status < 300) || status === 481 || status === 408;
/** How many BYEs the proxy sends itself for a call the other side will not let go of. */
const TEARDOWN_TRIES = 3;
/** Timer B (64·T1): how long a transferor's held BYE waits for a final NOTIFY that never comes. */
const NOTIFY_WAIT_MS = 32_000;

export class Hangups {
  constructor(
    private readonly core: ProxyCore,
    private readonly o: {
      teardownMs: number;
      /** Ends an unanswered call's INVITE transactions both ways (CANCEL towards the callee, 480 to the caller). */
      abandon(call: Call): void;
    },
  ) {}

  /** A leg's BYE was answered: 2xx, 481 or 408 end the call; any other answer means the far side still holds it. */
  byeAnswered(call: Call, from: Peer, status: number): void {
    const reason = call.ending?.reason ?? "failed";
    if (isOver(status)) return this.core.finish(call, reason);
    const [by, to] = isLeg(call.a, from) ? [call.a, call.b] : [call.b, call.a];
    this.core.log(`BYE answered ${status}: the proxy hangs up in ${this.o.teardownMs} ms`, { level: "warn", callId: call.callId });
    setTimeout(() => this.teardown(call, by, to, reason), this.o.teardownMs).unref?.();
  }

  /**
   * The proxy hangs `to` up on behalf of `by` (whose socket is gone, or whose own
   * BYE was refused); the call ends when `to` says so, or after a few tries, when
   * nothing more can be done from here.
   */
  teardown(call: Call, by: Leg, to: Leg, reason: EndReason, attempt = 1): void {
    if (call.endedAt !== null) return;
    call.ending ??= { reason };
    void this.bye(call, by, to, `SIP;cause=480;text="${reason}"`).then((status) => {
      if (isOver(status) || attempt >= TEARDOWN_TRIES) return this.core.finish(call, reason);
      setTimeout(() => this.teardown(call, by, to, reason, attempt + 1), this.o.teardownMs).unref?.();
    });
  }

  /** Both legs get a BYE from the proxy (before the answer: CANCEL and 480); the call is over when both have answered. */
  hangUp(call: Call, reasonHeader: string): void {
    if (call.endedAt !== null) return;
    if (call.answeredAt === null) {
      this.o.abandon(call);
      return this.core.finish(call, "connection-lost");
    }
    call.ending ??= { reason: "connection-lost" };
    void Promise.all([this.bye(call, call.a, call.b, reasonHeader), this.bye(call, call.b, call.a, reasonHeader)]).then(() =>
      this.core.finish(call, call.ending!.reason),
    );
  }

  /** RFC 4028: a refresh (a re-INVITE or UPDATE answered 2xx) restarts the interval; when it runs out the call is over. */
  armSessionTimer(call: Call, seconds: number | null): void {
    clearTimeout(call.sessionTimer);
    if (!seconds) return;
    call.sessionTimer = setTimeout(() => {
      this.core.log(`session expired after ${seconds} s without a refresh: hanging up`, { level: "warn", callId: call.callId });
      this.hangUp(call, 'SIP;cause=408;text="session expired"');
    }, seconds * 1000);
    call.sessionTimer.unref?.();
  }

  /**
   * Blind transfer: the transferor's BYE before the final NOTIFY is answered here
   * and held; the NOTIFYs it can no longer take are answered here. True when the
   * request was handled and goes no further.
   */
  transferRule(call: Call, by: Leg, dst: Leg, req: SipRequest, reason: EndReason): boolean {
    const t = call.transfer;
    if (!t) return false;
    if (req.method === "BYE" && by === t.by && !t.byeHeld && !t.done) {
      t.byeHeld = true;
      call.ending ??= { reason };
      this.core.reply(by.peer, req, 200, "OK");
      // A PBX that never sends the final NOTIFY still gets its BYE.
      t.timer = setTimeout(() => this.teardown(call, t.by, dst, reason), NOTIFY_WAIT_MS);
      t.timer.unref?.();
      return true;
    }
    if (!isReferNotify(req) || dst !== t.by || !t.byeHeld) return false;
    this.core.reply(by.peer, req, 200, "OK");
    this.notifyAnswered(call, req, by);
    return true;
  }

  /** A transfer NOTIFY was answered (by the browser, or for it): after the final one a transferor that hung up loses its leg. */
  notifyAnswered(call: Call, notify: SipRequest, transferee: Leg): void {
    const t = call.transfer;
    if (!t || (sipfragStatus(notify.body) ?? 0) < 200) return;
    t.done = true;
    if (!t.byeHeld) return;
    clearTimeout(t.timer);
    // After the NOTIFY's own 200 is on its way: the PBX expects that answer before the BYE.
    setImmediate(() => this.teardown(call, t.by, transferee, call.ending?.reason ?? "caller-hangup"));
  }

  /** A BYE from the proxy on behalf of `by` towards `to`, through the route set towards `to`; 481 when `to` cannot be reached. */
  private bye(call: Call, by: Leg, to: Leg, reasonHeader: string): Promise<number> {
    if (!to.contact || !this.core.reachable(to.peer)) return Promise.resolve(481);
    return this.core.send(byeFor(call, by, to, this.core.via(to.peer), reasonHeader), to.peer);
  }
}
