/**
 * The routing core: a transaction-stateful proxy (RFC 3261 §16) between browser
 * sockets and the PBX — or, with no PBX, between browsers, the proxy being their
 * registrar. It decides where each request goes and rewrites only what a proxy
 * must: Via push/pop, Record-Route on dialog-creating requests, popping its own
 * Route, Contact aliases for browsers, CSeq shifted when it answered a digest
 * challenge itself. Identity (R2, R29) and abuse limits are checked before any
 * state is created; malformed SIP is answered 400 (or dropped) with no effect.
 */
import type { Config } from "../config";
import { parseChallenge, digestAnswer } from "../sip/digest";
import * as sip from "../sip/message";
import type { SipRequest, SipResponse } from "../sip/message";
import { ClientTransaction } from "../transactions/client";
import { ServerTransaction } from "../transactions/server";
import { reasonForFailure, type CallRecord } from "../records";
import type { MediaAnchor, Towards } from "../media/rtpengine";
import type { Caller } from "../session";
import { CallTable, isLeg, type Call, type Leg, type Peer } from "./calls";
import { originRefusal, registerRefusal, type Refusal } from "./identity";
import { Locations } from "./locations";
import { CallPolicy } from "./policy";
import { RegisterBook } from "./register";

export type ProxyOptions = {
  config: Config;
  /** The PBX as a peer, its host already resolved to an address; null in registrar mode. */
  pbx: (Peer & { kind: "net" }) | null;
  /** Host name the proxy puts in Via and Contact towards browsers (never resolved by them). */
  wsHost: string;
  sipPort: number;
  send(peer: Peer, text: string): void;
  report(record: CallRecord): void;
  log(line: string): void;
  /** rtpengine, when configured: SDP between a browser and the PBX is rewritten through it. */
  media?: MediaAnchor | null;
};

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
};

const peerKey = (p: Peer) => (p.kind === "ws" ? `ws:${p.connId}` : `${p.transport}:${p.host}:${p.port}`);
const reliable = (p: Peer) => p.kind === "ws" || p.transport === "tcp";

export class SipProxy {
  readonly locations = new Locations();
  readonly calls = new CallTable();
  private readonly registers: RegisterBook;
  private readonly conns = new Map<string, Caller>();
  private readonly servers = new Map<string, ServerEntry>();
  private readonly clients = new Map<string, ClientEntry>();
  private readonly cseqOffsets = new Map<string, number>();
  /** The REGISTER the PBX last accepted for each browser socket, to withdraw it when the socket goes. */
  private readonly pbxBindings = new Map<string, { request: SipRequest; caller: Caller }>();
  private readonly policy: CallPolicy;

  constructor(private readonly o: ProxyOptions) {
    this.policy = new CallPolicy(o.config);
    this.registers = new RegisterBook(this.locations);
  }

  openConnection(connId: string, caller: Caller): void {
    this.conns.set(connId, caller);
  }

  /** A socket went away: its calls end (BYE or CANCEL to the other leg) and are still recorded. */
  closeConnection(connId: string): void {
    this.conns.delete(connId);
    for (const call of this.calls.onConnection(connId)) {
      const goneIsA = call.a.peer.kind === "ws" && call.a.peer.connId === connId;
      const [gone, other] = goneIsA ? [call.a, call.b] : [call.b, call.a];
      if (call.answeredAt !== null) this.sendBye(call, gone, other);
      else this.abandonInvite(call, goneIsA);
      this.finish(call, "connection-lost");
    }
    this.locations.dropConnection(connId);
    const binding = this.pbxBindings.get(connId);
    this.pbxBindings.delete(connId);
    if (!binding) return;
    this.unregister(binding.request, binding.caller);
    const callId = sip.callId(binding.request);
    setTimeout(() => this.cseqOffsets.delete(callId), 32_000).unref?.();
  }

  /** The browser is gone: tell the PBX, so it stops sending calls to a binding nobody answers. */
  private unregister(accepted: SipRequest, caller: Caller): void {
    const out = sip.clone(accepted);
    sip.popVia(out);
    sip.prependHeader(out, "Via", this.viaFor(this.o.pbx!, sip.newBranch()));
    sip.removeHeaders(out, "Authorization");
    sip.removeHeaders(out, "Proxy-Authorization");
    sip.setHeader(out, "Expires", "0");
    for (const h of out.headers) if (h.name.toLowerCase() === "contact") h.value = h.value.replace(/;\s*expires=\d+/gi, "");
    shiftCseq(out, 1);
    this.startClient(out, this.o.pbx!, null, false).onBehalf = caller;
  }

