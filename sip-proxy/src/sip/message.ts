/**
 * SIP messages as plain, mutable records: parsed with sip.js's own core parser
 * (`Core.Parser.parseMessage`, RFC 3261 grammar) rather than a home-made one, then
 * copied into an ordered header list the proxy can edit (push a Via, add a
 * Record-Route, rewrite a Contact) and serialise back. The parser is lenient about
 * missing mandatory headers, so `parseSip` checks those itself: a message without
 * them is refused here, before routing could change any state.
 */
import { Core, Grammar, type NameAddrHeader, type URI } from "sip.js";

export type Header = { name: string; value: string };
export type SipRequest = { kind: "request"; method: string; uri: string; headers: Header[]; body: string };
export type SipResponse = { kind: "response"; status: number; reason: string; headers: Header[]; body: string };
export type SipMessage = SipRequest | SipResponse;

export type Via = { transport: string; host: string; port?: number; branch?: string; received?: string; rport?: number | null };

export type ParseResult =
  | { ok: true; message: SipMessage }
  /** `answer` is a 400 to send back when the broken message was a request we could read enough of. */
  | { ok: false; reason: string; answer: SipResponse | null };

const silentFactory = new Core.LoggerFactory();
silentFactory.builtinEnabled = false;
silentFactory.level = Core.Levels.error;

/** Parses one SIP message; never throws. */
export function parseSip(text: string): ParseResult {
  let reason = "unparseable";
  silentFactory.connector = (_level, _category, _label, content) => {
    reason = content;
  };
  let parsed: Core.IncomingRequestMessage | Core.IncomingResponseMessage | undefined;
  try {
    parsed = Core.Parser.parseMessage(text, silentFactory.getLogger("sip-proxy.parser"));
  } catch (e) {
    reason = `parser error: ${(e as Error).message}`;
  } finally {
    silentFactory.connector = undefined;
  }
  if (!parsed) return { ok: false, reason, answer: badRequestFromRaw(text, reason) };
  const headers: Header[] = [];
  for (const [name, list] of Object.entries(parsed.headers)) for (const h of list) headers.push({ name, value: h.raw });
  const message: SipMessage =
    parsed instanceof Core.IncomingRequestMessage
      ? { kind: "request", method: parsed.method, uri: String(parsed.ruri), headers, body: parsed.body ?? "" }
      : { kind: "response", status: parsed.statusCode ?? 0, reason: parsed.reasonPhrase ?? "", headers, body: parsed.body ?? "" };
  const missing = checkMandatory(message);
  if (missing) return { ok: false, reason: missing, answer: message.kind === "request" ? badRequest(message, missing) : null };
  return { ok: true, message };
}

function checkMandatory(m: SipMessage): string | null {
  for (const name of ["Via", "From", "To", "Call-ID", "CSeq"]) if (!header(m, name)) return `missing ${name}`;
  const via = topVia(m);
  if (!via || !via.branch) return "bad top Via";
  const [from, to] = [header(m, "From")!, header(m, "To")!];
  if (!remembered(`na\n${from}`, () => !!nameAddr(from)) || !remembered(`na\n${to}`, () => !!nameAddr(to))) return "bad From/To";
  const cs = cseq(m);
  if (!cs) return "bad CSeq";
  if (m.kind === "request" && cs.method !== m.method) return "CSeq method does not match the request";
  if (m.kind === "request" && !remembered(`uri\n${m.uri}`, () => !!Grammar.URIParse(m.uri))) return "bad Request-URI";
  return null;
}

/** RFC 3261 §21.4.1: a request we cannot parse is answered 400 when we can still address the answer (never for ACK). */
function badRequestFromRaw(text: string, reason: string): SipResponse | null {
  const lines = text.split("\r\n");
  const first = /^([A-Z]+) \S+ SIP\/2\.0$/.exec(lines[0] ?? "");
  if (!first || first[1] === "ACK") return null;
  const keep = new Map<string, string>([
    ["v", "Via"],
    ["via", "Via"],
    ["f", "From"],
    ["from", "From"],
    ["t", "To"],
    ["to", "To"],
    ["i", "Call-ID"],
    ["call-id", "Call-ID"],
    ["cseq", "CSeq"],
  ]);
  const headers: Header[] = [];
  for (const line of lines.slice(1)) {
    if (line === "") break;
    const colon = line.indexOf(":");
    const name = keep.get(line.slice(0, colon).trim().toLowerCase());
    if (colon > 0 && name) headers.push({ name, value: line.slice(colon + 1).trim() });
  }
  for (const name of ["Via", "From", "To", "Call-ID", "CSeq"]) if (!headers.some((h) => h.name === name)) return null;
  return {
    kind: "response",
    status: 400,
    reason: "Bad Request",
    headers: [...headers, { name: "Warning", value: warning(reason) }],
    body: "",
  };
}

