/**
 * The proxy's SIP/UDP, SIP/TCP and SIP/TLS side, towards the PBX (RFC 3261 §18).
 * One UDP socket and one stream listener (TCP, or TLS when the PBX speaks TLS)
 * share a port; outbound connections are opened on demand and reused both ways,
 * keyed by the remote address. The routing layer sees only text in and
 * `send(peer, text)` out.
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer, connect, isIP, type Server, type Socket } from "node:net";
import { connect as tlsConnect, createServer as createTlsServer } from "node:tls";
import { takeMessages, MAX_MESSAGE_BYTES } from "./framing";

export type NetPeer = { kind: "net"; transport: "udp" | "tcp" | "tls"; host: string; port: number };

/** SIP over TLS towards the PBX: our certificate (for the PBX's connections to us) and how the PBX's is checked. */
export type NetTls = { cert: string; key: string; ca?: string; verify: boolean; servername: string };

export type NetSide = { port: number; send(peer: NetPeer, text: string): void; close(): Promise<void> };

export type NetHandlers = {
  /** Called with the bound port before any message can be delivered. */
  onBound?(port: number): void;
  onMessage(peer: NetPeer, text: string): void;
  log(line: string): void;
};

const key = (host: string, port: number) => `${host}:${port}`;

export async function startNet(host: string, port: number, h: NetHandlers, tls?: NetTls): Promise<NetSide> {
  const streams = new Map<string, Socket>();
  const transport = tls ? "tls" : "tcp";
  const adopt = (socket: Socket, peerHost: string, peerPort: number) => {
    const k = key(peerHost, peerPort);
    streams.set(k, socket);
    let pending: Buffer = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      const framed = takeMessages(Buffer.concat([pending, chunk as Buffer]));
      pending = framed.rest;
      if (framed.keepAlives) socket.write("\r\n");
      for (const text of framed.messages) h.onMessage({ kind: "net", transport, host: peerHost, port: peerPort }, text);
      if (framed.error) {
        h.log(`tcp ${k}: ${framed.error}; closing`);
        socket.destroy();
      }
    });
    socket.on("error", (e) => h.log(`tcp ${k}: ${e.message}`));
    socket.on("close", () => {
      if (streams.get(k) === socket) streams.delete(k);
    });
  };
  const accept = (socket: Socket) => adopt(socket, socket.remoteAddress ?? "", socket.remotePort ?? 0);
  const { udp, server } = await bindBoth(host, port, () =>
    tls ? createTlsServer({ cert: tls.cert, key: tls.key }, accept) : createServer(accept),
  );
  const bound = udp.address().port;
  udp.on("error", (e) => h.log(`udp error: ${e.message}`));
  h.onBound?.(bound);
  udp.on("message", (data, rinfo) => {
    if (data.length > MAX_MESSAGE_BYTES) return;
    const text = data.toString("utf8");
    if (/^[\r\n]*$/.test(text)) return;
    h.onMessage({ kind: "net", transport: "udp", host: rinfo.address, port: rinfo.port }, text);
  });

  return {
    port: bound,
    send(peer, text) {
      if (peer.transport === "udp") {
        udp.send(Buffer.from(text, "utf8"), peer.port, peer.host);
        return;
      }
      let socket = streams.get(key(peer.host, peer.port));
      if (!socket) {
        socket = tls
          ? tlsConnect({
              host: peer.host,
              port: peer.port,
              // SNI takes a name only (RFC 6066); an address is checked against the certificate's IP entries.
              servername: isIP(tls.servername) ? undefined : tls.servername,
              ca: tls.ca,
              rejectUnauthorized: tls.verify,
            })
          : connect({ host: peer.host, port: peer.port });
        adopt(socket, peer.host, peer.port);
      }
      socket.write(text);
    },
    async close() {
      for (const s of streams.values()) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => udp.close(() => r()));
    },
  };
}

/**
 * UDP and TCP (or TLS) on the same port. Asked for any port (0), the system picks a free UDP one, which may
 * be taken for TCP: then both are tried again on another. A port given explicitly fails at once.
 */
export async function bindBoth(host: string, port: number, makeServer: () => Server): Promise<{ udp: UdpSocket; server: Server }> {
  for (let attempt = 1; ; attempt++) {
    const udp: UdpSocket = createSocket({ type: host.includes(":") ? "udp6" : "udp4" });
    await new Promise<void>((resolve, reject) => {
      udp.once("error", reject);
      udp.bind(port, host, () => resolve());
    });
    const server = makeServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(udp.address().port, host, () => resolve());
      });
      return { udp, server };
    } catch (err) {
      udp.close();
      if (port !== 0 || attempt >= 10 || (err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    }
  }
}
