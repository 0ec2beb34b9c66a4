/**
 * Answers a PBX's digest challenge (RFC 2617 / RFC 3261 §22) with an extension's
 * secret from the proxy's configuration, so the browser never holds PBX
 * credentials. MD5 with qop `auth` or no qop, which is what PBXs offer; the
 * challenge is parsed with sip.js's grammar.
 */
import { createHash } from "node:crypto";
import { Grammar } from "sip.js";
import { randomToken } from "./message";

export type Challenge = { realm: string; nonce: string; opaque?: string; algorithm?: string; qop?: string[]; stale?: boolean };

export function parseChallenge(value: string): Challenge | null {
  const c = Grammar.parse(value, "challenge");
  if (c === -1 || !c || typeof c.realm !== "string" || typeof c.nonce !== "string") return null;
  return c as Challenge;
}

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/** The Authorization / Proxy-Authorization value, or null if the challenge asks for something we do not do. */
export function digestAnswer(
  challenge: Challenge,
  cred: { username: string; password: string },
  method: string,
  uri: string,
  cnonce = randomToken(16),
): string | null {
  if (challenge.algorithm && challenge.algorithm.toUpperCase() !== "MD5") return null;
  const qop = challenge.qop?.map((q) => q.toLowerCase());
  if (qop && qop.length && !qop.includes("auth")) return null;
  const ha1 = md5(`${cred.username}:${challenge.realm}:${cred.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const nc = "00000001";
  const parts = [`Digest username="${cred.username}"`, `realm="${challenge.realm}"`, `nonce="${challenge.nonce}"`, `uri="${uri}"`];
  if (qop?.includes("auth")) {
    parts.push(`response="${md5(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`, "qop=auth", `nc=${nc}`, `cnonce="${cnonce}"`);
  } else {
    parts.push(`response="${md5(`${ha1}:${challenge.nonce}:${ha2}`)}"`);
  }
  parts.push("algorithm=MD5");
  if (challenge.opaque) parts.push(`opaque="${challenge.opaque}"`);
  return parts.join(", ");
}
