/**
 * Requests the proxy makes itself rather than forwards: the BYE for a leg whose
 * socket dropped, the ACK and BYE for a 200 that came after the call ended, the
 * un-REGISTER for a browser that left, and the retry that answers a PBX's digest
 * challenge. Pure builders: given the dialog's facts and the Via to put on top,
 * they return the request; the proxy sends it through a client transaction.
 */
import * as sip from "../sip/message";
import type { SipRequest, SipResponse } from "../sip/message";
import { digestAnswer, pickChallenge } from "../sip/digest";
import type { Credential } from "../credentials";
import type { Call, Leg } from "./calls";
import { shiftCseq } from "./headers";
import { firstContactUri } from "./route-invite";

/**
 * A BYE on behalf of `by` towards `to`, within the call's dialog (RFC 3261
 * §12.2.1.1): to `to`'s remote target through the route set towards it — so a PBX
 * or SBC that record-routes takes it — with `by`'s next CSeq (which it then uses up).
 */
export function byeFor(call: Call, by: Leg, to: Leg, via: string, reason: string): SipRequest {
  const { uri, routes } = routed(to.contact!, to.routes ?? []);
  by.cseq += 1;
  return {
    kind: "request",
    method: "BYE",
    uri,
    headers: [
      { name: "Via", value: via },
      ...routes.map((value) => ({ name: "Route", value })),
      { name: "Max-Forwards", value: "70" },
      { name: "From", value: by.party },
      { name: "To", value: to.party },
      { name: "Call-ID", value: call.callId },
      { name: "CSeq", value: `${by.cseq} BYE` },
      { name: "Reason", value: reason },
    ],
    body: "",
  };
}

/**
 * The Request-URI and Route headers for a request to `target` through `routes`
 * (RFC 3261 §12.2.1.1): loose routers (`;lr`) keep the target as Request-URI;
 * a strict router becomes the Request-URI and the target goes last in Route.
 */
export function routed(target: string, routes: string[]): { uri: string; routes: string[] } {
  const first = routes[0] && sip.routeSet([routes[0]])[0];
  if (!first || /;\s*lr\b/i.test(first.text)) return { uri: target, routes };
  return { uri: first.uri, routes: [...routes.slice(1), `<${target}>`] };
}

/**
 * The route sets of a dialog the proxy record-routed, from the Record-Route of its
 * 2xx (top entry = last proxy to add itself, towards the callee): towards the
 * callee, the entries above ours, nearest first; towards the caller, those below.
 */
export function routeSets(
  recordRoute: string[],
  isOwn: (host: string, port: number | undefined) => boolean,
): { caller: string[]; callee: string[] } {
  const entries = sip.routeSet(recordRoute);
  const i = entries.findIndex((e) => isOwn(e.host, e.port));
  if (i < 0) return { caller: [], callee: entries.map((e) => e.text).reverse() };
  return {
    callee: entries
      .slice(0, i)
      .map((e) => e.text)
      .reverse(),
    caller: entries.slice(i + 1).map((e) => e.text),
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
  // A PBX may offer several (one algorithm each, RFC 8760): the first we can answer.
  const challenge = pickChallenge(sip.headers(res, res.status === 401 ? "WWW-Authenticate" : "Proxy-Authenticate"));
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
