/**
 * Logs as one JSON object per line (read them with `wrangler tail --format json`
 * or any log pipeline): a level, an event name and plain fields — ids, tenant,
 * room, durations — never message text, passwords or tokens.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export function log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, event, at: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
