/**
 * Company admin keys (issue 18.2), free of any runtime. A key reads
 * `cvk.<company>.<id>.<secret>`: the edge knows from the key alone which
 * company's room to ask, the room keeps only a SHA-256 of the secret (a random
 * 32-byte secret needs no slow hash), and a rotated key keeps working until its
 * grace period ends. The deployment's CONVERSAS_ADMIN_KEY is the platform key:
 * it is no company key and opens every company.
 */
import { TENANT_RE } from "../../protocol/ids";
import { b64url } from "./crypto";

export const KEY_RE = /^cvk\.([a-z0-9][a-z0-9-]{0,39})\.([a-z0-9]{10})\.([A-Za-z0-9_-]{43})$/;

/** A day: how long a rotated key keeps working unless the rotation says otherwise. */
export const DEFAULT_GRACE_MS = 24 * 60 * 60 * 1000;

export type ParsedKey = { tenant: string; id: string; secret: string };

export function parseKey(raw: string): ParsedKey | null {
  const m = KEY_RE.exec(raw);
  if (!m || !TENANT_RE.test(m[1]!)) return null;
  return { tenant: m[1]!, id: m[2]!, secret: m[3]! };
}

export function newKey(tenant: string): ParsedKey & { key: string } {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const id = [...crypto.getRandomValues(new Uint8Array(10))].map((b) => alphabet[b % alphabet.length]).join("");
  const secret = b64url(crypto.getRandomValues(new Uint8Array(32)));
  return { tenant, id, secret, key: `cvk.${tenant}.${id}.${secret}` };
}

/** Whether a stored key still opens its company at `now`. */
export function keyLive(row: { expires_at: number | null } | null, now: number): boolean {
  return !!row && (row.expires_at === null || row.expires_at > now);
}
