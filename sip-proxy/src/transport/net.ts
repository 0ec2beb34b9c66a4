/**
 * The proxy's SIP/UDP and SIP/TCP side, towards the PBX (RFC 3261 §18). One UDP
 * socket and one TCP listener share a port; outbound TCP connections are opened
 * on demand and reused both ways, keyed by the remote address. The routing layer
 * sees only text in and `send(peer, text)` out.
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer, connect, type Socket } from "node:net";
import { takeMessages, MAX_MESSAGE_BYTES } from "./framing";

export type NetPeer = { kind: "net"; transport: "udp" | "tcp"; host: string; port: number };

export type NetSide = { port: number; send(peer: NetPeer, text: string): void; close(): Promise<void> };

export type NetHandlers = {
  /** Called with the bound port before any message can be delivered. */
  onBound?(port: number): void;
  onMessage(peer: NetPeer, text: string): void;
  log(line: string): void;
};

const key = (host: string, port: number) => `${host}:${port}`;

export async function startNet(host: string, port: number, h: NetHandlers): Promise<NetSide> {
  const udp: UdpSocket = createSocket({ type: host.includes(":") ? "udp6" : "udp4" });
  await new Promise<void>((resolve, reject) => {
    udp.once("error", reject);
    udp.bind(port, host, () => resolve());
  });
  udp.on("error", (e) => h.log(`udp error: ${e.message}`));
  const bound = udp.address().port;
  h.onBound?.(bound);
  udp.on("message", (data, rinfo) => {
    if (data.length > MAX_MESSAGE_BYTES) return;
    const text = data.toString("utf8");
    if (/^[\r\n]*$/.test(text)) return;
    h.onMessage({ kind: "net", transport: "udp", host: rinfo.address, port: rinfo.port }, text);
  });

  const streams = new Map<string, Socket>();
  const adopt = (socket: Socket, peerHost: string, peerPort: number) => {
    const k = key(peerHost, peerPort);
    streams.set(k, socket);
    let pending: Buffer = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      const framed = takeMessages(Buffer.concat([pending, chunk as Buffer]));
      pending = framed.rest;
      if (framed.keepAlives) socket.write("\r\n");
      for (const text of framed.messages) h.onMessage({ kind: "net", transport: "tcp", host: peerHost, port: peerPort }, text);
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
  const server = createServer((socket) => adopt(socket, socket.remoteAddress ?? "", socket.remotePort ?? 0));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(bound, host, () => resolve());
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
        socket = connect({ host: peer.host, port: peer.port });
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
