/**
 * Security headers on everything the edge answers (issue 12.6). The app's pages
 * get a strict Content-Security-Policy (no inline script; connections only to
 * this origin and the configured SIP address; framed only by the configured
 * embedding origins, by nobody otherwise), and every answer gets nosniff, no
 * referrer and a cross-origin opener policy. Nothing answers with a wildcard
 * CORS header: the app and its API share one origin.
 */
import type { RoomConfig } from "../runtime/config";

/** The Content-Security-Policy of the app's pages. */
export function contentSecurityPolicy(config: RoomConfig): string {
  const sip = config.sipUrl ? ` ${new URL(config.sipUrl).origin.replace(/^http/, "ws")}` : "";
  const ancestors = config.embedOrigins.length ? config.embedOrigins.join(" ") : "'none'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Preact and the emoji picker set styles from script; no inline <script> is ever allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src 'self'${sip}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
  ].join("; ");
}

/** Adds the headers every answer carries; pages (HTML) also get the CSP. A WebSocket upgrade passes through untouched. */
export function withSecurityHeaders(res: Response, config: RoomConfig): Response {
  if (res.status === 101 || res.webSocket) return res;
  const out = new Response(res.body, res);
  const h = out.headers;
  h.set("x-content-type-options", "nosniff");
  h.set("referrer-policy", "no-referrer");
  // The hand-off windows (R26) the app opens keep their link to it only when embedding is configured.
  h.set("cross-origin-opener-policy", config.embedOrigins.length ? "same-origin-allow-popups" : "same-origin");
  h.set("cross-origin-resource-policy", "same-origin");
  h.delete("access-control-allow-origin");
  if ((h.get("content-type") ?? "").startsWith("text/html")) {
    h.set("content-security-policy", contentSecurityPolicy(config));
    // Browsers that ignore frame-ancestors still honour this.
    if (!config.embedOrigins.length) h.set("x-frame-options", "DENY");
  }
  return out;
}