function badRequest(req: SipRequest, reason: string): SipResponse | null {
  if (req.method === "ACK") return null;
  const res = makeResponse(req, 400, "Bad Request");
  res.headers.push({ name: "Warning", value: warning(reason) });
  return res;
}

function warning(reason: string): string {
  return `399 sip-proxy "${reason.replace(/["\\\r\n]/g, "'").slice(0, 120)}"`;
}

export function serialise(m: SipMessage): string {
  const start = m.kind === "request" ? `${m.method} ${m.uri} SIP/2.0` : `SIP/2.0 ${m.status} ${m.reason}`;
  const lines = [start];
  for (const h of m.headers) if (h.name.toLowerCase() !== "content-length") lines.push(`${h.name}: ${h.value}`);
  lines.push(`Content-Length: ${Buffer.byteLength(m.body, "utf8")}`);
  return `${lines.join("\r\n")}\r\n\r\n${m.body}`;
}

// ---- headers ------------------------------------------------------------------

export function header(m: SipMessage, name: string): string | undefined {
  const n = name.toLowerCase();
  return m.headers.find((h) => h.name.toLowerCase() === n)?.value;
}

export function headers(m: SipMessage, name: string): string[] {
  const n = name.toLowerCase();
  return m.headers.filter((h) => h.name.toLowerCase() === n).map((h) => h.value);
}

export function removeHeaders(m: SipMessage, name: string): void {
  const n = name.toLowerCase();
  m.headers = m.headers.filter((h) => h.name.toLowerCase() !== n);
}

/** Replaces every header of that name by one, kept at the position of the first. */
export function setHeader(m: SipMessage, name: string, value: string): void {
  const n = name.toLowerCase();
  const at = m.headers.findIndex((h) => h.name.toLowerCase() === n);
  removeHeaders(m, name);
  m.headers.splice(at < 0 ? m.headers.length : at, 0, { name, value });
}

/** Puts a header above every other of its name (Via, Record-Route), or first if there is none. */
export function prependHeader(m: SipMessage, name: string, value: string): void {
  const n = name.toLowerCase();
  const at = m.headers.findIndex((h) => h.name.toLowerCase() === n);
  m.headers.splice(at < 0 ? 0 : at, 0, { name, value });
}

/** Removes the first header of that name and returns its value. */
export function shiftHeader(m: SipMessage, name: string): string | undefined {
  const n = name.toLowerCase();
  const at = m.headers.findIndex((h) => h.name.toLowerCase() === n);
  if (at < 0) return undefined;
  return m.headers.splice(at, 1)[0]!.value;
}

/** Splits a header value on the commas between entries (not those inside quotes or <...>). */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"' && value[i - 1] !== "\\") quoted = !quoted;
    else if (!quoted && c === "<") depth++;
    else if (!quoted && c === ">") depth--;
    else if (!quoted && depth === 0 && c === ",") {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter(Boolean);
}

/** Removes the topmost Via entry, which may share a header line with others (`Via: a, b`). */
export function popVia(m: SipMessage): string | undefined {
  const at = m.headers.findIndex((h) => h.name.toLowerCase() === "via");
  if (at < 0) return undefined;
  const [first, ...rest] = splitList(m.headers[at]!.value);
  if (rest.length) m.headers[at]!.value = rest.join(", ");
  else m.headers.splice(at, 1);
  return first;
}

export function clone<T extends SipMessage>(m: T): T {
  return { ...m, headers: m.headers.map((h) => ({ ...h })) };
}

// ---- typed views ------------------------------------------------------------------

/**
 * The same Via, From and To values come back in every message of a transaction
 * and dialog, and sip.js's grammar costs tens of microseconds a header: remember
 * the few facts we read from them (immutable results only), bounded.
 */
const views = new Map<string, unknown>();
function remembered<T>(key: string, compute: () => T): T {
  if (views.has(key)) return views.get(key) as T;
  if (views.size >= 4096) views.clear();
  const value = compute();
  views.set(key, value);
  return value;
}

export function parseVia(value: string): Via | null {
  const via = remembered(`via\n${value}`, () => readVia(value));
  return via && { ...via };
}

