/**
 * Two in-dialog rules the proxy applies for PBX compatibility (issue 16.8), as
 * pure functions over messages:
 * - Session timers (RFC 4028): browsers (sip.js) do not implement them, so a
 *   PBX's `Require: timer` would be refused 420; the proxy takes the requirement
 *   off towards the browser and, as RFC 4028 §8.2 lets a proxy do, puts
 *   `Session-Expires;refresher=uac` into the browser's 2xx so the PBX refreshes.
 *   The negotiated interval then bounds the call: no refresh in time, no call.
 * - Blind transfer (RFC 3515): the REFER's NOTIFYs carry a sipfrag whose status
 *   line says how the transfer went; the transferor keeps its leg until a final one.
 */
import * as sip from "../sip/message";
import type { SipMessage, SipRequest, SipResponse } from "../sip/message";

const optionTags = (m: SipMessage, name: string) =>
  sip
    .headers(m, name)
    .flatMap((v) => v.split(","))
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);

/** The session interval in seconds, from a Session-Expires (or its compact `x`) header; null when absent. */
export function sessionInterval(m: SipMessage): number | null {
  const v = sip.header(m, "Session-Expires");
  const n = v ? Number(/^\s*(\d{1,7})/.exec(v)?.[1]) : NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** Towards a browser: `timer` leaves Require (it stays in Supported, which a UA may ignore). */
export function dropTimerRequirement(req: SipRequest): void {
  const kept = optionTags(req, "Require").filter((t) => t !== "timer");
  sip.removeHeaders(req, "Require");
  if (kept.length) req.headers.push({ name: "Require", value: kept.join(", ") });
}

/**
 * The browser's 2xx to a PBX request that asked for session timers: when the
 * browser said nothing, the PBX (which supports them) becomes the refresher.
 */
export function refresherIsPbx(res: SipResponse, req: SipRequest): void {
  const interval = sessionInterval(req);
  const pbxSupports = [...optionTags(req, "Supported"), ...optionTags(req, "Require")].includes("timer");
  if (!interval || !pbxSupports || sessionInterval(res) !== null) return;
  res.headers.push({ name: "Session-Expires", value: `${interval};refresher=uac` });
  const required = optionTags(res, "Require");
  if (!required.includes("timer")) {
    sip.removeHeaders(res, "Require");
    res.headers.push({ name: "Require", value: [...required, "timer"].join(", ") });
  }
}

/** The status in a NOTIFY's `message/sipfrag` body (`SIP/2.0 200 OK`), or null. */
export function sipfragStatus(body: string): number | null {
  const m = /^SIP\/2\.0 ([1-6][0-9]{2})\b/.exec(body.trimStart());
  return m ? Number(m[1]) : null;
}

export function isReferNotify(req: SipRequest): boolean {
  return req.method === "NOTIFY" && /^\s*refer\b/i.test(sip.header(req, "Event") ?? "");
}
