/**
 * The browser side: SIP over WebSocket (RFC 7118) with the `ws` package. The
 * upgrade is refused unless the client offers subprotocol `sip` and a one-time
 * ticket from the platform (`?ticket=`, redeemed once, ~30 s; never the session
 * token), so an unauthenticated socket never reaches the SIP layer. CRLF keep-alives (RFC 5626 §4.4.1) get their CRLF pong; a socket
 * that stops answering WebSocket pings is closed, which ends its calls. With a
 * certificate it is `wss://` (the browser's page is https in production). The
 * same port answers the health and metrics requests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { Caller } from "../session";
import { MAX_MESSAGE_BYTES } from "./framing";

export type WsPeer = { kind: "ws"; connId: string };

export type WsConnection = { id: string; caller: Caller; send(text: string): void; close(): void };

export type WsHandlers = {
  /** Plain HTTP requests on the same port (health and metrics); true when answered. */
  onHttp?(req: IncomingMessage, res: ServerResponse): boolean;
  authenticate(ticket: string | null): Promise<Caller | null>;
  onOpen(conn: WsConnection): void;
  onMessage(conn: WsConnection, text: string): void;
  onClose(conn: WsConnection): void;
  log(line: string): void;
};

export type WsSide = {
  port: number;
  send(peer: WsPeer, text: string): boolean;
  /** Closes one browser's socket (policy violation: it kept sending over its limits). */
  drop(connId: string): void;
  /** Closes one browser's socket with `code` (4001: its platform session ended). */
  end(connId: string, code: number, reason: string): void;
  close(): Promise<void>;
};

const PING_INTERVAL_MS = 20_000;

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** `tls` (PEM certificate chain and key) makes it `wss://` and `https://`. */
export async function startWs(host: string, port: number, h: WsHandlers, tls?: { cert: string; key: string }): Promise<WsSide> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, handleProtocols: () => "sip" });
  const conns = new Map<string, { conn: WsConnection; ws: WebSocket }>();
  let next = 0;
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    if (h.onHttp?.(req, res)) return;
    res.writeHead(426, { "content-type": "text/plain" }).end("SIP over WebSocket (subprotocol sip)\n");
  };
  const http = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, answer) : createServer(answer);

  http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const protocols = (req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim().toLowerCase());
    if (!protocols.includes("sip")) return refuse(socket, 400, "Subprotocol sip required");
    const ticket = new URL(req.url ?? "/", "http://x").searchParams.get("ticket");
    h.authenticate(ticket).then(
      (caller) => {
        if (!caller) return refuse(socket, 401, "Unauthorized");
        wss.handleUpgrade(req, socket, head, (ws) => {
          const id = `c${++next}`;
          const conn: WsConnection = { id, caller, send: (t) => ws.send(t), close: () => ws.close() };
          conns.set(id, { conn, ws });
          let alive = true;
          ws.on("pong", () => (alive = true));
          const ping = setInterval(() => {
            if (!alive) return ws.terminate();
            alive = false;
            ws.ping();
          }, PING_INTERVAL_MS);
          ws.on("message", (data, isBinary) => {
            const text = isBinary ? Buffer.from(data as Buffer).toString("utf8") : data.toString();
            if (text === "\r\n\r\n") return ws.send("\r\n");
            if (/^[\r\n]*$/.test(text)) return;
            h.onMessage(conn, text);
          });
          ws.on("error", (e) => h.log(`ws ${id}: ${e.message}`));
          ws.on("close", () => {
            clearInterval(ping);
            conns.delete(id);
            h.onClose(conn);
          });
          h.onOpen(conn);
        });
      },
      () => refuse(socket, 503, "Unavailable"),
    );
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, host, () => resolve());
  });
  const addr = http.address();
  return {
    port: typeof addr === "object" && addr ? addr.port : port,
    send(peer, text) {
      const c = conns.get(peer.connId);
      if (!c || c.ws.readyState !== c.ws.OPEN) return false;
      c.ws.send(text);
      return true;
    },
    drop(connId) {
      conns.get(connId)?.ws.close(1008, "rate limited");
    },
    end(connId, code, reason) {
      conns.get(connId)?.ws.close(code, reason);
    },
    async close() {
      for (const c of conns.values()) c.ws.terminate();
      wss.close();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
