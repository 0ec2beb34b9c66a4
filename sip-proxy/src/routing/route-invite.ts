/**
 * Where a new call goes (RFC 3261 §16.5), as a pure function: the recorded
 * INVITE and the facts the proxy holds (who is on the socket, who is registered,
 * how many calls each user has) in; the two legs and the Request-URI out, or the
 * refusal the caller gets. No state is read or written here beyond what the
 * facts carry, so each rule is one line a test can hit with a recorded INVITE.
 */
import * as sip from "../sip/message";
import type { SipRequest } from "../sip/message";
import type { Caller } from "../session";
import type { NetPeer } from "../transport/net";
import type { Leg, Peer } from "./calls";
import { originRefusal, type Refusal } from "./identity";
import { dialRefusal, type DialRules } from "./policy";

/** A registered browser: the socket it registered on, its Contact and the platform user. */
export type Callee = { connId: string; contact: string; user: Caller };

export type InviteFacts = {
  from: Peer;
  req: SipRequest;
  /** The platform user bound to the socket the INVITE came on (browser INVITEs only). */
  caller: Caller | null;
  /** The company PBX (its host as configured, its peer resolved) and its tenant; null in registrar mode. */
  pbx: { peer: NetPeer; host: string; port: number; tenant: string } | null;
  rules: DialRules;
  /** The caller's call attempts in the last minute. */
  recentAttempts: number;
  activeCalls(tenant: string, userId: string): number;
  /** The browser registered for this extension in the tenant, if any. */
  locate(tenant: string, extension: string): Callee | null;
  /** The browser behind a contact alias the proxy handed out (PBX calls to `sip:<alias>@proxy`). */
  alias(user: string | null): Callee | null;
};

/** A call attempt refused before it rang, still worth a record (R27): who tried whom. */
export type Attempt = { caller: Caller; dialled: string; callee: Caller | null };

export type InviteRoute =
  { kind: "route"; tenant: string; a: Leg; b: Leg; uri: string } | { kind: "refuse"; refusal: Refusal; attempt: Attempt | null };

const refuse = (refusal: Refusal, attempt: Attempt | null = null): InviteRoute => ({ kind: "refuse", refusal, attempt });

function leg(peer: Peer, user: Caller | null, number: string, party: string, contact: string | null): Leg {
  return { peer, user, number, party, contact, cseq: 0 };
}

export function routeInvite(f: InviteFacts): InviteRoute {
  const { req } = f;
  const dialled = sip.uriFacts(req.uri)?.user ?? null;
  const fromHeader = sip.header(req, "From")!;
  const toHeader = sip.header(req, "To")!;
  const contact = firstContactUri(req);
  if (f.from.kind === "ws") {
    const caller = f.caller!;
    const refusal =
      originRefusal(caller, req) ??
      tenantRefusal(f, caller) ??
      // Classes of service guard the trunk: with no PBX there is none, and only registered colleagues answer.
      dialRefusal(
        f.rules,
        dialled,
        f.activeCalls(caller.tenant, caller.userId),
        f.recentAttempts,
        f.pbx ? (caller.callClass ?? "internal") : null,
      );
    if (refusal) return refuse(refusal);
    const number = dialled!;
    const a = leg(f.from, caller, caller.extension!, fromHeader, contact);
    if (f.pbx) return { kind: "route", tenant: caller.tenant, a, b: leg(f.pbx.peer, null, number, toHeader, null), uri: pbxUri(f, number) };
    const callee = f.locate(caller.tenant, number);
    if (!callee) return refuse({ status: 480, reason: "Temporarily Unavailable" }, { caller, dialled: number, callee: null });
    if (f.activeCalls(caller.tenant, callee.user.userId) >= f.rules.maxConcurrentCalls)
      return refuse({ status: 486, reason: "Busy Here" }, { caller, dialled: number, callee: callee.user });
    const b = leg({ kind: "ws", connId: callee.connId }, callee.user, number, toHeader, null);
    return { kind: "route", tenant: caller.tenant, a, b, uri: callee.contact };
  }
  // From the PBX: to a browser, by the alias it registered with or by its extension.
  if (!f.pbx) return refuse({ status: 403, reason: "Forbidden" });
  const tenant = f.pbx.tenant;
  const callerNumber = sip.userOf(req, "From") ?? "";
  const callee = f.alias(dialled) ?? (dialled ? f.locate(tenant, dialled) : null);
  if (!callee) return refuse({ status: 480, reason: "Temporarily Unavailable" });
  const number = callee.user.extension ?? dialled ?? "";
  if (f.activeCalls(tenant, callee.user.userId) >= f.rules.maxConcurrentCalls) {
    const outside: Caller = { tenant, userId: "", extension: callerNumber };
    return refuse({ status: 486, reason: "Busy Here" }, { caller: outside, dialled: number, callee: callee.user });
  }
  const a = leg(f.from, null, callerNumber, fromHeader, contact);
  const b = leg({ kind: "ws", connId: callee.connId }, callee.user, number, toHeader, null);
  return { kind: "route", tenant, a, b, uri: callee.contact };
}

function pbxUri(f: InviteFacts, number: string): string {
  return `sip:${number}@${f.pbx!.host}:${f.pbx!.port}`;
}

function tenantRefusal(f: InviteFacts, caller: Caller): Refusal | null {
  return f.pbx && caller.tenant !== f.pbx.tenant ? { status: 403, reason: "Forbidden (tenant not on this PBX)" } : null;
}

/** The first Contact's URI; also a bare addr-spec (`Contact: sip:x@host`, as sipp and some PBXs send), whose `;params` belong to the header. */
export function firstContactUri(m: sip.SipMessage): string | null {
  const v = sip.header(m, "Contact");
  if (!v) return null;
  const na = sip.addr(sip.splitList(v)[0] ?? v);
  if (na) return na.uri;
  const bare = v.split(/[;,]/)[0]!.trim();
  return sip.uriFacts(bare) ? bare : null;
}
