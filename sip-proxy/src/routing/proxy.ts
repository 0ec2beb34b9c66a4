/**
 * The routing core: a transaction-stateful proxy (RFC 3261 §16) between browser
 * sockets and the PBX — or, with no PBX, between browsers, the proxy being their
 * registrar. It keeps the transactions and the call table and moves messages
 * between them. Around it: where a call goes is `routeInvite` (pure); what it
 * writes into a message, `headers.ts`; the requests it makes itself, built in
 * `generated.ts`; when it ends calls itself, `hangups.ts`; the registrations it
 * holds at the PBX, `pbx-registrations.ts`; rate limits and credential back-off,
 * `guards.ts`. Identity (R2, R29) and abuse limits are checked before any state
 * is created; malformed SIP is answered 400 (or dropped) with no effect.
 */
import type { Config } from "../config";
import { LogThrottle, type Log } from "../log";
import type { Metrics } from "../metrics";
import type { CredentialSource } from "../credentials";
import * as sip from "../sip/message";
import type { SipRequest, SipResponse } from "../sip/message";
import { ClientTransaction } from "../transactions/client";
import { ServerTransaction } from "../transactions/server";
import { reasonForFailure, type CallRecord } from "../records";
import type { MediaAnchor, Towards } from "../media/rtpengine";
import type { Caller } from "../session";
import type { NetPeer } from "../transport/net";
import { attemptRecord, CallTable, isLeg, type Call, type Peer } from "./calls";
import { authorizedRetry, lateAnswerRequests, routeSets } from "./generated";
import { assertIdentity, restoreParties, Rewriter, shiftCseq } from "./headers";
import { registerRefusal } from "./identity";
import { Locations } from "./locations";
import { AttemptLog } from "./policy";
import { Guards, type GuardRefusal } from "./guards";
import { Hangups } from "./hangups";
import { PbxRegistrations, type SavedBinding } from "./pbx-registrations";
import type { ProxyCore } from "./core";
import { RegisterBook } from "./register";
import { dropTimerRequirement, isReferNotify, refresherIsPbx, sessionInterval } from "./dialog-rules";
import { firstContactUri, routeInvite, type InviteFacts, type InviteRoute } from "./route-invite";

export type ProxyOptions = {
  config: Config;
  /** The PBX as a peer, its host already resolved to an address; null in registrar mode. */
  pbx: NetPeer | null;
  /** Host name the proxy puts in Via and Contact towards browsers (never resolved by them). */
  wsHost: string;
  /** The SIP port towards the PBX, once bound (0 before). */
  sipPort(): number;
  send(peer: Peer, text: string): void;
  /** Drops a browser socket that keeps sending over its limits. */
  disconnect?(connId: string): void;
  report(record: CallRecord): void;
  log: Log;
  metrics?: Metrics;
  credentials: CredentialSource;
  /** rtpengine, when configured: SDP between a browser and the PBX is rewritten through it. */
  media?: MediaAnchor | null;
  /** Where a new call goes; `routeInvite` unless a harness (the bench) puts the proxy elsewhere. */
  routeInvite?: (facts: InviteFacts) => InviteRoute;
  /** The extensions registered at the PBX changed: what to withdraw if the process dies (issue 16.4). */
  onBindingsChanged?(bindings: SavedBinding[]): void;
};

export type { SavedBinding };

type ServerEntry = {
  key: string;
  from: Peer;
  tx: ServerTransaction;
  client?: ClientEntry;
  call?: Call;
  cancelPending: boolean;
  ringTimer?: ReturnType<typeof setTimeout>;
};
type ClientEntry = {
  branch: string;
  target: Peer;
  request: SipRequest;
  tx: ClientTransaction;
  server: ServerEntry | null;
  authTried: boolean;
  /** For requests the proxy makes itself on a user's behalf (un-REGISTER): whose secret answers a challenge. */
  onBehalf?: Caller;
  /** For requests the proxy makes itself: told the final status (408 on timeout). */
  done?(status: number): void;
};

const peerKey = (p: Peer) => (p.kind === "ws" ? `ws:${p.connId}` : `${p.transport}:${p.host}:${p.port}`);
const reliable = (p: Peer) => p.kind === "ws" || p.transport !== "udp";

