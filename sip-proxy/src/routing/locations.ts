/**
 * Where each browser can be reached. Two tables, both tied to a WebSocket's
 * life: registrations (tenant + extension → connection and the Contact it
 * registered; RFC 3261 §10) and contact aliases — every Contact a browser sends
 * is replaced by `sip:<alias>@<proxy>` before it leaves (its own
 * `xyz.invalid;transport=ws` address is unreachable from anywhere else), and a
 * request later addressed to the alias goes back down the same socket with the
 * browser's original URI restored.
 */
import { randomToken } from "../sip/message";

export type Registration = { connId: string; contact: string; expiresAt: number };
export type Alias = { connId: string; uri: string };

export class Locations {
  private registrations = new Map<string, Registration>();
  private aliases = new Map<string, Alias>();
  private byOriginal = new Map<string, string>();

  register(tenant: string, extension: string, reg: Registration): void {
    this.registrations.set(`${tenant}/${extension}`, reg);
  }

  unregister(tenant: string, extension: string, connId: string): void {
    const k = `${tenant}/${extension}`;
    if (this.registrations.get(k)?.connId === connId) this.registrations.delete(k);
  }

  count(now = Date.now()): number {
    let n = 0;
    for (const r of this.registrations.values()) if (r.expiresAt > now) n++;
    return n;
  }

  lookup(tenant: string, extension: string, now = Date.now()): Registration | null {
    const r = this.registrations.get(`${tenant}/${extension}`);
    if (!r) return null;
    if (r.expiresAt <= now) {
      this.registrations.delete(`${tenant}/${extension}`);
      return null;
    }
    return r;
  }

  /** The alias standing for this browser URI on this connection; the same URI always gets the same alias. */
  aliasFor(connId: string, uri: string): string {
    const k = `${connId} ${uri}`;
    let a = this.byOriginal.get(k);
    if (!a) {
      a = `ws${randomToken(12)}`;
      this.byOriginal.set(k, a);
      this.aliases.set(a, { connId, uri });
    }
    return a;
  }

  resolveAlias(alias: string | undefined | null): Alias | null {
    return (alias && this.aliases.get(alias)) || null;
  }

  /** A socket closed: forget everything that pointed at it. */
  dropConnection(connId: string): void {
    for (const [k, r] of this.registrations) if (r.connId === connId) this.registrations.delete(k);
    for (const [a, x] of this.aliases) {
      if (x.connId !== connId) continue;
      this.aliases.delete(a);
      this.byOriginal.delete(`${connId} ${x.uri}`);
    }
  }
}
