/**
 * Answers a PBX's digest challenge (RFC 3261 §22, RFC 7616, and RFC 8760 for SIP)
 * with an extension's credentials from the proxy's configuration, so the browser
 * never holds PBX credentials. A PBX may offer several challenges, one header each,
 * in its order of preference (RFC 8760 §2.4): the first one we can answer wins.
 * MD5, SHA-256 and SHA-512-256, each also as `-sess`; qop `auth` or none. The
 * challenges are parsed with sip.js's grammar.
 */
import { createHash } from "node:crypto";
import { Grammar } from "sip.js";
import { randomToken } from "./message";

export type Challenge = { realm: string; nonce: string; opaque?: string; algorithm?: string; qop?: string[]; stale?: boolean };

const HASHES: Record<string, string> = { MD5: "md5", "SHA-256": "sha256", "SHA-512-256": "sha512-256" };

export function parseChallenge(value: string): Challenge | null {
  const c = Grammar.parse(value, "challenge");
  if (c === -1 || !c || typeof c.realm !== "string" || typeof c.nonce !== "string") return null;
  return c as Challenge;
}

/** The first challenge among the headers (in order) that we can answer, or null. */
export function pickChallenge(values: string[]): Challenge | null {
  for (const value of values) {
    const c = parseChallenge(value);
    if (c && answerable(c)) return c;
  }
  return null;
}

function answerable(c: Challenge): boolean {
  const algorithm = (c.algorithm ?? "MD5").toUpperCase().replace(/-SESS$/, "");
  const qop = c.qop?.map((q) => q.toLowerCase());
  return algorithm in HASHES && (!qop || !qop.length || qop.includes("auth"));
}

/** The Authorization / Proxy-Authorization value, or null if the challenge asks for something we do not do. */
export function digestAnswer(
  challenge: Challenge,
  cred: { username: string; password: string },
  method: string,
  uri: string,
  cnonce = randomToken(16),
): string | null {
  if (!answerable(challenge)) return null;
  const named = challenge.algorithm ?? "MD5";
  const upper = named.toUpperCase();
  const sess = upper.endsWith("-SESS");
  const hashName = HASHES[upper.replace(/-SESS$/, "")]!;
  const h = (s: string) => createHash(hashName).update(s).digest("hex");
  const qop = challenge.qop?.map((q) => q.toLowerCase());
  const nc = "00000001";
  let ha1 = h(`${cred.username}:${challenge.realm}:${cred.password}`);
  if (sess) ha1 = h(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = h(`${method}:${uri}`);
  const parts = [`Digest username="${cred.username}"`, `realm="${challenge.realm}"`, `nonce="${challenge.nonce}"`, `uri="${uri}"`];
  const withQop = !!qop?.includes("auth");
  parts.push(`response="${withQop ? h(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`) : h(`${ha1}:${challenge.nonce}:${ha2}`)}"`);
  if (withQop) parts.push("qop=auth", `nc=${nc}`, `cnonce="${cnonce}"`);
  else if (sess) parts.push(`cnonce="${cnonce}"`);
  parts.push(`algorithm=${named}`);
  if (challenge.opaque) parts.push(`opaque="${challenge.opaque}"`);
  return parts.join(", ");
}
