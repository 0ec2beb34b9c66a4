/**
 * What the proxy writes into the messages it passes on, and nothing else (RFC
 * 3261 §16.6): its own Via towards each side, its Record-Route, popping the
 * Route entries that name it, and the Contact aliases that stand for browsers
 * (their `xyz.invalid;transport=ws` addresses reach nobody else).
 */
import * as sip from "../sip/message";
import type { Peer } from "./calls";
import type { Locations } from "./locations";

export type LocalAddress = {
  /** Host name the proxy puts in Via and Contact towards browsers (never resolved by them). */
  wsHost: string;
  /** Address and port advertised towards the PBX; the port is known once the socket is bound. */
  sipHost: string;
  sipPort(): number;
  /** The PBX's transport, or null in registrar mode. */
  pbxTransport: "udp" | "tcp" | null;
};

export class Rewriter {
  constructor(
    private readonly local: LocalAddress,
    private readonly locations: Locations,
  ) {}

  viaFor(target: Peer, branch: string): string {
    if (target.kind === "ws") return sip.makeVia("WSS", this.local.wsHost, undefined, branch, false);
    return sip.makeVia(target.transport.toUpperCase(), this.local.sipHost, this.local.sipPort(), branch, true);
  }

  recordRoute(): string {
    if (!this.local.pbxTransport) return `<sip:${this.local.wsHost};transport=ws;lr>`;
    return `<sip:${this.local.sipHost}:${this.local.sipPort()};transport=${this.local.pbxTransport};lr>`;
  }

  isOwn(host: string, port: number | undefined): boolean {
    return host === this.local.wsHost || (host === this.local.sipHost && (port ?? 5060) === this.local.sipPort());
  }

  /** Removes the Route entries at the top that name this proxy (RFC 3261 §16.4). */
  popOwnRoutes(req: sip.SipRequest): void {
    const routes = sip.routeSet(sip.headers(req, "Route"));
    let i = 0;
    while (i < routes.length && this.isOwn(routes[i]!.host, routes[i]!.port)) i++;
    if (i === 0) return;
    sip.removeHeaders(req, "Route");
    for (const r of routes.slice(i).reverse()) sip.prependHeader(req, "Route", r.text);
  }

  /** Browser Contacts become aliases at the proxy, addressed the way the receiving side can reach us. */
  rewriteContacts(m: sip.SipMessage, connId: string, towards: Peer): void {
    for (const h of m.headers) {
      if (h.name.toLowerCase() !== "contact") continue;
      const na = sip.nameAddr(h.value);
      if (!na) continue;
      const alias = this.locations.aliasFor(connId, na.uri.toString());
      const uri =
        towards.kind === "ws"
          ? `sip:${alias}@${this.local.wsHost};transport=ws`
          : `sip:${alias}@${this.local.sipHost}:${this.local.sipPort()};transport=${towards.transport}`;
      na.uri = sip.parseUri(uri)!;
      h.value = na.toString();
    }
  }

  /** The registrar lists the bindings it holds: the browser must find its own Contact there, not our alias. */
  restoreAliases(m: sip.SipMessage): void {
    for (const h of m.headers) {
      if (h.name.toLowerCase() !== "contact") continue;
      const na = sip.nameAddr(h.value);
      const alias = na && this.isOwn(na.uri.host, na.uri.port) ? this.locations.resolveAlias(na.uri.user) : null;
      if (!na || !alias) continue;
      na.uri = sip.parseUri(alias.uri)!;
      h.value = na.toString();
    }
  }
}

export function shiftCseq(m: sip.SipRequest, by: number): void {
  const cs = sip.cseq(m)!;
  sip.setHeader(m, "CSeq", `${cs.seq + by} ${cs.method}`);
}
