/** JSON responses and error frames in the one shape every edge uses (protocol/errors.ts). */
import { ERROR_STATUS, type ErrorCode, type ErrorFrame } from "../../protocol/errors";
import type { Refusal } from "../../protocol/internal";

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function errorResponse(code: ErrorCode, message: string, field?: string, headers: Record<string, string> = {}): Response {
  return json({ error: message, code, ...(field ? { field } : {}) }, ERROR_STATUS[code], headers);
}

/** A room-to-room refusal answered over HTTP. */
export function refusalResponse(r: Refusal): Response {
  return errorResponse(r.code, r.message, r.field);
}

export function errorFrame(
  code: ErrorCode,
  message: string,
  extra: { field?: string; clientId?: string; retryAfterMs?: number } = {},
): ErrorFrame {
  return { type: "error", code, message, ...extra };
}

/** Reads a request body as text, refusing more than `limit` bytes. */
export async function readBody(req: Request, limit: number): Promise<string | null> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) {
    await discardBody(req);
    return null;
  }
  const text = await req.text();
  return new TextEncoder().encode(text).length > limit ? null : text;
}

/**
 * Reads a whole body as bytes, or null when it passes `max` (declared or sent).
 * An over-long body is still drained, without being kept, up to about twice `max`
 * (then cut): workerd resets a connection answered while its body is unread, and
 * the sender would never see the 413.
 */
export async function readBytes(req: Request, max: number): Promise<Uint8Array | null> {
  const drainCap = Math.min(2 * max + 1024 * 1024, 128 * 1024 * 1024);
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > max) {
    await discardBody(req, drainCap);
    return null;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch {
        // The sender went away before the declared length: the caller sees fewer bytes and refuses them (400).
        break;
      }
      const { done, value } = step;
      if (done) break;
      size += value.byteLength;
      if (size <= max) chunks.push(value);
      else if (size > drainCap) {
        await reader.cancel().catch(() => undefined);
        break;
      }
    }
  }
  if (size > max) return null;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

/**
 * Drains a request body we refuse without reading, up to `limit` bytes, then
 * cancels the rest. workerd resets the connection (ECONNRESET on the client)
 * when a response goes out while the request body is still unread.
 */
export async function discardBody(req: Request, limit = 256 * 1024): Promise<void> {
  if (!req.body || req.bodyUsed) return;
  const reader = req.body.getReader();
  try {
    for (let seen = 0; seen <= limit;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
    }
    await reader.cancel();
  } catch {
    /* the client went away: nothing left to drain */
  }
}

/** A refusal that first drains the request body (see `discardBody`). */
export async function refuse(req: Request, code: ErrorCode, message: string, field?: string): Promise<Response> {
  await discardBody(req);
  return errorResponse(code, message, field);
}
