/**
 * Rules of the share webhook (R30): which secret signs a tenant's calls, how a
 * signature and its timestamp are checked (HMAC-SHA256 over `timestamp + "." +
 * tenant + "." + body`, constant-time, at most 5 minutes of skew), and the card a
 * share becomes.
 */
import { CARD_LINES, type ShareBody, type ShareCard } from "../../protocol/share";
import { constantTimeEqual } from "./crypto";

export const MAX_SKEW_SECONDS = 5 * 60;
export const SIGNATURE_HEADER = "x-conversas-signature";
export const TIMESTAMP_HEADER = "x-conversas-timestamp";

/** The tenant's own secret (`CONVERSAS_WEBHOOK_SECRET_<TENANT>`, dashes as underscores) or the shared one. */
export function webhookSecretFor(tenant: string, env: Record<string, unknown>): string | null {
  const own = env[`CONVERSAS_WEBHOOK_SECRET_${tenant.toUpperCase().replace(/-/g, "_")}`];
  const shared = env.CONVERSAS_WEBHOOK_SECRET;
  const secret = typeof own === "string" && own ? own : typeof shared === "string" && shared ? shared : null;
  return secret && secret.length >= 16 ? secret : null;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: "missing" | "malformed" | "stale" | "mismatch" };

function hexToBytes(hex: string): Uint8Array | null {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return null;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const enc = new TextEncoder();

/**
 * HMAC-SHA256 over `timestamp + "." + tenant + "." + body`, the body taken as the
 * exact bytes received. The company is signed too (issue 12.8): a request captured
 * for one company cannot be replayed into another that shares the secret.
 */
async function macOf(secret: string, timestamp: string, tenant: string, rawBody: string | Uint8Array): Promise<Uint8Array> {
  const body = typeof rawBody === "string" ? enc.encode(rawBody) : rawBody;
  const head = enc.encode(`${timestamp}.${tenant}.`);
  const data = new Uint8Array(head.length + body.length);
  data.set(head);
  data.set(body, head.length);
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}

export async function signWebhook(secret: string, timestamp: number, tenant: string, rawBody: string | Uint8Array): Promise<string> {
  const mac = await macOf(secret, String(timestamp), tenant, rawBody);
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export async function verifyWebhook(
  secret: string,
  signature: string | null,
  timestamp: string | null,
  tenant: string,
  rawBody: string | Uint8Array,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<SignatureCheck> {
  if (!signature || !timestamp) return { ok: false, reason: "missing" };
  if (!/^\d{1,12}$/.test(timestamp) || !signature.startsWith("sha256=")) return { ok: false, reason: "malformed" };
  const given = hexToBytes(signature.slice(7));
  if (!given) return { ok: false, reason: "malformed" };
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) return { ok: false, reason: "stale" };
  const expected = await macOf(secret, timestamp, tenant, rawBody);
  return constantTimeEqual(given, expected) ? { ok: true } : { ok: false, reason: "mismatch" };
}

/** The card a share shows in the chat: header facts, the note, and the newest lines. */
export function shareCard(body: ShareBody): ShareCard {
  const { attendance } = body;
  return {
    shareId: body.shareId,
    protocol: attendance.protocol,
    channel: attendance.channel,
    customer: attendance.customer,
    startedAt: attendance.startedAt,
    ...(body.note ? { note: body.note } : {}),
    // The card is a glimpse: long lines are cut (the whole text is in the transcript), so a
    // card stays a small message that can be forwarded and paged like any other.
    lastLines: attendance.messages
      .slice(-CARD_LINES)
      .map((l) => (l.text && l.text.length > CARD_LINE_CHARS ? { ...l, text: `${l.text.slice(0, CARD_LINE_CHARS - 1)}…` } : l)),
    lineCount: attendance.messages.length,
  };
}

/** How much of each line the card keeps. */
export const CARD_LINE_CHARS = 300;
