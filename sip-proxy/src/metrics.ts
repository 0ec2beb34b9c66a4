/**
 * What the proxy is doing, in Prometheus' text format (`GET /metrics`): calls in
 * progress and finished by outcome, registrations, refusals by reason, and how
 * long calls took from INVITE to 200 OK. Counters only go up; gauges are read
 * from the proxy's state when scraped, so they cannot drift.
 */
const SETUP_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];

export type Gauges = { callsActive: number; registrations: number; draining: boolean };

export class Metrics {
  private readonly callsTotal = new Map<string, number>();
  private readonly refusals = new Map<string, number>();
  private readonly setup = { buckets: SETUP_BUCKETS.map(() => 0), count: 0, sum: 0 };

  callEnded(outcome: string): void {
    this.callsTotal.set(outcome, (this.callsTotal.get(outcome) ?? 0) + 1);
  }

  /** A request the proxy refused itself; `reason` is its reason phrase, reduced to a stable label. */
  refused(status: number, reason: string): void {
    const label = `${status} ${slug(reason)}`;
    this.refusals.set(label, (this.refusals.get(label) ?? 0) + 1);
  }

  answered(seconds: number): void {
    this.setup.count++;
    this.setup.sum += seconds;
    SETUP_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.setup.buckets[i]!++;
    });
  }

  render(g: Gauges): string {
    const out: string[] = [];
    const metric = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    metric("sip_proxy_calls_active", "gauge", "Calls in progress (a call whose BYE is unanswered still counts).");
    out.push(`sip_proxy_calls_active ${g.callsActive}`);
    metric("sip_proxy_calls_total", "counter", "Finished calls by outcome (the call record's end reason).");
    for (const [outcome, n] of this.callsTotal) out.push(`sip_proxy_calls_total{outcome="${outcome}"} ${n}`);
    metric("sip_proxy_registrations", "gauge", "Extensions registered through the proxy.");
    out.push(`sip_proxy_registrations ${g.registrations}`);
    metric("sip_proxy_refusals_total", "counter", "Requests the proxy refused itself, by status and reason.");
    for (const [label, n] of this.refusals) {
      const [status, reason] = label.split(" ");
      out.push(`sip_proxy_refusals_total{status="${status}",reason="${reason}"} ${n}`);
    }
    metric("sip_proxy_invite_to_200_seconds", "histogram", "From a new call's INVITE to its 200 OK (ringing included).");
    SETUP_BUCKETS.forEach((le, i) => out.push(`sip_proxy_invite_to_200_seconds_bucket{le="${le}"} ${this.setup.buckets[i]}`));
    out.push(`sip_proxy_invite_to_200_seconds_bucket{le="+Inf"} ${this.setup.count}`);
    out.push(`sip_proxy_invite_to_200_seconds_sum ${this.setup.sum}`, `sip_proxy_invite_to_200_seconds_count ${this.setup.count}`);
    metric("sip_proxy_draining", "gauge", "1 while the proxy drains before stopping.");
    out.push(`sip_proxy_draining ${g.draining ? 1 : 0}`);
    return `${out.join("\n")}\n`;
  }
}

/** "Forbidden (number not allowed)" → "number-not-allowed"; "Busy Here" → "busy-here". */
export function slug(reason: string): string {
  const inner = /\(([^)]*)\)/.exec(reason)?.[1] ?? reason;
  return (
    inner
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "unknown"
  );
}
