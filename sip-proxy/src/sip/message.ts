/**
 * SIP messages as plain, mutable records: split into start line, ordered header
 * list and body (`frame`), with what routing reads — Request-URI, top Via, From,
 * To, Contact, Record-Route, Route — parsed by sip.js's own RFC 3261 grammar
 * rather than a home-made one, memoised by value. The proxy edits the list (push a
 * Via, add a Record-Route, rewrite a Contact) and serialises it back. `parseSip`
 * also checks the mandatory headers: a message without them is refused here,
 * before routing could change any state.
 */
import { Grammar, type NameAddrHeader, type URI } from "sip.js";

export type Header = { name: string; value: string };
export type SipRequest = { kind: "request"; method: string; uri: string; headers: Header[]; body: string };
export type SipResponse = { kind: "response"; status: number; reason: string; headers: Header[]; body: string };
export type SipMessage = SipRequest | SipResponse;

export type Via = { transport: string; host: string; port?: number; branch?: string; received?: string; rport?: number | null };

export type ParseResult =
  | { ok: true; message: SipMessage }
  /** `answer` is a 400 to send back when the broken message was a request we could read enough of. */
  | { ok: false; reason: string; answer: SipResponse | null };

/**
 * Parses one SIP message; never throws. The framing (start line, header lines with
 * RFC 3261 §7.3.1 folding, body cut at Content-Length) is split here, because
 * sip.js's `Core.Parser.parseMessage` runs its grammar over every well-known header
 * of every message (~0.1 ms each) and a proxy reads only a few. What routing reads
 * is then checked with sip.js's grammar (memoised by value, see `remembered`);
 * other headers pass through untouched, as RFC 3261 §16.6 lets a proxy do.
 */
export function parseSip(text: string): ParseResult {
  const framed = frame(text);
  if (typeof framed === "string") return { ok: false, reason: framed, answer: badRequestFromRaw(text, framed) };
  const missing = checkMandatory(framed);
  if (missing) return { ok: false, reason: missing, answer: framed.kind === "request" ? badRequest(framed, missing) : null };
  return { ok: true, message: framed };
}

