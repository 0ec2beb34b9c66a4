/**
 * Passwords and session tokens with WebCrypto only, so the same code runs in
 * workerd, in Node (tests, sip-proxy) and nowhere needs a native module.
 *
 * Passwords: PBKDF2-SHA256 at 100,000 iterations (workerd's cap) with a 16-byte
 * salt per user; the parameters are kept in the stored string
 * (`pbkdf2-sha256$<iterations>$<salt>$<hash>`) so they can be raised later.
 * Tokens: `<payload>.<mac>` in base64url, HMAC-SHA256 over the payload.
 */

const enc = new TextEncoder();
export const PBKDF2_ITERATIONS = 100_000;

export function b64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromB64url(s: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  const pad = s.length % 4 === 2 ? "==" : s.length % 4 === 3 ? "=" : "";
  try {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + pad);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** Compares two byte strings in time that depends only on their length. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

async function pbkdf2(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", enc.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await pbkdf2(password, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${b64url(salt)}$${b64url(hash)}`;
}

/** A stored hash nobody's password matches: verified against for unknown logins so timing tells nothing. */
export const DUMMY_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, saltS, hashS] = stored.split("$");
  const iterations = Number(iter);
  const salt = fromB64url(saltS ?? "");
  const expected = fromB64url(hashS ?? "");
  if (
    scheme !== "pbkdf2-sha256" ||
    !Number.isInteger(iterations) ||
    iterations < 1 ||
    iterations > PBKDF2_ITERATIONS ||
    !salt ||
    !expected
  ) {
    return false;
  }
  const actual = await pbkdf2(password, salt, iterations);
  return constantTimeEqual(actual, expected);
}

const keyCache = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keyCache.set(secret, key);
  }
  return key;
}

export async function hmacSha256(secret: string, data: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), enc.encode(data)));
}

/** Signs a JSON payload into a compact token. */
export async function signToken(secret: string, payload: object): Promise<string> {
  const body = b64url(enc.encode(JSON.stringify(payload)));
  return `${body}.${b64url(await hmacSha256(secret, body))}`;
}

/** Returns the payload when the MAC is right, else null. Expiry is the caller's rule. */
export async function openToken(secret: string, token: string): Promise<unknown | null> {
  const dot = token.indexOf(".");
  if (dot <= 0 || token.length > 4096) return null;
  const body = token.slice(0, dot);
  const mac = fromB64url(token.slice(dot + 1));
  if (!mac) return null;
  const ok = await crypto.subtle.verify("HMAC", await hmacKey(secret), mac, enc.encode(body));
  if (!ok) return null;
  const raw = fromB64url(body);
  if (!raw) return null;
  try {
    return JSON.parse(new TextDecoder().decode(raw));
  } catch {
    return null;
  }
}