export class SipProxy {
  readonly locations = new Locations();
  readonly calls = new CallTable();
  private readonly registers: RegisterBook;
  private readonly rewriter: Rewriter;
  private readonly conns = new Map<string, Caller>();
  private readonly servers = new Map<string, ServerEntry>();
  private readonly clients = new Map<string, ClientEntry>();
  private readonly cseqOffsets = new Map<string, number>();
  private readonly attempts = new AttemptLog();
  private readonly route: (facts: InviteFacts) => InviteRoute;
  /** Set by `drain()`: new calls are refused 503 while the ones in progress finish (issue 16.4). */
  private draining = false;
  private readonly guards: Guards;
  private readonly hangups: Hangups;
  private readonly registrations: PbxRegistrations | null;
  /** What peers send wrong is logged, but not a line per packet of a flood. */
  private readonly complaints: LogThrottle;

  constructor(private readonly o: ProxyOptions) {
    this.registers = new RegisterBook(this.locations);
    this.rewriter = new Rewriter(
      {
        wsHost: o.wsHost,
        sipHost: o.config.sipHost,
        sipPort: o.sipPort,
        pbxTransport: o.pbx?.transport ?? null,
        pbxDomain: o.config.pbxDomain,
      },
      this.locations,
    );
    this.route = o.routeInvite ?? routeInvite;
    this.complaints = new LogThrottle(o.log);
    this.guards = new Guards({ ...o.config, log: o.log, disconnect: o.disconnect });
    const core: ProxyCore = {
      send: (request, target, onBehalf) => this.sendOwn(request, target, onBehalf),
      via: (target) => this.rewriter.viaFor(target, sip.newBranch()),
      reachable: (peer) => peer.kind !== "ws" || this.conns.has(peer.connId),
      reply: (to, req, status, reason, extra) => this.reply(to, req, status, reason, extra),
      finish: (call, reason) => this.finish(call, reason),
      log: o.log,
    };
    this.hangups = new Hangups(core, {
      teardownMs: o.config.teardownMs,
      abandon: (call) => {
        this.abandonInvite(call, true);
        this.abandonInvite(call, false);
      },
    });
    this.registrations = o.pbx ? new PbxRegistrations(core, o.pbx, o.onBindingsChanged) : null;
  }

  openConnection(connId: string, caller: Caller): void {
    this.conns.set(connId, caller);
  }

  /** A socket went away: its calls end (BYE or CANCEL to the other leg) and are still recorded. */
  closeConnection(connId: string): void {
    this.conns.delete(connId);
    this.guards.forget(connId);
    for (const call of this.calls.onConnection(connId)) {
      const goneIsA = call.a.peer.kind === "ws" && call.a.peer.connId === connId;
      const [gone, other] = goneIsA ? [call.a, call.b] : [call.b, call.a];
      if (call.answeredAt !== null) {
        this.hangups.teardown(call, gone, other, "connection-lost");
      } else {
        this.abandonInvite(call, goneIsA);
        this.finish(call, "connection-lost");
      }
    }
    this.locations.dropConnection(connId);
    const withdrawn = this.registrations?.socketClosed(connId);
    if (withdrawn) setTimeout(() => this.cseqOffsets.delete(withdrawn), 32_000).unref?.();
  }

  // ---- life cycle (issue 16.4) ----------------------------------------------------

  /** The registrations a previous run left at the PBX (it crashed): withdraw each; resolves with their answers. */
  withdraw(saved: SavedBinding[]): Promise<number[]> {
    return this.registrations?.withdrawSaved(saved) ?? Promise.resolve([]);
  }

  /** Withdraws every registration the PBX holds through the proxy; resolves when all are answered. */
  unregisterAll(): Promise<void> {
    return this.registrations?.withdrawAll() ?? Promise.resolve();
  }

