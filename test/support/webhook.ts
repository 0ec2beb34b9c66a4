/**
 * What the contact-center platform does with a share (R30): sign
 * `timestamp + "." + tenant + "." + body` with the company's webhook secret
 * (HMAC-SHA256 over the raw bytes) and post it. Tests can break any part of it
 * to see it refused.
 */
import { createHmac } from "node:crypto";
import { http, type Http } from "./clients";

export const signShare = (secret: string, ts: number, tenant: string, raw: string | Buffer) =>
  `sha256=${createHmac("sha256", secret).update(`${ts}.${tenant}.`).update(raw).digest("hex")}`;

export type PostShareOptions = {
  tenant?: string;
  /** Unix seconds; now by default. */
  ts?: number;
  /** A signature to send as it is (null: none), instead of signing. */
  signature?: string | null;
  /** Sign these bytes instead of the body sent (a tampered body). */
  signedRaw?: string;
  /** Sign for this company instead of the one posted to (a replay into another company). */
  signedTenant?: string;
};

export function postShare(base: string, secret: string, body: unknown, o: PostShareOptions = {}): Promise<Http> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const ts = o.ts ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { "content-type": "application/json", "x-conversas-timestamp": String(ts) };
  const tenant = o.tenant ?? "acme";
  const signature = o.signature === undefined ? signShare(secret, ts, o.signedTenant ?? tenant, o.signedRaw ?? raw) : o.signature;
  if (signature !== null) headers["x-conversas-signature"] = signature;
  return http(`${base}/api/tenants/${tenant}/share`, { method: "POST", headers, body: raw });
}
