/** The Prometheus text the proxy serves at /metrics (issue 16, operations). */
import { describe, expect, it } from "vitest";
import { Metrics, slug } from "./metrics";

describe("metrics", () => {
  it("issue 16 ops: calls by outcome, refusals by reason, the INVITE→200 histogram and the gauges", () => {
    const m = new Metrics();
    m.callEnded("caller-hangup");
    m.callEnded("caller-hangup");
    m.refused(403, "Forbidden (number not allowed)");
    m.answered(0.2);
    m.answered(7);
    const text = m.render({ callsActive: 3, registrations: 5, draining: false });
    expect(text).toContain('sip_proxy_calls_total{outcome="caller-hangup"} 2');
    expect(text).toContain('sip_proxy_refusals_total{status="403",reason="number-not-allowed"} 1');
    expect(text).toContain('sip_proxy_invite_to_200_seconds_bucket{le="0.25"} 1');
    expect(text).toContain('sip_proxy_invite_to_200_seconds_bucket{le="10"} 2');
    expect(text).toContain('sip_proxy_invite_to_200_seconds_bucket{le="+Inf"} 2');
    expect(text).toContain("sip_proxy_calls_active 3");
    expect(text).toContain("sip_proxy_registrations 5");
    expect(slug("Busy Here")).toBe("busy-here");
  });
});