  /** Stops taking new calls (503); calls in progress go on. */
  drain(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Calls not over yet (a BYE in flight still counts). */
  liveCalls(): Call[] {
    return this.calls.live();
  }

  /** Ends every call: BYE to both legs of answered ones, CANCEL or 480 for the others. Resolves when all are over. */
  hangUpAll(): Promise<void> {
    const waits = this.calls.live().map(
      (call) =>
        new Promise<void>((resolve) => {
          call.onEnded = resolve;
          this.hangups.hangUp(call, 'SIP;cause=503;text="proxy shutting down"');
        }),
    );
    return Promise.all(waits).then(() => undefined);
  }

  /** How many extensions are registered (at the PBX through the proxy, or at the proxy itself). */
  registrationCount(): number {
    return this.registrations ? this.registrations.size : this.locations.count();
  }

  receive(from: Peer, text: string): void {
    const parsed = sip.parseSip(text);
    if (!parsed.ok) {
      this.complaints.line(peerKey(from), "malformed SIP", { level: "warn", peer: peerKey(from), reason: parsed.reason });
      if (parsed.answer) this.o.send(from, sip.serialise(parsed.answer));
      return;
    }
    if (from.kind === "net" && (!this.o.pbx || from.host !== this.o.pbx.host)) {
      this.complaints.line(peerKey(from), "dropped SIP: not from the PBX", { level: "warn", peer: peerKey(from) });
      return;
    }
    const m = parsed.message;
    if (m.kind === "request" && from.kind === "ws") {
      const caller = this.conns.get(from.connId);
      const limited = caller ? this.guards.rateLimited(from.connId, caller, m) : null;
      if (limited) return this.refuse(from, m, limited);
    }
    try {
      if (m.kind === "request") this.onRequest(from, m);
      else this.onResponse(from, m);
    } catch (e) {
      this.o.log(`error handling ${m.kind === "request" ? m.method : m.status}`, {
        level: "error",
        peer: peerKey(from),
        callId: sip.callId(m),
        error: (e as Error).stack,
      });
      if (m.kind === "request" && m.method !== "ACK") this.reply(from, m, 500, "Server Internal Error");
    }
  }

  /** A refusal from the guards, with its Retry-After. */
  private refuse(from: Peer, req: SipRequest, r: GuardRefusal): void {
    this.reply(from, req, r.status, r.reason, [{ name: "Retry-After", value: String(r.retryAfter) }]);
  }

  // ---- requests ---------------------------------------------------------------

  private onRequest(from: Peer, req: SipRequest): void {
    const branch = sip.topVia(req)!.branch!;
    const inviteKey = `${peerKey(from)}|${branch}|INVITE`;
    if (req.method === "ACK") {
      if (this.servers.get(inviteKey)?.tx.receiveAck()) return;
      return this.inDialog(from, req);
    }
    if (req.method === "CANCEL") return this.onCancel(from, req, inviteKey);
    const again = this.servers.get(`${peerKey(from)}|${branch}|${req.method}`);
    if (again) return again.tx.receiveRetransmission();
    const mf = sip.header(req, "Max-Forwards");
    if (mf !== undefined && Number(mf) <= 0) return this.reply(from, req, 483, "Too Many Hops");
    if (sip.tagOf(req, "To")) return this.inDialog(from, req);
    if (req.method === "REGISTER") return this.onRegister(from, req);
    if (req.method === "INVITE") return this.onInvite(from, req);
    if (req.method === "OPTIONS") return this.reply(from, req, 200, "OK");
    this.reply(from, req, 501, "Not Implemented");
  }

  private onCancel(from: Peer, req: SipRequest, inviteKey: string): void {
    const st = this.servers.get(inviteKey);
    if (!st) return this.reply(from, req, 481, "Call/Transaction Does Not Exist");
    this.reply(from, req, 200, "OK");
    if (st.tx.finalStatus !== null || !st.client) return;
    // RFC 3261 §9.1: a CANCEL may only follow a provisional response; otherwise wait for one.
    if (st.client.tx.state === "proceeding") this.sendCancel(st.client);
    else st.cancelPending = true;
  }

  private onRegister(from: Peer, req: SipRequest): void {
    const caller = from.kind === "ws" ? this.conns.get(from.connId) : undefined;
    if (!caller || from.kind !== "ws") return this.reply(from, req, 403, "Forbidden");
    const refusal =
      registerRefusal(caller, req) ??
      (this.o.pbx && caller.tenant !== this.o.config.pbxTenant ? { status: 403, reason: "Forbidden (tenant not on this PBX)" } : null);
    if (refusal) return this.reply(from, req, refusal.status, refusal.reason);
    const held = this.o.pbx ? this.guards.heldBack(caller, req) : null;
    if (held) return this.refuse(from, req, held);
    if (!this.o.pbx) {
      const res = this.registers.apply(from.connId, caller, req);
      return this.o.send(from, sip.serialise(res));
    }
    const { host, port } = this.o.config.pbx!;
    this.forward(from, req, this.o.pbx, { uri: `sip:${host}:${port}`, recordRoute: false });
  }

  private onInvite(from: Peer, req: SipRequest): void {
    const callId = sip.callId(req);
    if (this.calls.get(callId)) return this.reply(from, req, 482, "Loop Detected");
    // RFC 3261 §21.5.4: another proxy (or this one, restarted) takes the call.
    if (this.draining) return this.reply(from, req, 503, "Service Unavailable (restarting)", [{ name: "Retry-After", value: "5" }]);
    const now = Date.now();
    const caller = from.kind === "ws" ? (this.conns.get(from.connId) ?? null) : null;
    const held = caller && this.o.pbx ? this.guards.heldBack(caller, req) : null;
    if (held) return this.refuse(from, req, held);
    const who = caller && `${caller.tenant}/${caller.userId}`;
    const route = this.route({
      from,
      req,
      caller,
      pbx: this.o.pbx && {
        peer: this.o.pbx,
        host: this.o.config.pbx!.host,
        port: this.o.config.pbx!.port,
        tenant: this.o.config.pbxTenant!,
      },
      rules: this.o.config,
      recentAttempts: who ? this.attempts.recent(who, now) : 0,
      activeCalls: (tenant, userId) => this.calls.activeFor(tenant, userId),
      locate: (tenant, extension) => this.callee(this.locations.lookup(tenant, extension, now)),
      alias: (user) => this.callee(this.locations.resolveAlias(user)),
    });
    if (route.kind === "refuse") {
      if (who && route.attempt) this.attempts.note(who, now);
      this.reply(from, req, route.refusal.status, route.refusal.reason);
      const record = route.attempt && attemptRecord(callId, route.refusal.status, route.attempt, now);
      if (record) this.o.report(record);
      return;
    }
    if (who) this.attempts.note(who, now);
    const call: Call = {
      callId,
      tenant: route.tenant,
      a: route.a,
      b: route.b,
      startedAt: now,
      answeredAt: null,
      endedAt: null,
      endReason: null,
    };
    this.calls.add(call);
    this.forward(from, req, route.b.peer, { uri: route.uri, recordRoute: true, call });
  }

  /** The browser behind a registration or alias, with its platform user; null when its socket is gone. */
  private callee(at: { connId: string; contact?: string; uri?: string } | null) {
    const user = at ? this.conns.get(at.connId) : undefined;
    return at && user ? { connId: at.connId, contact: (at.contact ?? at.uri)!, user } : null;
  }

  private inDialog(from: Peer, req: SipRequest): void {
    const call = this.calls.get(sip.callId(req));
    const fromA = call ? isLeg(call.a, from) : false;
    if (!call || (!fromA && !isLeg(call.b, from))) {
      if (req.method !== "ACK") this.reply(from, req, 481, "Call/Transaction Does Not Exist");
      return;
    }
    const dst = fromA ? call.b : call.a;
    this.rewriter.popOwnRoutes(req);
    let uri = req.uri;
    const alias = this.locations.resolveAlias(sip.uriFacts(uri)?.user);
    if (alias) {
      if (dst.peer.kind !== "ws" || alias.connId !== dst.peer.connId) return this.reply(from, req, 403, "Forbidden");
      uri = alias.uri;
    }
    if (dst.peer.kind === "ws" && !this.conns.has(dst.peer.connId)) {
      if (req.method !== "ACK") this.reply(from, req, 480, "Temporarily Unavailable");
      return;
    }
    const by = fromA ? call.a : call.b;
    const reason = call.answeredAt === null ? "cancelled" : fromA ? "caller-hangup" : "callee-hangup";
    if (this.hangups.transferRule(call, by, dst, req, reason)) return;
    // The call ends when the other side answers the BYE (relayFinal), not now: until then it still counts.
    if (req.method === "BYE") call.ending ??= { reason };
    this.forward(from, req, dst.peer, { uri, recordRoute: false, call });
  }

  private forward(from: Peer, req: SipRequest, target: Peer, o: { uri: string; recordRoute: boolean; call?: Call }): void {
    const out = sip.clone(req);
    out.uri = o.uri;
    const mf = sip.header(out, "Max-Forwards");
    sip.setHeader(out, "Max-Forwards", String(mf === undefined ? 70 : Math.max(0, Number(mf) - 1)));
    sip.prependHeader(out, "Via", this.rewriter.viaFor(target, sip.newBranch()));
    if (o.recordRoute) sip.prependHeader(out, "Record-Route", this.rewriter.recordRoute());
    // sip.js has no session timers: the PBX's requirement stops here (the 2xx makes the PBX the refresher).
    if (target.kind === "ws" && (req.method === "INVITE" || req.method === "UPDATE")) dropTimerRequirement(out);
    if (from.kind === "ws") {
      this.rewriter.rewriteContacts(out, from.connId, target);
      const caller = this.conns.get(from.connId);
      if (caller) assertIdentity(out, caller, target.kind === "net" ? this.o.config.pbxDomain : null);
      // Requests the proxy makes for this leg later (BYE) must name it as the other side knows it.
      if (o.call && isInitialInvite(out)) o.call.a.party = sip.header(out, "From")!;
    }
    const offset = from.kind === "ws" && target.kind === "net" ? (this.cseqOffsets.get(sip.callId(out)) ?? 0) : 0;
    if (offset) shiftCseq(out, offset);
    if (o.call) noteCseq(o.call, from, out);
    if (req.method === "ACK") return this.o.send(target, sip.serialise(out));

    const key = `${peerKey(from)}|${sip.topVia(req)!.branch}|${req.method}`;
    const st: ServerEntry = {
      key,
      from,
      call: o.call,
      cancelPending: false,
      tx: new ServerTransaction(req, reliable(from), {
        send: (t) => this.o.send(from, t),
        onTerminated: () => {
          clearTimeout(st.ringTimer);
          this.servers.delete(key);
        },
      }),
    };
    this.servers.set(key, st);
    const towards = this.mediaTowards(from, target, out);
    // The request goes on before our 100 Trying: the caller waits on the callee's answer, not on our 100
    // (RFC 3261 §16.2 fixes no order between the two).
    if (!towards) this.startClient(out, target, st, false);
    if (req.method === "INVITE") st.tx.respond(sip.makeResponse(req, 100, "Trying"));
    if (o.call && isInitialInvite(req)) st.ringTimer = setTimeout(() => this.ringTimeout(st), this.o.config.ringTimeoutMs);
    if (!towards) return;
    this.o
      .media!.offer({ callId: sip.callId(out), fromTag: sip.tagOf(out, "From") ?? "", toTag: sip.tagOf(out, "To"), sdp: out.body, towards })
      .then(
        (body) => {
          out.body = body;
          if (st.tx.finalStatus === null) this.startClient(out, target, st, false);
        },
        (e: Error) => {
          this.o.log(`media offer failed: ${e.message}`, { level: "error", callId: sip.callId(out) });
          st.tx.respond(sip.makeResponse(req, 500, "Server Internal Error (media)"));
          if (o.call && isInitialInvite(req)) this.finish(o.call, "failed");
        },
      );
  }

  /** Whether an SDP in `m` crosses between a browser and the PBX through rtpengine, and which way. */
  private mediaTowards(from: Peer, to: Peer, m: sip.SipMessage): Towards | null {
    if (!this.o.media || from.kind === to.kind || !m.body || !/application\/sdp/i.test(sip.header(m, "Content-Type") ?? "")) return null;
    return to.kind === "net" ? "plain" : "webrtc";
  }

  /** Timer C: nobody answered in time; cancel towards the callee, tell the caller 408, record no-answer. */
  private ringTimeout(st: ServerEntry): void {
    if (st.tx.finalStatus !== null || !st.call) return;
    const ce = st.client;
    if (ce?.tx.state === "proceeding") this.sendCancel(ce);
    else ce?.tx.terminate();
    st.tx.respond(sip.makeResponse(st.tx.request, 408, "Request Timeout (no answer)"));
    this.finish(st.call, "no-answer");
  }

  private startClient(out: SipRequest, target: Peer, st: ServerEntry | null, authTried: boolean): ClientEntry {
    // A CANCEL shares its INVITE's branch (RFC 3261 §9.1), so the method is part of the key.
    const branch = `${sip.topVia(out)!.branch!}|${out.method}`;
    const ce: ClientEntry = { branch, target, request: out, server: st, authTried, tx: undefined as unknown as ClientTransaction };
    ce.tx = new ClientTransaction(out, reliable(target), {
      send: (t) => this.o.send(target, t),
      onResponse: (res) => this.relay(ce, res),
      onTimeout: () => {
        ce.done?.(408);
        if (!st) return;
        st.tx.respond(sip.makeResponse(st.tx.request, 408, "Request Timeout"));
        if (st.call && isInitialInvite(st.tx.request)) this.finish(st.call, "no-answer");
        if (st.call && st.tx.request.method === "BYE") this.finish(st.call, st.call.ending?.reason ?? "failed");
      },
      onTerminated: () => this.clients.delete(branch),
    });
    this.clients.set(branch, ce);
    if (st) st.client = ce;
    ce.tx.start();
    return ce;
  }

  // ---- responses --------------------------------------------------------------

  private onResponse(from: Peer, res: SipResponse): void {
    const branch = sip.topVia(res)?.branch;
    const ce = branch ? this.clients.get(`${branch}|${sip.cseq(res)!.method}`) : undefined;
    const sameSide = ce && (ce.target.kind === "ws" ? from.kind === "ws" && from.connId === ce.target.connId : from.kind === "net");
    if (!ce || !sameSide)
      return this.complaints.line(`stray ${peerKey(from)}`, `stray ${res.status} dropped`, {
        peer: peerKey(from),
        callId: sip.callId(res),
      });
    sip.popVia(res);
    ce.tx.receive(res);
  }

  /** A response from the next hop; an SDP answer crossing to the other kind of leg goes through rtpengine first. */
  private relay(ce: ClientEntry, res: SipResponse): void {
    const st = ce.server;
    const towards =
      st && st.tx.request.method === "INVITE" && res.status > 100 && res.status < 300 ? this.mediaTowards(ce.target, st.from, res) : null;
    if (!st || !towards) return this.relayNow(ce, res);
    const [fromTag, toTag] = [sip.tagOf(res, "From") ?? "", sip.tagOf(res, "To") ?? ""];
    this.o.media!.answer({ callId: sip.callId(res), fromTag, toTag, sdp: res.body, towards }).then(
      (body) => {
        res.body = body;
        this.relayNow(ce, res);
      },
      (e: Error) => {
        this.o.log(`media answer failed: ${e.message}`, { level: "error", callId: sip.callId(res) });
        this.relayNow(ce, res);
      },
    );
  }

  private relayNow(ce: ClientEntry, res: SipResponse): void {
    const st = ce.server;
    if (!st) {
      if (res.status < 200) return;
      if (ce.onBehalf && (res.status === 401 || res.status === 407) && !ce.authTried) {
        void this.answerChallenge(ce, null, res, ce.onBehalf).then((retried) => (retried ? undefined : ce.done?.(res.status)));
        return;
      }
      return ce.done?.(res.status);
    }
    if ((res.status === 401 || res.status === 407) && st.from.kind === "ws" && ce.target.kind === "net" && !ce.authTried) {
      void this.answerChallenge(ce, st, res, this.conns.get(st.from.connId)).then((retried) => {
        if (!retried) this.relayFinal(ce, st, res);
      });
      return;
    }
    this.relayFinal(ce, st, res);
  }

  private relayFinal(ce: ClientEntry, st: ServerEntry, res: SipResponse): void {
    const req = st.tx.request;
    if (st.call?.transfer && res.status >= 200 && isReferNotify(req)) {
      // A NOTIFY that crossed the transferor's BYE: the browser no longer knows the dialog (481), the proxy does.
      if (st.call.transfer.byeHeld && res.status === 481) res = sip.makeResponse(req, 200, "OK", sip.tagOf(res, "To") ?? undefined);
      this.hangups.notifyAnswered(st.call, req, isLeg(st.call.a, st.from) ? st.call.a : st.call.b);
    }
    const caller = st.from.kind === "ws" ? this.conns.get(st.from.connId) : undefined;
    if (caller && res.status >= 200 && ce.target.kind === "net" && (req.method === "REGISTER" || isInitialInvite(req)))
      this.guards.pbxVerdict(caller, res.status);
    if ((res.status === 401 || res.status === 407) && st.from.kind === "ws" && ce.target.kind === "net") {
      // The browser holds no PBX credentials: a challenge we cannot answer is a refusal.
      res = sip.makeResponse(req, 403, "Forbidden (PBX refused the credentials)", sip.tagOf(res, "To") ?? undefined);
    }
    if (res.status >= 200) clearTimeout(st.ringTimer);
    if (st.call && isInitialInvite(req) && res.status >= 200 && res.status < 300 && st.call.endedAt !== null && st.call.answeredAt === null)
      return this.hangUpLateAnswer(ce, res);
    const out = sip.clone(res);
    sip.setHeader(out, "CSeq", sip.header(req, "CSeq")!);
    // As a stateful proxy we answer our server transaction: its Vias are the request's, whatever the next hop echoed.
    sip.removeHeaders(out, "Via");
    for (const via of sip.headers(req, "Via").reverse()) sip.prependHeader(out, "Via", via);
    const call = st.call;
    if (call && isInitialInvite(req)) {
      if (res.status >= 200 && res.status < 300 && call.answeredAt === null) {
        call.answeredAt = Date.now();
        this.o.metrics?.answered((call.answeredAt - call.startedAt) / 1000);
        call.b.party = sip.header(res, "To")!;
        call.b.contact = firstContactUri(res);
        const sets = routeSets(sip.headers(res, "Record-Route"), (host, port) => this.rewriter.isOwn(host, port));
        call.a.routes = sets.caller;
        call.b.routes = sets.callee;
      } else if (res.status >= 300) {
        this.finish(call, reasonForFailure(res.status));
      }
    }
    if (call && req.method === "BYE" && res.status >= 200) this.hangups.byeAnswered(call, st.from, res.status);
    if (call && req.method === "REFER" && res.status >= 200 && res.status < 300 && st.from.kind === "ws")
      call.transfer = { by: isLeg(call.a, st.from) ? call.a : call.b, byeHeld: false, done: false };
    if (call && (req.method === "INVITE" || req.method === "UPDATE") && res.status >= 200 && res.status < 300 && call.endedAt === null) {
      if (st.from.kind === "net" && ce.target.kind === "ws") refresherIsPbx(out, req);
      this.hangups.armSessionTimer(call, sessionInterval(out));
    }
    if (caller && st.from.kind === "ws" && req.method === "REGISTER" && res.status >= 200 && res.status < 300) {
      this.registers.apply(st.from.connId, caller, req);
      this.registrations?.accepted(st.from.connId, ce.request, caller, isUnregister(req));
    }
    if (ce.target.kind === "ws") this.rewriter.rewriteContacts(out, ce.target.connId, st.from);
    if (st.from.kind === "ws") restoreParties(out, req);
    if (req.method === "REGISTER") this.rewriter.restoreAliases(out);
    if (res.status < 200 && st.cancelPending) {
      st.cancelPending = false;
      this.sendCancel(ce);
    }
    if (res.status === 100) return;
    st.tx.respond(out);
  }

  /** Retries the request with the extension's credentials (the 401/407 never reaches the browser); false if it cannot. */
  private async answerChallenge(ce: ClientEntry, st: ServerEntry | null, res: SipResponse, caller: Caller | undefined): Promise<boolean> {
    const cred = caller ? await this.o.credentials.forCaller(caller) : null;
    if (!cred) return false;
    const retry = authorizedRetry(ce.request, res, cred, this.rewriter.viaFor(ce.target, sip.newBranch()));
    if (!retry) return false;
    const callId = sip.callId(retry);
    this.cseqOffsets.set(callId, (this.cseqOffsets.get(callId) ?? 0) + 1);
    if (st?.call) noteCseq(st.call, st.from, retry);
    const next = this.startClient(retry, ce.target, st, true);
    next.onBehalf = ce.onBehalf;
    next.done = ce.done;
    return true;
  }

  // ---- generated requests ---------------------------------------------------------

  private sendCancel(ce: ClientEntry): void {
    this.startClient(sip.cancelFor(ce.request), ce.target, null, true);
  }

  /** The socket of a leg dropped before the answer: cancel towards the callee, or tell the caller. */
  private abandonInvite(call: Call, goneIsA: boolean): void {
    for (const st of this.servers.values()) {
      if (st.call !== call || !isInitialInvite(st.tx.request)) continue;
      if (goneIsA && st.client && st.tx.finalStatus === null) {
        if (st.client.tx.state === "proceeding") this.sendCancel(st.client);
        else st.cancelPending = true;
      } else if (!goneIsA) {
        st.client?.tx.terminate();
        st.tx.respond(sip.makeResponse(st.tx.request, 480, "Temporarily Unavailable"));
      }
    }
  }

  /**
   * The callee answered after the call had ended (the ring timeout's CANCEL crossed
   * the 200, or the caller's socket is gone): the caller will never ACK it, so the
   * proxy acknowledges the 200 itself and hangs that leg up at once, instead of
   * leaving the callee in a call with nobody until its own timers give up.
   */
  private hangUpLateAnswer(ce: ClientEntry, res: SipResponse): void {
    const { ack, bye } = lateAnswerRequests(ce.request, res, () => this.rewriter.viaFor(ce.target, sip.newBranch()));
    this.o.log(`late ${res.status}: acknowledged and hung up`, { callId: sip.callId(ce.request) });
    this.o.send(ce.target, sip.serialise(ack));
    this.startClient(bye, ce.target, null, true);
  }

  /** A request the proxy makes itself, through a client transaction; resolves with its final status (408 on timeout). */
  private sendOwn(request: SipRequest, target: Peer, onBehalf?: Caller): Promise<number> {
    return new Promise((resolve) => {
      const ce = this.startClient(request, target, null, !onBehalf);
      ce.onBehalf = onBehalf;
      ce.done = resolve;
    });
  }

  private finish(call: Call, reason: Parameters<CallTable["end"]>[1]): void {
    const record = this.calls.end(call, reason);
    if (!record) return;
    this.o.metrics?.callEnded(reason);
    clearTimeout(call.sessionTimer);
    clearTimeout(call.transfer?.timer);
    call.onEnded?.();
    // The dialog's late requests (the BYE's 200, retransmissions) are over once the call table forgets it too.
    setTimeout(() => this.cseqOffsets.delete(call.callId), 32_000).unref?.();
    this.o.report(record);
    if (this.o.media && (call.a.peer.kind === "net" || call.b.peer.kind === "net")) {
      this.o.media
        .delete(call.callId)
        .catch((e: Error) => this.o.log(`media delete failed: ${e.message}`, { level: "warn", callId: call.callId }));
    }
  }

  private reply(to: Peer, req: SipRequest, status: number, reason: string, extra: sip.Header[] = []): void {
    if (req.method === "ACK") return;
    if (status >= 400 && status !== 481) this.o.metrics?.refused(status, reason);
    const res = sip.makeResponse(req, status, reason);
    res.headers.push(...extra);
    this.o.send(to, sip.serialise(res));
  }
}

function isUnregister(req: SipRequest): boolean {
  const contact = sip.header(req, "Contact") ?? "";
  return sip.header(req, "Expires")?.trim() === "0" || contact.trim() === "*" || /;\s*expires=0\b/i.test(contact);
}

function isInitialInvite(req: SipRequest): boolean {
  return req.method === "INVITE" && !sip.tagOf(req, "To");
}

function noteCseq(call: Call, from: Peer, out: SipRequest): void {
  if (out.method === "ACK" || out.method === "CANCEL") return;
  const leg = isLeg(call.a, from) ? call.a : call.b;
  leg.cseq = Math.max(leg.cseq, sip.cseq(out)!.seq);
}
