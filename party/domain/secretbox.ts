/**
 * Secrets kept at rest (issue 18.1: an identity provider's client secret),
 * sealed with AES-GCM under a key derived by HKDF-SHA256 from the deployment's
 * CONVERSAS_SESSION_SECRET, per purpose and company (the HKDF `info`), with the
 * company as additional data: a sealed value copied to another company does not
 * open. WebCrypto only. Changing CONVERSAS_SESSION_SECRET means entering the
 * secrets again (README "Administração e operação").
 */
import { b64url, fromB64url } from "./crypto";

const enc = new TextEncoder();
const SALT = enc.encode("conversas/secretbox/v1");

async function keyFor(master: string, purpose: string, tenant: string): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey("raw", enc.encode(master), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: SALT, info: enc.encode(`${purpose}|${tenant}`) },
    ikm,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** `v1.<iv>.<ciphertext>` (base64url). */
export async function seal(master: string, purpose: string, tenant: string, plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await keyFor(master, purpose, tenant);
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc.encode(tenant) }, key, enc.encode(plain));
  return `v1.${b64url(iv)}.${b64url(new Uint8Array(sealed))}`;
}

/** The plain text, or null when the value was not sealed for this purpose and company (or is damaged). */
export async function open(master: string, purpose: string, tenant: string, sealed: string): Promise<string | null> {
  const [version, ivText, dataText] = sealed.split(".");
  const iv = fromB64url(ivText ?? "");
  const data = fromB64url(dataText ?? "");
  if (version !== "v1" || !iv || iv.length !== 12 || !data) return null;
  try {
    const key = await keyFor(master, purpose, tenant);
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: enc.encode(tenant) }, key, data);
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}
