/**
 * REGISTER as the proxy's own registrar (RFC 3261 §10.3): binds the caller's
 * extension to the Contact on this socket for the asked expiry (capped), removes
 * it on `Expires: 0` or `Contact: *`, and builds the 200 OK listing the binding.
 * Identity was checked before we get here. In PBX mode the same bookkeeping runs
 * once the PBX accepted the registration, so calls can find the socket.
 */
import * as sip from "../sip/message";
import type { SipRequest, SipResponse } from "../sip/message";
import type { Caller } from "../session";
import type { Locations } from "./locations";

export const DEFAULT_EXPIRES = 600;
export const MAX_EXPIRES = 3600;

export class RegisterBook {
  constructor(private readonly locations: Locations) {}

  apply(connId: string, caller: Caller, req: SipRequest, now = Date.now()): SipResponse {
    const res = sip.makeResponse(req, 200, "OK");
    const ext = caller.extension!;
    const contact = sip.header(req, "Contact");
    if (!contact) {
      const current = this.locations.lookup(caller.tenant, ext, now);
      if (current?.connId === connId)
        res.headers.push({ name: "Contact", value: `<${current.contact}>;expires=${secondsLeft(current.expiresAt, now)}` });
      return res;
    }
    const headerExpires = Number(sip.header(req, "Expires") ?? DEFAULT_EXPIRES);
    if (contact.trim() === "*") {
      if (headerExpires !== 0) return sip.makeResponse(req, 400, "Bad Request");
      this.locations.unregister(caller.tenant, ext, connId);
      return res;
    }
    const na = sip.nameAddr(contact);
    if (!na) return sip.makeResponse(req, 400, "Bad Request");
    const asked = Number(na.getParam("expires") ?? headerExpires);
    const expires = Number.isFinite(asked) ? Math.min(Math.max(0, Math.floor(asked)), MAX_EXPIRES) : DEFAULT_EXPIRES;
    const uri = na.uri.toString();
    if (expires === 0) {
      this.locations.unregister(caller.tenant, ext, connId);
      return res;
    }
    this.locations.register(caller.tenant, ext, { connId, contact: uri, expiresAt: now + expires * 1000 });
    res.headers.push({ name: "Contact", value: `<${uri}>;expires=${expires}` });
    return res;
  }
}

function secondsLeft(at: number, now: number): number {
  return Math.max(0, Math.round((at - now) / 1000));
}
