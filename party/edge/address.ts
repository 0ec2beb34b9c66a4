/** The client's address as the edge sees it (Cloudflare's header; a proxy's in development): for guards, logs and the audit trail. */
export function clientAddress(req: Request): string {
  return (req.headers.get("cf-connecting-ip") ?? req.headers.get("x-real-ip") ?? "desconhecido").slice(0, 64);
}
