/**
 * Authoritative call records: the proxy sees every dialog, so it — not the
 * browsers — reports each finished call to the per-user rooms of the platform
 * users involved. The body is a valibot schema (the rooms validate the same
 * shape); delivery is a service-authenticated POST (`x-conversas-service`, signed
 * with the session secret the rooms share), retried with capped backoff on 5xx,
 * 408, 429 and network errors, given up (and logged) on any other 4xx, which a
 * retry cannot fix; the rooms store it idempotently by call id, so a retry never
 * duplicates.
 */
import { CallEndReason, CallRecord } from "../../protocol";
import { issueServiceToken, SERVICE_HEADER } from "../../party/domain/session";

// One schema for both ends: the rooms validate the same shape (protocol/calls.ts).
export { CallRecord };
export const EndReason = CallEndReason;
export type EndReason = CallEndReason;

/** The end reason of a call that never got answered, from the final status the caller received. */
export function reasonForFailure(status: number): EndReason {
  if (status === 487) return "cancelled";
  if (status === 486 || status === 600) return "busy";
  if (status === 603) return "rejected";
  if (status === 408 || status === 480) return "no-answer";
  return "failed";
}

export type ReporterOptions = {
  urlTemplate: string;
  secret: string;
  fetch?: typeof fetch;
  log?: (line: string) => void;
  firstDelayMs?: number;
  maxDelayMs?: number;
};

/** Posts each record to every involved user's room, retrying each delivery until it is acknowledged. */
export class CallReporter {
  private pending = new Set<Promise<void>>();
  private stopped = false;
  private readonly fetch: typeof fetch;

  constructor(private readonly o: ReporterOptions) {
    this.fetch = o.fetch ?? fetch;
  }

  report(record: CallRecord): void {
    for (const p of record.parties) {
      const url = this.o.urlTemplate.replace("{tenant}", encodeURIComponent(record.tenant)).replace("{user}", encodeURIComponent(p.userId));
      const job = this.deliver(url, record).finally(() => this.pending.delete(job));
      this.pending.add(job);
    }
  }

  private async deliver(url: string, record: CallRecord): Promise<void> {
    let delay = this.o.firstDelayMs ?? 1000;
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        const res = await this.fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", [SERVICE_HEADER]: await issueServiceToken(this.o.secret) },
          body: JSON.stringify(record),
          signal: AbortSignal.timeout(10_000),
        });
        if (res.ok) return;
        this.o.log?.(`call record ${record.callId} → ${url}: HTTP ${res.status} (attempt ${attempt})`);
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
          this.o.log?.(`call record ${record.callId} → ${url}: refused, not retried`);
          return;
        }
      } catch (e) {
        this.o.log?.(`call record ${record.callId} → ${url}: ${(e as Error).message} (attempt ${attempt})`);
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, this.o.maxDelayMs ?? 60_000);
    }
  }

  /** Waits for deliveries in flight (tests, graceful shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.race(this.pending);
  }

  stop(): void {
    this.stopped = true;
  }
}
