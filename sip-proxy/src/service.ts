/**
 * The sip-proxy wired up: the routing core is built first, then the transports
 * that feed it (so no packet can reach a half-built proxy), the media anchor and
 * the call-record reporter. `main.ts` runs it from the environment; a harness
 * (the bench) may pass its own call router.
 */
import { lookup } from "node:dns/promises";
import type { Config } from "./config";
import { FileCredentials, PlatformCredentials } from "./credentials";
import { checkSession, lookupUser, redeemTicket } from "./session";
import type { WsConnection } from "./transport/ws";
import { CallReporter } from "./records";
import { SipProxy, type ProxyOptions } from "./routing/proxy";
import { RtpEngine } from "./media/rtpengine";
import { startNet, type NetPeer, type NetSide } from "./transport/net";
import { startWs, type WsSide } from "./transport/ws";
import { StateFile } from "./state";
import type { Log } from "./log";
import { Metrics } from "./metrics";
import type { IncomingMessage, ServerResponse } from "node:http";

const WS_HOST = "proxy.conversas.invalid";

export type Service = {
  proxy: SipProxy;
  wsPort: number;
  sipPort: number;
  /** SIGTERM (issue 16.4): no new calls, calls go on up to the drain time, then BYE, un-REGISTER, records out, close. */
  shutdown(): Promise<void>;
  stop(): Promise<void>;
};

/** Waits for `p`, at most `ms`. */
const bounded = (p: Promise<unknown>, ms: number) =>
  Promise.race([p, new Promise((r) => setTimeout(r, ms).unref?.())]).then(() => undefined);

export type ServiceOptions = {
  log: Log;
  /** Logs every SIP message in and out (debugging only: it prints SDP and headers). */
  trace?: boolean;
  routeInvite?: ProxyOptions["routeInvite"];
};

