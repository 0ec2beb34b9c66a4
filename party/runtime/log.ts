/**
 * Logs as one JSON object per line (read them with `wrangler tail --format json`
 * or any log pipeline): a level, an event name and plain fields — ids, tenant,
 * room, durations — never message text, passwords or tokens.
 *
 * Every request through the edge gets a request id (`x-request-id` on the
 * answer) and one `request` line when it is answered: method, path (sign-in
 * link tokens cut out, no query string), status, duration, and the tenant, room
 * and user id the edge learnt on the way (a `Trace`).
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export function log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, event, at: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** What the edge learns about a request while answering it, for its log line. */
export type Trace = { requestId: string; tenant?: string; room?: string; userId?: string };

export function newTrace(req: Request): Trace {
  const given = req.headers.get("cf-ray");
  return { requestId: given && /^[A-Za-z0-9-]{1,64}$/.test(given) ? given : crypto.randomUUID() };
}

/** A path as logs may show it: a sign-in link's token is a credential, so it never reaches a log. */
export function loggedPath(path: string): string {
  return path.replace(/^\/l\/([^/]+)\/[^/]+/, "/l/$1/…").slice(0, 300);
}

/** The one line per answered request. */
export function logRequest(trace: Trace, req: Request, status: number, startedAt: number): void {
  const level: LogLevel = status >= 500 ? "error" : "info";
  log(level, "request", {
    requestId: trace.requestId,
    method: req.method,
    path: loggedPath(new URL(req.url).pathname),
    status,
    durationMs: Date.now() - startedAt,
    ...(trace.tenant ? { tenant: trace.tenant } : {}),
    ...(trace.room ? { room: trace.room } : {}),
    ...(trace.userId ? { userId: trace.userId } : {}),
  });
}