  receive(from: Peer, text: string): void {
    const parsed = sip.parseSip(text);
    if (!parsed.ok) {
      this.o.log(`malformed SIP from ${peerKey(from)}: ${parsed.reason}`);
      if (parsed.answer) this.o.send(from, sip.serialise(parsed.answer));
      return;
    }
    if (from.kind === "net" && (!this.o.pbx || from.host !== this.o.pbx.host)) {
      this.o.log(`dropped SIP from ${peerKey(from)}: not the PBX`);
      return;
    }
    const m = parsed.message;
    try {
      if (m.kind === "request") this.onRequest(from, m);
      else this.onResponse(from, m);
    } catch (e) {
      this.o.log(`error handling ${m.kind === "request" ? m.method : m.status} from ${peerKey(from)}: ${(e as Error).stack}`);
      if (m.kind === "request" && m.method !== "ACK") this.reply(from, m, 500, "Server Internal Error");
    }
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
    const refusal = registerRefusal(caller, req) ?? this.tenantRefusal(caller);
    if (refusal) return this.reply(from, req, refusal.status, refusal.reason);
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
    const dialled = sip.uriFacts(req.uri)?.user ?? null;
    const now = Date.now();
    let a: Leg, b: Leg, tenant: string, uri: string;
    const fromHeader = sip.header(req, "From")!;
    const toHeader = sip.header(req, "To")!;
    const contact = firstContactUri(req);
    if (from.kind === "ws") {
      const caller = this.conns.get(from.connId)!;
      const refusal: Refusal | null =
        originRefusal(caller, req) ??
        this.tenantRefusal(caller) ??
        this.policy.admit(`${caller.tenant}/${caller.userId}`, dialled, this.calls.activeFor(caller.tenant, caller.userId), now);
      if (refusal) return this.reply(from, req, refusal.status, refusal.reason);
      tenant = caller.tenant;
      a = { peer: from, user: caller, number: caller.extension!, party: fromHeader, contact, cseq: 0 };
      if (this.o.pbx) {
        const { host, port } = this.o.config.pbx!;
        uri = `sip:${dialled}@${host}:${port}`;
        b = { peer: this.o.pbx, user: null, number: dialled!, party: toHeader, contact: null, cseq: 0 };
      } else {
        const reg = this.locations.lookup(tenant, dialled!, now);
        const callee = reg ? this.conns.get(reg.connId) : undefined;
        if (!reg || !callee) return this.refuseAttempt(from, req, 480, "Temporarily Unavailable", caller, dialled!, null);
        if (this.calls.activeFor(tenant, callee.userId) >= this.o.config.maxConcurrentCalls)
          return this.refuseAttempt(from, req, 486, "Busy Here", caller, dialled!, callee);
        uri = reg.contact;
        b = { peer: { kind: "ws", connId: reg.connId }, user: callee, number: dialled!, party: toHeader, contact: null, cseq: 0 };
      }
    } else if (this.o.config.benchRelay) {
      const { host, port } = this.o.config.benchRelay;
      tenant = this.o.config.pbxTenant!;
      uri = `sip:${dialled}@${host}:${port}`;
      a = { peer: from, user: null, number: sip.userOf(req, "From") ?? "", party: fromHeader, contact, cseq: 0 };
      b = {
        peer: { kind: "net", transport: "udp", host, port },
        user: null,
        number: dialled ?? "",
        party: toHeader,
        contact: null,
        cseq: 0,
      };
    } else {
      tenant = this.o.config.pbxTenant!;
      const alias = this.locations.resolveAlias(dialled);
      const reg = alias ? { connId: alias.connId, contact: alias.uri } : dialled ? this.locations.lookup(tenant, dialled, now) : null;
      const callee = reg ? this.conns.get(reg.connId) : undefined;
      if (!reg || !callee) return this.reply(from, req, 480, "Temporarily Unavailable");
      if (this.calls.activeFor(tenant, callee.userId) >= this.o.config.maxConcurrentCalls) {
        const number = sip.userOf(req, "From") ?? "";
        return this.refuseAttempt(
          from,
          req,
          486,
          "Busy Here",
          { tenant, userId: "", extension: number },
          callee.extension ?? dialled ?? "",
          callee,
        );
      }
      uri = reg.contact;
      a = { peer: from, user: null, number: sip.userOf(req, "From") ?? "", party: fromHeader, contact, cseq: 0 };
      b = {
        peer: { kind: "ws", connId: reg.connId },
        user: callee,
        number: callee.extension ?? dialled ?? "",
        party: toHeader,
        contact: null,
        cseq: 0,
      };
    }
    const call: Call = { callId, tenant, a, b, startedAt: now, answeredAt: null, endedAt: null, endReason: null };
    this.calls.add(call);
    this.forward(from, req, b.peer, { uri, recordRoute: true, call });
  }

