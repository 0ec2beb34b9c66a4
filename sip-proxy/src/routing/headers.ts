/**
 * What the proxy writes into the messages it passes on, and nothing else (RFC
 * 3261 §16.6): its own Via towards each side, its Record-Route, popping the
 * Route entries that name it, the Contact aliases that stand for browsers
 * (their `xyz.invalid;transport=ws` addresses reach nobody else), and the
 * caller identity on browser requests: what a browser claims about who it is
 * (P-Asserted-Identity and friends) is dropped, and the proxy asserts the bound
 * extension and the user's name itself (RFC 3325, issue 16.2). Towards the PBX
 * the browsers' `.invalid` domain becomes the PBX's (`SIP_PBX_DOMAIN`).
 */
import * as sip from "../sip/message";
import type { Caller } from "../session";
import type { Peer } from "./calls";
import type { Locations } from "./locations";

export type LocalAddress = {
  /** Host name the proxy puts in Via and Contact towards browsers (never resolved by them). */
  wsHost: string;
  /** Address and port advertised towards the PBX; the port is known once the socket is bound. */
  sipHost: string;
  sipPort(): number;
  /** The PBX's transport, or null in registrar mode. */
  pbxTransport: "udp" | "tcp" | "tls" | null;
  /** The domain of From, To, Refer-To, Referred-By and P-Asserted-Identity towards the PBX. */
  pbxDomain: string | null;
};

/** Identity claims only the proxy may make (RFC 3325 §5: a trust domain strips them at its edge). */
const CLAIMS = ["P-Asserted-Identity", "P-Preferred-Identity", "Remote-Party-ID", "Diversion", "History-Info"];
/** Headers that name parties and so carry the browsers' placeholder domain. */
const PARTIES = ["From", "To", "Refer-To", "Referred-By"];

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

/**
 * A browser's request on its way out: its identity claims are dropped; the From
 * shows the user's name; a new call carries the proxy's own P-Asserted-Identity
 * (the bound extension, the user's name); towards the PBX, the placeholder
 * `.invalid` hosts of the parties become the PBX's domain.
 */
export function assertIdentity(out: sip.SipRequest, caller: Caller, towardsPbx: string | null): void {
  for (const name of CLAIMS) sip.removeHeaders(out, name);
  const name = displayName(caller.name ?? "");
  for (const h of out.headers) {
    const party = PARTIES.find((p) => p.toLowerCase() === h.name.toLowerCase());
    if (!party) continue;
    const na = sip.nameAddr(h.value);
    if (!na) {
      // A bare addr-spec (sip.js writes `Refer-To: sip:3005@conversas.invalid`): its host alone is re-homed.
      if (towardsPbx) h.value = h.value.replace(/^(\s*sips?:[^@;\s]+@)([^;:>\s]+\.invalid)\b/i, `$1${towardsPbx}`);
      continue;
    }
    if (towardsPbx && na.uri.host.endsWith(".invalid")) na.uri.host = towardsPbx;
    if (party === "From" && name) na.displayName = name;
    h.value = na.toString();
  }
  if (out.method === "INVITE" && !sip.tagOf(out, "To") && caller.extension) {
    const host = towardsPbx ?? sip.addr(sip.header(out, "From")!)?.host ?? "conversas.invalid";
    const uri = `sip:${caller.extension}@${host}`;
    sip.setHeader(out, "P-Asserted-Identity", name ? `"${name}" <${uri}>` : `<${uri}>`);
  }
}

/** A response on its way back to a browser shows the From and To it sent (tags kept): the rewriting is ours, not its. */
export function restoreParties(out: sip.SipResponse, req: sip.SipRequest): void {
  sip.setHeader(out, "From", sip.header(req, "From")!);
  const tag = sip.tagOf(out, "To");
  const to = sip.header(req, "To")!;
  sip.setHeader(out, "To", tag && !sip.tagOf(req, "To") ? `${to};tag=${tag}` : to);
}

/** A name safe inside a quoted display name: no quotes, backslashes or control characters. */
function displayName(name: string): string {
  return name
    .replace(/["\\\u0000-\u001f\u007f]/g, "")
    .trim()
    .slice(0, 80);
}

export function shiftCseq(m: sip.SipRequest, by: number): void {
  const cs = sip.cseq(m)!;
  sip.setHeader(m, "CSeq", `${cs.seq + by} ${cs.method}`);
}
