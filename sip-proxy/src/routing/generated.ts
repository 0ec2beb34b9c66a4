/**
 * Requests the proxy makes itself rather than forwards: the BYE for a leg whose
 * socket dropped, the ACK and BYE for a 200 that came after the call ended, the
 * un-REGISTER for a browser that left, and the retry that answers a PBX's digest
 * challenge. Pure builders: given the dialog's facts and the Via to put on top,
 * they return the request; the proxy sends it through a client transaction.
 */
import * as sip from "../sip/message";
import type { SipRequest, SipResponse } from "../sip/message";
import { digestAnswer, parseChallenge } from "../sip/digest";
import type { Credential } from "../credentials";
import type { Call, Leg } from "./calls";
import { shiftCseq } from "./headers";
import { firstContactUri } from "./route-invite";

/** A BYE on behalf of `gone` towards `other`, which still has the call. */
export function byeFor(call: Call, gone: Leg, other: Leg, via: string, reason: string): SipRequest {
  return {
    kind: "request",
    method: "BYE",
    uri: other.contact!,
    headers: [
      { name: "Via", value: via },
      { name: "Max-Forwards", value: "70" },
      { name: "From", value: gone.party },
      { name: "To", value: other.party },
      { name: "Call-ID", value: call.callId },
      { name: "CSeq", value: `${gone.cseq + 1} BYE` },
      { name: "Reason", value: reason },
    ],
    body: "",
  };
}

/**
 * The ACK and BYE for a 200 that answered `invite` after the call had ended: the
 * caller will never ACK it, so the proxy does and hangs that leg up at once.
 */
export function lateAnswerRequests(invite: SipRequest, res: SipResponse, via: () => string): { ack: SipRequest; bye: SipRequest } {
  const seq = sip.cseq(invite)!.seq;
  const request = (method: "ACK" | "BYE", cseq: number): SipRequest => ({
    kind: "request",
    method,
    uri: firstContactUri(res) ?? invite.uri,
    headers: [
      { name: "Via", value: via() },
      { name: "Max-Forwards", value: "70" },
      { name: "From", value: sip.header(invite, "From")! },
      { name: "To", value: sip.header(res, "To")! },
      { name: "Call-ID", value: sip.callId(invite) },
      { name: "CSeq", value: `${cseq} ${method}` },
      ...(method === "BYE" ? [{ name: "Reason", value: 'SIP;cause=408;text="answered after the call ended"' }] : []),
    ],
    body: "",
  });
  return { ack: request("ACK", seq), bye: request("BYE", seq + 1) };
}

/** The REGISTER the PBX accepted, turned into its withdrawal (Expires: 0, no credentials, next CSeq). */
export function unregisterFor(accepted: SipRequest, via: string): SipRequest {
  const out = sip.clone(accepted);
  sip.popVia(out);
  sip.prependHeader(out, "Via", via);
  sip.removeHeaders(out, "Authorization");
  sip.removeHeaders(out, "Proxy-Authorization");
  sip.setHeader(out, "Expires", "0");
  for (const h of out.headers) if (h.name.toLowerCase() === "contact") h.value = h.value.replace(/;\s*expires=\d+/gi, "");
  shiftCseq(out, 1);
  return out;
}

/** `request` again with the answer to the challenge in `res` (401/407) and the next CSeq, or null if we cannot answer it. */
export function authorizedRetry(request: SipRequest, res: SipResponse, cred: Credential, via: string): SipRequest | null {
  const challenge = parseChallenge(sip.header(res, res.status === 401 ? "WWW-Authenticate" : "Proxy-Authenticate") ?? "");
  if (!challenge) return null;
  const retry = sip.clone(request);
  const answer = digestAnswer(challenge, cred, retry.method, retry.uri);
  if (!answer) return null;
  sip.popVia(retry);
  sip.prependHeader(retry, "Via", via);
  sip.setHeader(retry, res.status === 401 ? "Authorization" : "Proxy-Authorization", answer);
  shiftCseq(retry, 1);
  return retry;
}