function readVia(value: string): Via | null {
  const v = Grammar.parse(value, "Via");
  if (v === -1 || !v) return null;
  const params = (v.params ?? {}) as Record<string, unknown>;
  return {
    transport: String(v.transport).toUpperCase(),
    host: v.host,
    port: v.port,
    branch: v.branch,
    received: v.received,
    rport: "rport" in params ? (v.rport ?? null) : undefined,
  };
}

export function topVia(m: SipMessage): Via | null {
  const v = header(m, "Via");
  return v ? parseVia(splitList(v)[0] ?? "") : null;
}

export function nameAddr(value: string): NameAddrHeader | null {
  return Grammar.nameAddrHeaderParse(value) ?? null;
}

export function parseUri(value: string): URI | null {
  return Grammar.URIParse(value) ?? null;
}

/** The user part of the URI in From/To, or null. */
export function userOf(m: SipMessage, name: "From" | "To"): string | null {
  const v = header(m, name);
  return v ? remembered(`user\n${v}`, () => nameAddr(v)?.uri.user || null) : null;
}

export function tagOf(m: SipMessage, name: "From" | "To"): string | null {
  const v = header(m, name);
  return v ? remembered(`tag\n${v}`, () => nameAddr(v)?.getParam("tag") || null) : null;
}

export function cseq(m: SipMessage): { seq: number; method: string } | null {
  const match = /^\s*(\d{1,10})\s+([A-Za-z]+)\s*$/.exec(header(m, "CSeq") ?? "");
  return match ? { seq: Number(match[1]), method: match[2]!.toUpperCase() } : null;
}

export function callId(m: SipMessage): string {
  return header(m, "Call-ID") ?? "";
}

/** Splits Route / Record-Route values (one header may carry several, comma-separated) into name-addrs. */
export function routeSet(values: string[]): NameAddrHeader[] {
  const out: NameAddrHeader[] = [];
  for (const value of values) {
    const parsed = Grammar.parse(value, "Record_Route");
    if (!Array.isArray(parsed)) continue;
    for (const p of parsed as Array<{ parsed: NameAddrHeader }>) out.push(p.parsed);
  }
  return out;
}

// ---- building -------------------------------------------------------------------

/** RFC 3261 §8.2.6: a response copies Via, From, To, Call-ID and CSeq; To gets a tag when it has none. */
export function makeResponse(req: SipRequest, status: number, reason: string, toTag?: string): SipResponse {
  const keep = new Set(["via", "from", "to", "call-id", "cseq"]);
  const headers = req.headers.filter((h) => keep.has(h.name.toLowerCase())).map((h) => ({ ...h }));
  const res: SipResponse = { kind: "response", status, reason, headers, body: "" };
  if (status > 100 && !tagOf(req, "To")) setHeader(res, "To", `${header(req, "To")};tag=${toTag ?? randomToken(10)}`);
  return res;
}

/** RFC 3261 §17.1.1.3: the ACK a client transaction sends for a non-2xx final response. */
export function ackFor(req: SipRequest, res: SipResponse): SipRequest {
  const ack: SipRequest = { kind: "request", method: "ACK", uri: req.uri, headers: [], body: "" };
  ack.headers.push({ name: "Via", value: header(req, "Via")! });
  for (const r of headers(req, "Route")) ack.headers.push({ name: "Route", value: r });
  ack.headers.push({ name: "Max-Forwards", value: "70" });
  ack.headers.push({ name: "From", value: header(req, "From")! });
  ack.headers.push({ name: "To", value: header(res, "To")! });
  ack.headers.push({ name: "Call-ID", value: callId(req) });
  ack.headers.push({ name: "CSeq", value: `${cseq(req)!.seq} ACK` });
  return ack;
}

/** RFC 3261 §9.1: a CANCEL for a request we forwarded, on the same branch. */
export function cancelFor(req: SipRequest): SipRequest {
  const c: SipRequest = { kind: "request", method: "CANCEL", uri: req.uri, headers: [], body: "" };
  c.headers.push({ name: "Via", value: header(req, "Via")! });
  for (const r of headers(req, "Route")) c.headers.push({ name: "Route", value: r });
  c.headers.push({ name: "Max-Forwards", value: "70" });
  c.headers.push({ name: "From", value: header(req, "From")! });
  c.headers.push({ name: "To", value: header(req, "To")! });
  c.headers.push({ name: "Call-ID", value: callId(req) });
  c.headers.push({ name: "CSeq", value: `${cseq(req)!.seq} CANCEL` });
  return c;
}

export function randomToken(length = 16): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let s = "";
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

export function newBranch(): string {
  return `z9hG4bK${randomToken(20)}`;
}
