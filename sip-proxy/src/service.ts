/**
 * The sip-proxy wired up: the routing core is built first, then the transports
 * that feed it (so no packet can reach a half-built proxy), the media anchor and
 * the call-record reporter. `main.ts` runs it from the environment; a harness
 * (the bench) may pass its own call router.
 */
import { lookup } from "node:dns/promises";
import type { Config } from "./config";
import { FileCredentials } from "./credentials";
import { authenticate } from "./session";
import { CallReporter } from "./records";
import { SipProxy, type ProxyOptions } from "./routing/proxy";
import { RtpEngine } from "./media/rtpengine";
import { startNet, type NetPeer, type NetSide } from "./transport/net";
import { startWs, type WsSide } from "./transport/ws";
import { StateFile } from "./state";

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
  log(line: string): void;
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
    ? new RtpEngine({ host: (await lookup(config.rtpengine.host)).address, port: config.rtpengine.port }, { log })
    : null;
  const reporter = new CallReporter({ urlTemplate: config.recordsUrl, secret: config.sessionSecret, log });
  const state = config.pbx ? new StateFile(config.stateFile, log) : null;
  const stale = state?.load() ?? [];
  let net: NetSide | null = null;
  let ws: WsSide | null = null;
  let sipPort = 0;
  const proxy = new SipProxy({
    config,
    pbx,
    wsHost: WS_HOST,
    sipPort: () => sipPort,
    credentials: new FileCredentials(config.secrets),
    send: (peer, text) => {
      if (trace) log(`→ ${peer.kind === "ws" ? peer.connId : `${peer.host}:${peer.port}`}\n${text}`);
      if (peer.kind === "ws") ws?.send(peer, text);
      else net?.send(peer, text);
    },
    disconnect: (connId) => ws?.drop(connId),
    // Called while a BYE is being routed: the (synchronous, on a pipe) log line and the POSTs wait until it is on its way.
    report: (record) =>
      setImmediate(() => {
        log(`call record ${JSON.stringify(record)}`);
        reporter.report(record);
      }),
    log,
    media,
    routeInvite: o.routeInvite,
    onBindingsChanged: (bindings) => void state?.save(bindings),
  });
  if (pbx)
    net = await startNet(config.sipHost, config.sipPort, {
      onBound: (port) => (sipPort = port),
      onMessage: (peer, text) => {
        if (trace) log(`← ${peer.host}:${peer.port}\n${text}`);
        proxy.receive(peer, text);
      },
      log,
    });
  ws = await startWs("0.0.0.0", config.wsPort, {
    authenticate: (token) => authenticate(config.sessionSecret, config.api, token),
    onOpen: (conn) => {
      log(`ws ${conn.id} open: ${conn.caller.tenant}/${conn.caller.userId} ext=${conn.caller.extension ?? "-"}`);
      proxy.openConnection(conn.id, conn.caller);
    },
    onMessage: (conn, text) => {
      if (trace) log(`← ${conn.id}\n${text}`);
      proxy.receive({ kind: "ws", connId: conn.id }, text);
    },
    onClose: (conn) => {
      log(`ws ${conn.id} closed`);
      proxy.closeConnection(conn.id);
    },
    log,
  });
  if (stale.length) {
    log(`withdrawing ${stale.length} registration(s) a previous run left at the PBX`);
    void proxy.withdraw(stale).then((answers) => log(`stale registrations withdrawn: ${answers.join(", ")}`));
  }
  const stop = async () => {
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
      log(`draining: ${proxy.liveCalls().length} call(s) may go on for up to ${config.drainMs / 1000} s`);
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
