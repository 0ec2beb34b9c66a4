/**
 * Identity binding (R2, R29): a WebSocket is bound to the signed-in user's
 * extension, and the SIP it sends must claim that extension and no other. Pure
 * rules; the proxy answers 403 with the reason when one refuses.
 */
import { userOf, type SipRequest } from "../sip/message";
import type { Caller } from "../session";

export type Refusal = {
  status: number;
  reason: string;
  /** The class of service the number needed (call-class refusals). */ needs?: string;
};

/** REGISTER: From and To must both name the caller's own extension. */
export function registerRefusal(caller: Caller, req: SipRequest): Refusal | null {
  if (!caller.extension) return { status: 403, reason: "Forbidden (user has no extension)" };
  if (userOf(req, "To") !== caller.extension || userOf(req, "From") !== caller.extension) {
    return { status: 403, reason: "Forbidden (not your extension)" };
  }
  return null;
}

/** A new call or other out-of-dialog request: From must be the caller's own extension. */
export function originRefusal(caller: Caller, req: SipRequest): Refusal | null {
  if (!caller.extension) return { status: 403, reason: "Forbidden (user has no extension)" };
  if (userOf(req, "From") !== caller.extension) return { status: 403, reason: "Forbidden (not your extension)" };
  return null;
}
