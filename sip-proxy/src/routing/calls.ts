/**
 * The calls the proxy is carrying, keyed by Call-ID: who the two legs are (a
 * browser socket or the PBX), what the dialog looks like once answered (tags,
 * contacts, CSeq so far — enough to send a BYE for a leg that vanished), and the
 * facts a call record is derived from. In-dialog requests are only accepted from
 * a leg of a known call, so one browser cannot end or re-INVITE another's call.
 */
import type { Caller } from "../session";
import { reasonForFailure, type CallRecord, type EndReason } from "../records";
import type { WsPeer } from "../transport/ws";
import type { NetPeer } from "../transport/net";

export type Peer = WsPeer | NetPeer;

export type Leg = {
  peer: Peer;
  /** The platform user on this leg (browser legs only). */
  user: Caller | null;
  /** Extension or number as it appears in the SIP URI. */
  number: string;
  /** From (caller) / To (callee) header value as this leg knows it, with its tag once known. */
  party: string;
  /** Where this leg takes in-dialog requests (its original Contact URI). */
  contact: string | null;
  /** The highest CSeq this leg has used. */
  cseq: number;
  /**
   * The route set towards this leg (RFC 3261 §12.2.1.1): the Record-Route entries
   * between the proxy and this leg, in the order a request towards it carries them.
   * Known once the call is answered; requests the proxy makes itself follow it.
   */
  routes?: string[];
};

export type Call = {
  callId: string;
  tenant: string;
  a: Leg;
  b: Leg;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  endReason: EndReason | null;
  /**
   * A BYE is on its way: the call is over only when the other side says so (its
   * 2xx, 481 or 408) or the proxy's own teardown does; until then it still counts.
   */
  ending?: { reason: EndReason };
  /** Told once when the call has ended (the proxy's shutdown waits on it). */
  onEnded?(): void;
  /** RFC 4028: the negotiated session interval runs out unless refreshed (issue 16.8). */
  sessionTimer?: ReturnType<typeof setTimeout>;
  /**
   * A blind transfer the PBX accepted (REFER answered 2xx): the transferor keeps its
   * leg until the final NOTIFY; a BYE it sends meanwhile is answered by the proxy
   * and held (`byeHeld`), and the proxy hangs that leg up after the final NOTIFY.
   */
  transfer?: { by: Leg; byeHeld: boolean; done: boolean; timer?: ReturnType<typeof setTimeout> };
};

export function samePeer(x: Peer, y: Peer): boolean {
  if (x.kind === "ws" || y.kind === "ws") return x.kind === y.kind && (x as WsPeer).connId === (y as WsPeer).connId;
  return x.transport === y.transport && x.host === y.host && x.port === y.port;
}

/** Whether a request from `from` belongs to this leg (the PBX may answer from another port than we sent to). */
export function isLeg(leg: Leg, from: Peer): boolean {
  if (leg.peer.kind === "ws" || from.kind === "ws") return samePeer(leg.peer, from);
  return leg.peer.host === from.host;
}

export class CallTable {
  private calls = new Map<string, Call>();

  get(callId: string): Call | undefined {
    return this.calls.get(callId);
  }

  add(call: Call): void {
    this.calls.set(call.callId, call);
  }

  /** Calls still going on for a platform user (either leg). */
  activeFor(tenant: string, userId: string): number {
    let n = 0;
    for (const c of this.calls.values()) {
      if (c.endedAt !== null || c.tenant !== tenant) continue;
      if (c.a.user?.userId === userId || c.b.user?.userId === userId) n++;
    }
    return n;
  }

  /** Calls not over yet. */
  live(): Call[] {
    return [...this.calls.values()].filter((c) => c.endedAt === null);
  }

  onConnection(connId: string): Call[] {
    return [...this.calls.values()].filter(
      (c) => c.endedAt === null && [c.a, c.b].some((l) => l.peer.kind === "ws" && l.peer.connId === connId),
    );
  }

  /** Marks the call ended (first reason wins) and returns its record, or null if it had already ended. */
  end(call: Call, reason: EndReason, now = Date.now()): CallRecord | null {
    if (call.endedAt !== null) return null;
    call.endedAt = now;
    call.endReason = reason;
    // Keep the entry a little so late retransmissions and the BYE's 200 still find their call.
    setTimeout(() => this.calls.delete(call.callId), 32_000).unref?.();
    return recordOf(call);
  }
}

/**
 * A call that was attempted but never rang (the callee is not registered, or is
 * busy): still recorded, so the caller's history shows the attempt ("Iniciadas",
 * not answered) and a busy colleague's shows it "Perdidas". `caller.userId` is ""
 * for a caller from the PBX (not a platform user); null when nobody's history has it.
 */
export function attemptRecord(
  callId: string,
  status: number,
  { caller, dialled, callee }: { caller: Caller; dialled: string; callee: Caller | null },
  now: number,
): CallRecord | null {
  const parties: CallRecord["parties"] = [];
  if (caller.userId) parties.push({ userId: caller.userId, direction: "outbound" });
  if (callee) parties.push({ userId: callee.userId, direction: "inbound" });
  if (!parties.length) return null;
  return {
    callId,
    tenant: caller.tenant,
    caller: { userId: caller.userId || null, number: caller.extension ?? "" },
    callee: { userId: callee?.userId ?? null, number: dialled },
    parties,
    answered: false,
    startedAt: now,
    answeredAt: null,
    endedAt: now,
    endReason: reasonForFailure(status),
  };
}

export function recordOf(call: Call): CallRecord {
  const parties: CallRecord["parties"] = [];
  if (call.a.user) parties.push({ userId: call.a.user.userId, direction: "outbound" });
  if (call.b.user) parties.push({ userId: call.b.user.userId, direction: "inbound" });
  return {
    callId: call.callId,
    tenant: call.tenant,
    caller: { userId: call.a.user?.userId ?? null, number: call.a.number },
    callee: { userId: call.b.user?.userId ?? null, number: call.b.number },
    parties,
    answered: call.answeredAt !== null,
    startedAt: call.startedAt,
    answeredAt: call.answeredAt,
    endedAt: call.endedAt ?? Date.now(),
    endReason: call.endReason ?? "failed",
  };
}