export async function startService(config: Config, o: ServiceOptions): Promise<Service> {
  const { log, trace } = o;
  let pbx: NetPeer | null = null;
  if (config.pbx) {
    const address = (await lookup(config.pbx.host)).address;
    pbx = { kind: "net", transport: config.pbx.transport, host: address, port: config.pbx.port };
  }
  const media = config.rtpengine
    ? new RtpEngine({ host: (await lookup(config.rtpengine.host)).address, port: config.rtpengine.port }, { log, policy: config.media })
    : null;
  const reporter = new CallReporter({ urlTemplate: config.recordsUrl, secret: config.sessionSecret, log });
  const state = config.pbx ? new StateFile(config.stateFile, log) : null;
  const stale = state?.load() ?? [];
  let net: NetSide | null = null;
  let ws: WsSide | null = null;
  let sipPort = 0;
  const platform = { api: config.api, secret: config.sessionSecret };
  const open = new Map<string, WsConnection>();
  const metrics = new Metrics();
  const proxy = new SipProxy({
    config,
    pbx,
    wsHost: WS_HOST,
    sipPort: () => sipPort,
    credentials: new PlatformCredentials(new FileCredentials(config.secrets)),
    metrics,
    send: (peer, text) => {
      if (trace) log("sip out", { peer: peer.kind === "ws" ? peer.connId : `${peer.host}:${peer.port}`, text });
      if (peer.kind === "ws") ws?.send(peer, text);
      else net?.send(peer, text);
    },
    disconnect: (connId) => ws?.drop(connId),
    // Called while a BYE is being routed: the (synchronous, on a pipe) log line and the POSTs wait until it is on its way.
    report: (record) =>
      setImmediate(() => {
        log("call record", { callId: record.callId, record });
        reporter.report(record);
      }),
    log,
    media,
    routeInvite: o.routeInvite,
    onBindingsChanged: (bindings) => void state?.save(bindings),
  });
  if (pbx)
    net = await startNet(
      config.sipHost,
      config.sipPort,
      {
        onBound: (port) => (sipPort = port),
        onMessage: (peer, text) => {
          if (trace) log("sip in", { peer: `${peer.host}:${peer.port}`, text });
          proxy.receive(peer, text);
        },
        log,
      },
      config.pbx!.transport === "tls"
        ? { ...config.tls!, ca: config.pbxTls.ca ?? undefined, verify: config.pbxTls.verify, servername: config.pbx!.host }
        : undefined,
    );
  ws = await startWs(
    "0.0.0.0",
    config.wsPort,
    {
      authenticate: (ticket) => redeemTicket(platform, ticket),
      onOpen: (conn) => {
        log("ws open", { conn: conn.id, user: `${conn.caller.tenant}/${conn.caller.userId}`, extension: conn.caller.extension });
        open.set(conn.id, conn);
        proxy.openConnection(conn.id, conn.caller);
      },
      onMessage: (conn, text) => {
        if (trace) log("sip in", { peer: conn.id, text });
        proxy.receive({ kind: "ws", connId: conn.id }, text);
      },
      onClose: (conn) => {
        log("ws closed", { conn: conn.id });
        open.delete(conn.id);
        proxy.closeConnection(conn.id);
      },
      onHttp: (req, res) => serveOps(req, res, proxy, metrics, config.metricsToken),
      log,
    },
    config.tls ?? undefined,
  );
  if (stale.length) {
    log("withdrawing the registrations a previous run left at the PBX", { count: stale.length });
    // Their PBX credentials, to answer the digest challenge of each withdrawal, come from the platform again.
    void Promise.all(
      stale.map(async (b) => {
        const now = await lookupUser(platform, b.caller.tenant, b.caller.userId);
        return { ...b, caller: { ...b.caller, credentials: now?.extension === b.caller.extension ? now.credentials : null } };
      }),
    )
      .then((withCredentials) => proxy.withdraw(withCredentials))
      .then((answers) => log(`stale registrations withdrawn: ${answers.join(", ")}`));
  }
  // Each socket's platform session, checked now and then: ended closes it (its calls end), changes apply.
  const checking = setInterval(() => {
    for (const conn of open.values()) {
      void checkSession(platform, conn.caller).then((now) => {
        if (!open.has(conn.id) || now === "unknown") return;
        if (now === "ended" || now.extension !== conn.caller.extension) {
          log("ws session ended", { conn: conn.id, user: `${conn.caller.tenant}/${conn.caller.userId}` });
          // 4001: the browser stops reconnecting until it has a new ticket; an extension change reconnects it.
          ws?.end(conn.id, now === "ended" ? 4001 : 4000, now === "ended" ? "session ended" : "extension changed");
          return;
        }
        Object.assign(conn.caller, { name: now.name, callClass: now.callClass, credentials: now.credentials });
      });
    }
  }, config.sessionCheckMs);
  checking.unref?.();
  const stop = async () => {
    clearInterval(checking);
    reporter.stop();
    media?.close();
    await Promise.all([ws?.close(), net?.close()]);
  };
  return {
    proxy,
    wsPort: ws.port,
    sipPort,
    async shutdown() {
      proxy.drain();
      const deadline = Date.now() + config.drainMs;
      log("draining", { calls: proxy.liveCalls().length, seconds: config.drainMs / 1000 });
      while (proxy.liveCalls().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      await bounded(proxy.hangUpAll(), 10_000);
      await bounded(proxy.unregisterAll(), 10_000);
      await state?.save([]);
      await bounded(reporter.drain(), 10_000);
      await stop();
    },
    stop,
  };
}

/**
 * `GET /healthz`: 200 with the counts while taking calls, 503 while draining (a
 * load balancer stops sending new browsers). `GET /metrics`: Prometheus text,
 * behind `SIP_METRICS_TOKEN` when set.
 */
function serveOps(req: IncomingMessage, res: ServerResponse, proxy: SipProxy, metrics: Metrics, token: string | null): boolean {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method !== "GET" || (path !== "/healthz" && path !== "/metrics")) return false;
  const gauges = { callsActive: proxy.liveCalls().length, registrations: proxy.registrationCount(), draining: proxy.isDraining };
  if (path === "/healthz") {
    const body = { status: gauges.draining ? "draining" : "ok", registrations: gauges.registrations, calls: gauges.callsActive };
    res
      .writeHead(gauges.draining ? 503 : 200, { "content-type": "application/json", "cache-control": "no-store" })
      .end(JSON.stringify(body));
    return true;
  }
  if (token && req.headers.authorization !== `Bearer ${token}`) {
    res.writeHead(401, { "content-type": "text/plain" }).end("unauthorized\n");
    return true;
  }
  res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(metrics.render(gauges));
  return true;
}
