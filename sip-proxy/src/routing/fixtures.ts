/**
 * SIP messages recorded from real peers, for the routing unit tests: an INVITE
 * from sip.js 0.21 (a browser) and one from sipp's built-in `uac` scenario (the
 * PBX side calling in). `invite(from, …)` swaps the numbers in.
 */
import { parseSip, type SipRequest } from "../sip/message";

export const SIPJS_INVITE = [
  "INVITE sip:2002@conversas.invalid SIP/2.0",
  "Via: SIP/2.0/WS 2gdamqf78ia8.invalid;branch=z9hG4bK6002655",
  "To: <sip:2002@conversas.invalid>",
  "From: <sip:2001@conversas.invalid>;tag=1jril0gi91",
  "CSeq: 1 INVITE",
  "Call-ID: apa1n675hp0rf743snvf",
  "Max-Forwards: 70",
  "Contact: <sip:j9s4slhn@2gdamqf78ia8.invalid;transport=ws;ob>",
  "Allow: ACK,CANCEL,INVITE,MESSAGE,BYE,OPTIONS,INFO,NOTIFY,REFER",
  "Supported: outbound",
  "User-Agent: SIP.js/0.21.1",
  "Content-Type: application/sdp",
  "Content-Length: 0",
  "",
  "",
].join("\r\n");

export const SIPP_INVITE = [
  "INVITE sip:2001@127.0.0.1:5070 SIP/2.0",
  "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4711-1-0",
  "From: sipp <sip:sipp@127.0.0.1:5061>;tag=4711SIPpTag001",
  "To: 2001 <sip:2001@127.0.0.1:5070>",
  "Call-ID: 1-4711@127.0.0.1",
  "CSeq: 1 INVITE",
  "Contact: sip:sipp@127.0.0.1:5061",
  "Max-Forwards: 70",
  "Subject: Performance Test",
  "Content-Length: 0",
  "",
  "",
].join("\r\n");

/** A recorded INVITE with its dialled number (Request-URI and To) and, for sip.js, its From extension replaced. */
export function invite(recorded: string, dialled: string, fromExt?: string): SipRequest {
  let text = recorded === SIPJS_INVITE ? recorded.replace(/2002@/g, `${dialled}@`) : recorded.replace(/2001@/g, `${dialled}@`);
  if (fromExt) text = text.replace("<sip:2001@conversas.invalid>;tag", `<sip:${fromExt}@conversas.invalid>;tag`);
  const r = parseSip(text);
  if (!r.ok || r.message.kind !== "request") throw new Error(`bad fixture: ${r.ok ? "not a request" : r.reason}`);
  return r.message;
}

/** `message` with these headers added after its own (a test's peer saying more than the recording did). */
export function withHeaders<M extends { headers: { name: string; value: string }[] }>(message: M, added: Record<string, string>): M {
  message.headers.push(...Object.entries(added).map(([name, value]) => ({ name, value })));
  return message;
}
