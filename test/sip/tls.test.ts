/**
 * Real networks and operations (issue 16.7, operations): the browser side over
 * `wss://` with a certificate made here by openssl, `SIP_PBX=tls:` towards sipp
 * behind a TLS endpoint (Node's tls, the PBX's certificate checked against
 * `SIP_PBX_CA`), and the health, metrics and JSON log an operator reads.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { get } from "node:https";
import { connect as tcpConnect } from "node:net";
import { createServer as createTlsServer, type Server } from "node:tls";
import { join } from "node:path";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/dev/process.mjs";
import {
  listening,
  phone,
  sipp,
  startProxy,
  RegistererState,
  type RunningProxy,
  startPlatform,
  type Platform,
  pbxEnv,
  callAndHangUp,
  passed,
} from "./support";
import { tempDir } from "../../tools/dev/runtime.mjs";

let platform: Platform;
let proxy: RunningProxy;
let dir: string;
let cert: string;
const previousWebSocket = (globalThis as { WebSocket?: unknown }).WebSocket;

/** GET over https trusting only the test's own certificate. */
function httpsGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path, ca: cert, headers }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    }).on("error", reject);
  });
}

beforeAll(async () => {
  dir = tempDir("sip-tls-");
  execFileSync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    join(dir, "key.pem"),
    "-out",
    join(dir, "cert.pem"),
    "-days",
    "1",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=IP:127.0.0.1,DNS:localhost",
  ]);
  cert = readFileSync(join(dir, "cert.pem"), "utf8");
  // sip.js opens `new WebSocket(url, "sip")`: this one trusts the test's certificate.
  (globalThis as { WebSocket?: unknown }).WebSocket = class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { ca: cert });
    }
  };
  platform = await startPlatform(["ana", "bruno"]);
  proxy = await startProxy({
    ...platform.proxyEnv,
    SIP_TLS_CERT: join(dir, "cert.pem"),
    SIP_TLS_KEY: join(dir, "key.pem"),
    SIP_METRICS_TOKEN: "metricas-do-teste",
  });
});

afterAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = previousWebSocket;
  if (process.env.SIP_DEBUG) console.log(proxy?.log());
  await proxy?.stop();
  await platform?.stop();
});

describe("issue 16.7: real networks", () => {
  it("issue 16.7: with SIP_TLS_CERT/SIP_TLS_KEY the proxy serves wss:// and a browser registers over it", async () => {
    const ana = await phone(proxy.wsPort, platform.tickets("ana", proxy.wsPort, "wss"), "2001", { scheme: "wss" });
    try {
      expect(await ana.register()).toEqual({ state: RegistererState.Registered, status: 200 });
    } finally {
      await ana.stop();
    }
    // Plain ws:// on the same port is refused: the handshake is TLS or nothing.
    const plain = new WebSocket(await platform.tickets("ana", proxy.wsPort)(), "sip");
    expect(await new Promise((r) => (plain.once("open", () => r("open")), plain.once("error", () => r("error"))))).toBe("error");
  });

  it("issue 16.7: SIP_PBX=tls: — a call reaches the PBX over TLS, its certificate checked against SIP_PBX_CA", async () => {
    const sippPort = await freePort();
    const tlsPort = await freePort();
    const handshakes: string[] = [];
    // The PBX's TLS endpoint: TLS in, sipp's SIP/TCP behind it.
    const pbxTls: Server = createTlsServer({ cert, key: readFileSync(join(dir, "key.pem")) }, (c) => {
      handshakes.push(c.getProtocol() ?? "?");
      const up = tcpConnect(sippPort, "127.0.0.1");
      c.pipe(up).pipe(c);
      c.on("error", () => up.destroy());
      up.on("error", () => c.destroy());
    });
    await new Promise<void>((r) => pbxTls.listen(tlsPort, "127.0.0.1", () => r()));
    const uas = sipp(["-sf", "uas.xml", "-t", "t1", "-p", String(sippPort)]);
    await listening(sippPort);
    const tlsProxy = await startProxy(
      pbxEnv(platform, `tls:127.0.0.1:${tlsPort}`, {
        SIP_TLS_CERT: join(dir, "cert.pem"),
        SIP_TLS_KEY: join(dir, "key.pem"),
        SIP_PBX_CA: join(dir, "cert.pem"),
      }),
    );
    const ana = await phone(tlsProxy.wsPort, platform.tickets("ana", tlsProxy.wsPort, "wss"), "2001", { scheme: "wss" });
    try {
      const inviter = ana.call("3000");
      await callAndHangUp(inviter);
      await passed(uas);
      expect(handshakes[0]).toMatch(/^TLSv1\.[23]$/);
    } finally {
      await ana.stop();
      await uas.stop();
      await tlsProxy.stop();
      pbxTls.close();
    }
  });
});

describe("issue 16: operations", () => {
  it("issue 16 ops: GET /healthz answers 200 with the registration and call counts", async () => {
    const res = await httpsGet(proxy.wsPort, "/healthz");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: "ok", registrations: expect.any(Number), calls: 0 });
  });

  it("issue 16 ops: GET /metrics is Prometheus text behind its token: calls, registrations, refusals, INVITE→200 histogram", async () => {
    expect((await httpsGet(proxy.wsPort, "/metrics")).status).toBe(401);
    // One refusal to count: a user claiming another's extension.
    const spoof = await phone(proxy.wsPort, platform.tickets("ana", proxy.wsPort, "wss"), "2002", { scheme: "wss" });
    await spoof.register();
    await spoof.stop();
    const res = await httpsGet(proxy.wsPort, "/metrics", { authorization: "Bearer metricas-do-teste" });
    expect(res.status).toBe(200);
    for (const name of [
      "sip_proxy_calls_active",
      "sip_proxy_registrations",
      "sip_proxy_invite_to_200_seconds_count",
      "sip_proxy_draining 0",
    ])
      expect(res.body).toContain(name);
    expect(res.body).toContain('sip_proxy_refusals_total{status="403",reason="not-your-extension"} 1');
  });

  it("issue 16 ops: the log is one JSON object a line", () => {
    const lines = proxy.log().trim().split("\n");
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines)
      expect(JSON.parse(line)).toMatchObject({ time: expect.any(String), level: expect.any(String), msg: expect.any(String) });
  });
});
