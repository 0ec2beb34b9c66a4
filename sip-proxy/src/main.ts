/**
 * The sip-proxy process: reads its configuration (stopping with a message that
 * names a bad setting), opens the browser side (WebSocket, subprotocol `sip`) and,
 * when a PBX is configured, the SIP/UDP+TCP side, and wires both to the routing
 * core. Prints one `sip-proxy ready ws=<port> sip=<port>` line once listening, which
 * `npm start` and the tests wait for.
 */
import { lookup } from "node:dns/promises";
import { readConfig, ConfigError, type Config } from "./config";
import { authenticate } from "./session";
import { CallReporter } from "./records";
import { SipProxy } from "./routing/proxy";
import { RtpEngine } from "./media/rtpengine";
import { startNet, type NetPeer, type NetSide } from "./transport/net";
import { startWs } from "./transport/ws";

const WS_HOST = "proxy.conversas.invalid";
/** `SIP_TRACE=1` logs every message sent (debugging only: it prints SDP and headers). */
const trace = process.env.SIP_TRACE === "1";

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} sip-proxy ${line}\n`);
}

async function main(config: Config): Promise<void> {
  let pbx: NetPeer | null = null;
  if (config.pbx) {
    const address = (await lookup(config.pbx.host)).address;
    pbx = { kind: "net", transport: config.pbx.transport, host: address, port: config.pbx.port };
  }
  const media = config.rtpengine
    ? new RtpEngine({ host: (await lookup(config.rtpengine.host)).address, port: config.rtpengine.port }, { log })
    : null;
  const reporter = new CallReporter({ urlTemplate: config.recordsUrl, secret: config.sessionSecret, log });
  let net: NetSide | null = null;
  let proxy: SipProxy | null = null;
  if (pbx)
    net = await startNet(config.sipHost, config.sipPort, {
      onMessage: (peer, text) => {
        if (trace) log(`← ${peer.host}:${peer.port}\n${text}`);
        proxy!.receive(peer, text);
      },
      log,
    });
  const ws = await startWs("0.0.0.0", config.wsPort, {
    authenticate: (token) => authenticate(config.sessionSecret, config.api, token),
    onOpen: (conn) => {
      log(`ws ${conn.id} open: ${conn.caller.tenant}/${conn.caller.userId} ext=${conn.caller.extension ?? "-"}`);
      proxy!.openConnection(conn.id, conn.caller);
    },
    onMessage: (conn, text) => {
      if (trace) log(`← ${conn.id}\n${text}`);
      proxy!.receive({ kind: "ws", connId: conn.id }, text);
    },
    onClose: (conn) => {
      log(`ws ${conn.id} closed`);
      proxy!.closeConnection(conn.id);
    },
    log,
  });
  proxy = new SipProxy({
    config,
    pbx,
    wsHost: WS_HOST,
    sipPort: net?.port ?? config.sipPort,
    send: (peer, text) => {
      if (trace) log(`→ ${peer.kind === "ws" ? peer.connId : `${peer.host}:${peer.port}`}\n${text}`);
      if (peer.kind === "ws") ws.send(peer, text);
      else net?.send(peer, text);
    },
    // Called while a BYE is being routed: the (synchronous, on a pipe) log line and the POSTs wait until it is on its way.
    report: (record) =>
      setImmediate(() => {
        log(`call record ${JSON.stringify(record)}`);
        reporter.report(record);
      }),
    log,
    media,
  });
  const mode = pbx ? `pbx=${config.pbx!.transport}:${config.pbx!.host}:${config.pbx!.port}` : "registrar";
  console.log(`sip-proxy ready ws=${ws.port} sip=${net?.port ?? 0} mode=${mode}`);
  const stop = async () => {
    reporter.stop();
    media?.close();
    await Promise.all([ws.close(), net?.close()]);
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

let config: Config;
try {
  config = readConfig(process.env);
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`sip-proxy: configuração inválida: ${e.message}`);
    process.exit(2);
  }
  throw e;
}
main(config).catch((e) => {
  console.error(`sip-proxy: não iniciou: ${(e as Error).message}`);
  process.exit(1);
});