  private inDialog(from: Peer, req: SipRequest): void {
    const call = this.calls.get(sip.callId(req));
    const fromA = call ? isLeg(call.a, from) : false;
    if (!call || (!fromA && !isLeg(call.b, from))) {
      if (req.method !== "ACK") this.reply(from, req, 481, "Call/Transaction Does Not Exist");
      return;
    }
    const dst = fromA ? call.b : call.a;
    this.popOwnRoutes(req);
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
    if (req.method === "BYE") this.finish(call, call.answeredAt === null ? "cancelled" : fromA ? "caller-hangup" : "callee-hangup");
    this.forward(from, req, dst.peer, { uri, recordRoute: false, call });
  }

  private forward(from: Peer, req: SipRequest, target: Peer, o: { uri: string; recordRoute: boolean; call?: Call }): void {
    const out = sip.clone(req);
    out.uri = o.uri;
    const mf = sip.header(out, "Max-Forwards");
    sip.setHeader(out, "Max-Forwards", String(mf === undefined ? 70 : Math.max(0, Number(mf) - 1)));
    sip.prependHeader(out, "Via", this.viaFor(target, sip.newBranch()));
    if (o.recordRoute) sip.prependHeader(out, "Record-Route", this.recordRoute());
    if (from.kind === "ws") this.rewriteContacts(out, from.connId, target);
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
          this.o.log(`media offer for ${sip.callId(out)} failed: ${e.message}`);
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
        if (!st) return;
        st.tx.respond(sip.makeResponse(st.tx.request, 408, "Request Timeout"));
        if (st.call && isInitialInvite(st.tx.request)) this.finish(st.call, "no-answer");
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
    if (!ce || !sameSide) return this.o.log(`stray ${res.status} from ${peerKey(from)} dropped`);
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
        this.o.log(`media answer for ${sip.callId(res)} failed: ${e.message}`);
        this.relayNow(ce, res);
      },
    );
  }

  private relayNow(ce: ClientEntry, res: SipResponse): void {
    const st = ce.server;
    if (!st) {
      if (ce.onBehalf && (res.status === 401 || res.status === 407) && !ce.authTried) this.answerChallenge(ce, null, res, ce.onBehalf);
      return;
    }
    const req = st.tx.request;
    if ((res.status === 401 || res.status === 407) && st.from.kind === "ws" && ce.target.kind === "net") {
      if (!ce.authTried && this.answerChallenge(ce, st, res, this.conns.get(st.from.connId))) return;
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
        call.b.party = sip.header(res, "To")!;
        call.b.contact = firstContactUri(res);
      } else if (res.status >= 300) {
        this.finish(call, reasonForFailure(res.status));
      }
    }
    if (req.method === "REGISTER" && res.status >= 200 && res.status < 300 && st.from.kind === "ws") {
      const caller = this.conns.get(st.from.connId);
      if (caller) this.registers.apply(st.from.connId, caller, req);
      if (caller && isUnregister(req)) this.pbxBindings.delete(st.from.connId);
      else if (caller) this.pbxBindings.set(st.from.connId, { request: ce.request, caller });
    }
    if (ce.target.kind === "ws") this.rewriteContacts(out, ce.target.connId, st.from);
    // The registrar lists the bindings it holds: the browser must find its own Contact there, not our alias.
    if (req.method === "REGISTER") this.restoreAliases(out);
    if (res.status < 200 && st.cancelPending) {
      st.cancelPending = false;
      this.sendCancel(ce);
    }
    if (res.status === 100) return;
    st.tx.respond(out);
  }

  /** Retries the request with the extension's secret from our configuration (the 401/407 never reaches the browser). */
  private answerChallenge(ce: ClientEntry, st: ServerEntry | null, res: SipResponse, caller: Caller | undefined): boolean {
    const cred = caller?.extension ? this.o.config.secrets[caller.extension] : undefined;
    const challenge = parseChallenge(sip.header(res, res.status === 401 ? "WWW-Authenticate" : "Proxy-Authenticate") ?? "");
    if (!cred || !challenge) return false;
    const retry = sip.clone(ce.request);
    const answer = digestAnswer(challenge, cred, retry.method, retry.uri);
    if (!answer) return false;
    sip.popVia(retry);
    sip.prependHeader(retry, "Via", this.viaFor(ce.target, sip.newBranch()));
    sip.setHeader(retry, res.status === 401 ? "Authorization" : "Proxy-Authorization", answer);
    shiftCseq(retry, 1);
    const callId = sip.callId(retry);
    this.cseqOffsets.set(callId, (this.cseqOffsets.get(callId) ?? 0) + 1);
    if (st?.call) noteCseq(st.call, st.from, retry);
    this.startClient(retry, ce.target, st, true);
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
    const invite = ce.request;
    const seq = sip.cseq(invite)!.seq;
    const request = (method: "ACK" | "BYE", cseq: number): SipRequest => ({
      kind: "request",
      method,
      uri: firstContactUri(res) ?? invite.uri,
      headers: [
        { name: "Via", value: this.viaFor(ce.target, sip.newBranch()) },
        { name: "Max-Forwards", value: "70" },
        { name: "From", value: sip.header(invite, "From")! },
        { name: "To", value: sip.header(res, "To")! },
        { name: "Call-ID", value: sip.callId(invite) },
        { name: "CSeq", value: `${cseq} ${method}` },
        ...(method === "BYE" ? [{ name: "Reason", value: 'SIP;cause=408;text="answered after the call ended"' }] : []),
      ],
      body: "",
    });
    this.o.log(`late ${res.status} for ${sip.callId(invite)}: acknowledged and hung up`);
    this.o.send(ce.target, sip.serialise(request("ACK", seq)));
    this.startClient(request("BYE", seq + 1), ce.target, null, true);
  }

  /** A BYE on behalf of a leg whose socket dropped mid-call, so the other side (the PBX) hangs up too. */
  private sendBye(call: Call, gone: Leg, other: Leg): void {
    if (!other.contact || (other.peer.kind === "ws" && !this.conns.has(other.peer.connId))) return;
    const bye: SipRequest = { kind: "request", method: "BYE", uri: other.contact, headers: [], body: "" };
    bye.headers.push(
      { name: "Via", value: this.viaFor(other.peer, sip.newBranch()) },
      { name: "Max-Forwards", value: "70" },
      { name: "From", value: gone.party },
      { name: "To", value: other.party },
      { name: "Call-ID", value: call.callId },
      { name: "CSeq", value: `${gone.cseq + 1} BYE` },
      { name: "Reason", value: 'SIP;cause=480;text="connection lost"' },
    );
    this.startClient(bye, other.peer, null, true);
  }

  /**
   * A call that was attempted but never rang (the callee is not registered, or is
   * busy): answered at once, and still recorded, so the caller's history shows the
   * attempt ("Iniciadas", not answered) and a busy colleague's shows it "Perdidas".
   * `caller.userId` is "" for a caller from the PBX (not a platform user).
   */
  private refuseAttempt(
    from: Peer,
    req: SipRequest,
    status: number,
    reason: string,
    caller: Caller,
    dialled: string,
    callee: Caller | null,
  ): void {
    this.reply(from, req, status, reason);
    const now = Date.now();
    const parties: CallRecord["parties"] = [];
    if (caller.userId) parties.push({ userId: caller.userId, direction: "outbound" });
    if (callee) parties.push({ userId: callee.userId, direction: "inbound" });
    if (!parties.length) return;
    this.o.report({
      callId: sip.callId(req),
      tenant: caller.tenant,
      caller: { userId: caller.userId || null, number: caller.extension ?? "" },
      callee: { userId: callee?.userId ?? null, number: dialled },
      parties,
      answered: false,
      startedAt: now,
      answeredAt: null,
      endedAt: now,
      endReason: reasonForFailure(status),
    });
  }

  private finish(call: Call, reason: Parameters<CallTable["end"]>[1]): void {
    const record = this.calls.end(call, reason);
    if (!record) return;
    // The dialog's late requests (the BYE's 200, retransmissions) are over once the call table forgets it too.
    setTimeout(() => this.cseqOffsets.delete(call.callId), 32_000).unref?.();
    this.o.report(record);
    if (this.o.media && (call.a.peer.kind === "net" || call.b.peer.kind === "net")) {
      this.o.media.delete(call.callId).catch((e: Error) => this.o.log(`media delete for ${call.callId}: ${e.message}`));
    }
  }

  // ---- rewriting -----------------------------------------------------------------

  private tenantRefusal(caller: Caller): Refusal | null {
    return this.o.pbx && caller.tenant !== this.o.config.pbxTenant ? { status: 403, reason: "Forbidden (tenant not on this PBX)" } : null;
  }

  private viaFor(target: Peer, branch: string): string {
    if (target.kind === "ws") return sip.makeVia("WSS", this.o.wsHost, undefined, branch, false);
    return sip.makeVia(target.transport.toUpperCase(), this.o.config.sipHost, this.o.sipPort, branch, true);
  }

  private recordRoute(): string {
    if (!this.o.pbx) return `<sip:${this.o.wsHost};transport=ws;lr>`;
    return `<sip:${this.o.config.sipHost}:${this.o.sipPort};transport=${this.o.pbx.transport};lr>`;
  }

  private popOwnRoutes(req: SipRequest): void {
    const routes = sip.routeSet(sip.headers(req, "Route"));
    let i = 0;
    while (i < routes.length && this.isOwn(routes[i]!.host, routes[i]!.port)) i++;
    if (i === 0) return;
    sip.removeHeaders(req, "Route");
    for (const r of routes.slice(i).reverse()) sip.prependHeader(req, "Route", r.text);
  }

  private isOwn(host: string, port: number | undefined): boolean {
    return host === this.o.wsHost || (host === this.o.config.sipHost && (port ?? 5060) === this.o.sipPort);
  }

  /** Browser Contacts become aliases at the proxy, addressed the way the receiving side can reach us. */
  private rewriteContacts(m: sip.SipMessage, connId: string, towards: Peer): void {
    for (const h of m.headers) {
      if (h.name.toLowerCase() !== "contact") continue;
      const na = sip.nameAddr(h.value);
      if (!na) continue;
      const alias = this.locations.aliasFor(connId, na.uri.toString());
      const uri =
        towards.kind === "ws"
          ? `sip:${alias}@${this.o.wsHost};transport=ws`
          : `sip:${alias}@${this.o.config.sipHost}:${this.o.sipPort};transport=${towards.transport}`;
      na.uri = sip.parseUri(uri)!;
      h.value = na.toString();
    }
  }

  private restoreAliases(m: sip.SipMessage): void {
    for (const h of m.headers) {
      if (h.name.toLowerCase() !== "contact") continue;
      const na = sip.nameAddr(h.value);
      const alias = na && this.isOwn(na.uri.host, na.uri.port) ? this.locations.resolveAlias(na.uri.user) : null;
      if (!na || !alias) continue;
      na.uri = sip.parseUri(alias.uri)!;
      h.value = na.toString();
    }
  }

  private reply(to: Peer, req: SipRequest, status: number, reason: string): void {
    if (req.method === "ACK") return;
    this.o.send(to, sip.serialise(sip.makeResponse(req, status, reason)));
  }
}

function isUnregister(req: SipRequest): boolean {
  const contact = sip.header(req, "Contact") ?? "";
  return sip.header(req, "Expires")?.trim() === "0" || contact.trim() === "*" || /;\s*expires=0\b/i.test(contact);
}

function isInitialInvite(req: SipRequest): boolean {
  return req.method === "INVITE" && !sip.tagOf(req, "To");
}

function firstContactUri(m: sip.SipMessage): string | null {
  const v = sip.header(m, "Contact");
  return (v && sip.addr(v)?.uri) || null;
}

function shiftCseq(m: SipRequest, by: number): void {
  const cs = sip.cseq(m)!;
  sip.setHeader(m, "CSeq", `${cs.seq + by} ${cs.method}`);
}

function noteCseq(call: Call, from: Peer, out: SipRequest): void {
  if (out.method === "ACK" || out.method === "CANCEL") return;
  const leg = isLeg(call.a, from) ? call.a : call.b;
  leg.cseq = Math.max(leg.cseq, sip.cseq(out)!.seq);
}