const REQUEST_LINE = /^([A-Za-z0-9.!%*_+`'~-]+) (\S+) SIP\/2\.0$/;
const STATUS_LINE = /^SIP\/2\.0 ([1-6][0-9][0-9]) ([^\r\n]*)$/;
const HEADER_NAME = /^[A-Za-z0-9.!%*_+`'~-]+$/;
/** Headers that may carry several entries on one line and that routing edits entry by entry, as sip.js split them. */
const SPLIT = new Set(["Contact", "Record-Route"]);

/** Splits start line, headers and body; returns why when the framing itself is broken. */
function frame(text: string): SipMessage | string {
  const firstEnd = text.indexOf("\r\n");
  if (firstEnd < 0) return "no CRLF found, not a SIP message";
  const first = text.slice(0, firstEnd);
  const req = REQUEST_LINE.exec(first);
  const res = req ? null : STATUS_LINE.exec(first);
  if (!req && !res) return `error parsing first line of SIP message: "${first.slice(0, 80)}"`;
  // The header section ends at the first empty line; without one the message is cut short.
  const headEnd = text.indexOf("\r\n\r\n", firstEnd);
  if (headEnd < 0) return "malformed message";
  const bodyStart = headEnd + 4;
  const headers: Header[] = [];
  const lines = headEnd > firstEnd ? text.slice(firstEnd + 2, headEnd).split("\r\n") : [];
  let last: Header | undefined;
  for (const line of lines) {
    if (line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) {
      if (!last) return "malformed message";
      last.value = `${last.value} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    const rawName = colon > 0 ? line.slice(0, colon).trim() : "";
    if (!HEADER_NAME.test(rawName)) return `error parsing header '${line.slice(0, 40)}'`;
    last = { name: canonicalName(rawName), value: line.slice(colon + 1).trim() };
    headers.push(last);
  }
  const out: Header[] = [];
  for (const h of headers) {
    if (SPLIT.has(h.name) && h.value.includes(",")) for (const v of splitList(h.value)) out.push({ name: h.name, value: v });
    else out.push(h);
  }
  let body = text.slice(bodyStart);
  const length = out.find((h) => h.name === "Content-Length")?.value;
  if (length !== undefined) {
    if (!/^[0-9]{1,10}$/.test(length)) return "error parsing header 'Content-Length'";
    body = body.substr(0, Number(length));
  }
  return req
    ? { kind: "request", method: req[1]!, uri: req[2]!, headers: out, body }
    : { kind: "response", status: Number(res![1]), reason: res![2]!, headers: out, body };
}

const COMPACT: Record<string, string> = {
  v: "Via",
  f: "From",
  t: "To",
  i: "Call-ID",
  m: "Contact",
  l: "Content-Length",
  c: "Content-Type",
  e: "Content-Encoding",
  k: "Supported",
  s: "Subject",
  r: "Refer-To",
  b: "Referred-By",
  o: "Event",
  u: "Allow-Events",
  x: "Session-Expires",
  "call-id": "Call-ID",
  cseq: "CSeq",
  "www-authenticate": "WWW-Authenticate",
  rack: "RAck",
  rseq: "RSeq",
};
const names = new Map<string, string>();

/** Long, conventionally capitalised header names (as sip.js's `headerize`), so lookups and serialising agree. */
function canonicalName(raw: string): string {
  let name = names.get(raw);
  if (name) return name;
  const lower = raw.toLowerCase();
  name = COMPACT[lower] ?? lower.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
  if (names.size < 1024) names.set(raw, name);
  return name;
}

const CALL_ID = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+(@[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+)?$/;

function checkMandatory(m: SipMessage): string | null {
  for (const name of ["Via", "From", "To", "Call-ID", "CSeq"]) if (!header(m, name)) return `missing ${name}`;
  const via = topVia(m);
  if (!via || !via.branch) return "bad top Via";
  if (!addr(header(m, "From")!) || !addr(header(m, "To")!)) return "bad From/To";
  if (!CALL_ID.test(callId(m))) return "bad Call-ID";
  const cs = cseq(m);
  if (!cs) return "bad CSeq";
  if (m.kind === "request" && cs.method !== m.method) return "CSeq method does not match the request";
  const mf = header(m, "Max-Forwards");
  if (mf !== undefined && !/^[0-9]{1,6}$/.test(mf)) return "bad Max-Forwards";
  for (const h of m.headers) {
    if (h.name === "Contact" && h.value !== "*" && !remembered(`contact\n${h.value}`, () => Grammar.parse(h.value, "Contact") !== -1))
      return "bad Contact";
    if (h.name === "Record-Route" && !routeSet([h.value]).length) return "bad Record-Route";
  }
  if (m.kind === "request" && !uriFacts(m.uri)) return "bad Request-URI";
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
 * The same Via, From, To and Contact values come back in every message of a
 * transaction and dialog (and the Vias the proxy writes come back on every
 * response), while sip.js's grammar costs 10–120 µs a header: remember the few
 * facts read from them, immutable only. Two generations keep it bounded without
 * forgetting everything at once under load.
 */
const LIMIT = 8192;
let views = new Map<string, unknown>();
let older = new Map<string, unknown>();
function remembered<T>(key: string, compute: () => T): T {
  if (views.has(key)) return views.get(key) as T;
  const value = older.has(key) ? (older.get(key) as T) : compute();
  if (views.size >= LIMIT) [older, views] = [views, new Map()];
  views.set(key, value);
  return value;
}

export function parseVia(value: string): Via | null {
  const via = remembered(`via\n${value}`, () => {
    // Every transaction has a new branch: the grammar reads the Via with a fixed one, once per sender.
    const t = templated(value, 0, BRANCH, ";branch=z9hG4bKtemplate");
    if (!t) return readVia(value);
    const v = remembered(`via\n${t.template}`, () => readVia(t.template));
    return v && { ...v, branch: t.token };
  });
  return via && { ...via };
}

const BRANCH = /;\s*branch\s*=\s*([^\s;,]+)/i;
const TAG = /;\s*tag\s*=\s*([^\s;,>]+)/i;
const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;

/**
 * `value` with one parameter's token (from `at` on) replaced by a fixed one. The
 * grammar allows any token there, so the template parses exactly when the value
 * does, and the per-call token is put back afterwards. Null when it is not a
 * plain token (then the value itself goes through the grammar).
 */
function templated(value: string, at: number, param: RegExp, fixed: string): { template: string; token: string } | null {
  const m = param.exec(value.slice(at));
  if (!m || !TOKEN.test(m[1]!)) return null;
  const start = at + m.index;
  return { template: `${value.slice(0, start)}${fixed}${value.slice(start + m[0].length)}`, token: m[1]! };
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

/**
 * The Via value the proxy puts on a request it sends. What it says is known, so it
 * is remembered now: the responses bring it back on top, and reading it from them
 * then costs a lookup instead of a grammar run (a unit test checks it matches).
 */
export function makeVia(transport: string, host: string, port: number | undefined, branch: string, rport: boolean): string {
  const value = `SIP/2.0/${transport} ${host}${port === undefined ? "" : `:${port}`};branch=${branch}${rport ? ";rport" : ""}`;
  const via: Via = { transport, host, port, branch, received: undefined, rport: rport ? null : undefined };
  remembered(`via\n${value}`, () => via);
  return value;
}

export function topVia(m: SipMessage): Via | null {
  const v = header(m, "Via");
  if (!v) return null;
  return parseVia(v.includes(",") ? (splitList(v)[0] ?? "") : v);
}

export function nameAddr(value: string): NameAddrHeader | null {
  return Grammar.nameAddrHeaderParse(value) ?? null;
}

export function parseUri(value: string): URI | null {
  return Grammar.URIParse(value) ?? null;
}

/** What the proxy reads from a name-addr (From, To, Contact, Record-Route), or null when it does not parse. */
export type AddrFacts = { uri: string; user: string | null; host: string; port: number | undefined; tag: string | null };

export function addr(value: string): AddrFacts | null {
  return remembered(`addr\n${value}`, () => {
    // Each dialog has new tags: read the name-addr with a fixed one (only a tag after the "<...>", where it is a header parameter).
    const close = value.lastIndexOf(">");
    const t = close < 0 ? null : templated(value, close, TAG, ";tag=template");
    if (!t) return readAddr(value);
    const facts = remembered(`addr\n${t.template}`, () => readAddr(t.template));
    return facts && { ...facts, tag: t.token };
  });
}

function readAddr(value: string): AddrFacts | null {
  const na = nameAddr(value);
  if (!na) return null;
  return { uri: na.uri.toString(), user: na.uri.user || null, host: na.uri.host, port: na.uri.port, tag: na.getParam("tag") || null };
}

/** The user and host of a URI (Request-URI, aliases), or null when it does not parse. */
export function uriFacts(value: string): { user: string | null; host: string; port: number | undefined } | null {
  return remembered(`uri\n${value}`, () => {
    const u = parseUri(value);
    return u ? { user: u.user || null, host: u.host, port: u.port } : null;
  });
}

/** The user part of the URI in From/To, or null. */
export function userOf(m: SipMessage, name: "From" | "To"): string | null {
  const v = header(m, name);
  return v ? (addr(v)?.user ?? null) : null;
}

export function tagOf(m: SipMessage, name: "From" | "To"): string | null {
  const v = header(m, name);
  return v ? (addr(v)?.tag ?? null) : null;
}

export function cseq(m: SipMessage): { seq: number; method: string } | null {
  const match = /^\s*(\d{1,10})\s+([A-Za-z]+)\s*$/.exec(header(m, "CSeq") ?? "");
  return match ? { seq: Number(match[1]), method: match[2]!.toUpperCase() } : null;
}

export function callId(m: SipMessage): string {
  return header(m, "Call-ID") ?? "";
}

/** Splits Route / Record-Route values (one header may carry several, comma-separated) into the route entries' facts and text. */
export function routeSet(values: string[]): Array<AddrFacts & { text: string }> {
  const out: Array<AddrFacts & { text: string }> = [];
  for (const value of values) {
    const entries = remembered(`routes\n${value}`, () => {
      const parsed = Grammar.parse(value, "Record_Route");
      if (!Array.isArray(parsed)) return [];
      return (parsed as Array<{ parsed: NameAddrHeader }>).map(({ parsed: na }) => ({
        text: na.toString(),
        uri: na.uri.toString(),
        user: na.uri.user || null,
        host: na.uri.host,
        port: na.uri.port,
        tag: na.getParam("tag") || null,
      }));
    });
    out.push(...entries);
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
