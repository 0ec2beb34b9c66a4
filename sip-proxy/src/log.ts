/**
 * The proxy's log: one JSON object a line on stderr (`time`, `level`, `msg`, and
 * the fields that say which call or socket: `callId`, `conn`, …), so a log
 * pipeline can index it without parsing prose. Lines about what peers send
 * wrong (malformed SIP, strays) go through a throttle: a flood of garbage must
 * not flood the disk too.
 */
export type Fields = Record<string, unknown> & { level?: "info" | "warn" | "error" };
export type Log = (msg: string, fields?: Fields) => void;

export function jsonLog(write: (line: string) => void = (l) => void process.stderr.write(l)): Log {
  return (msg, fields = {}) => {
    const { level = "info", ...rest } = fields;
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...rest })}\n`);
  };
}

/** At most `perMinute` lines a minute per key; the next minute's first line says how many were left out. */
export class LogThrottle {
  private windows = new Map<string, { since: number; count: number; dropped: number }>();

  constructor(
    private readonly log: Log,
    private readonly perMinute = 20,
  ) {}

  line(key: string, msg: string, fields: Fields = {}, now = Date.now()): void {
    let w = this.windows.get(key);
    if (!w || w.since <= now - 60_000) {
      if (w?.dropped) this.log(`${w.dropped} more like this left out`, { level: "warn", about: key });
      w = { since: now, count: 0, dropped: 0 };
      this.windows.set(key, w);
    }
    if (w.count++ < this.perMinute) this.log(msg, fields);
    else w.dropped++;
  }
}
