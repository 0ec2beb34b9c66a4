/** Rate limits and the PBX-refusal back-off (issue 16.5), with the clock in the test's hand. */
import { describe, expect, it } from "vitest";
import { AuthGuard, RateLimiter } from "./limits";

describe("rate limits", () => {
  it("issue 16.5: each kind of request has its own budget per user, refilled over the minute", () => {
    const rl = new RateLimiter({ register: 3, options: 60, "in-dialog": 120 });
    expect([0, 1, 2].map(() => rl.take("demo/ana", "register", 0))).toEqual([null, null, null]);
    expect(rl.take("demo/ana", "register", 0)).toBe(20);
    expect(rl.take("demo/bruno", "register", 0)).toBe(null);
    expect(rl.take("demo/ana", "options", 0)).toBe(null);
    expect(rl.take("demo/ana", "register", 20_000)).toBe(null);
    expect(rl.take("demo/ana", "register", 20_000)).toBe(20);
    rl.sweep(200_000);
    expect(rl.take("demo/ana", "register", 200_000)).toBe(null);
  });

  it("issue 16.5: repeated PBX refusals hold an extension back for a while; a success clears the count", () => {
    const g = new AuthGuard({ failures: 3, windowMs: 60_000, blockMs: 300_000 });
    g.failed("demo/2001", 0);
    g.failed("demo/2001", 1000);
    expect(g.blocked("demo/2001", 1000)).toBe(null);
    g.failed("demo/2001", 2000);
    expect(g.blocked("demo/2001", 2000)).toBe(302_000);
    expect(g.blocked("demo/2002", 2000)).toBe(null);
    expect(g.blocked("demo/2001", 302_001)).toBe(null);
    g.failed("demo/2003", 0);
    g.failed("demo/2003", 0);
    g.succeeded("demo/2003");
    g.failed("demo/2003", 0);
    expect(g.blocked("demo/2003", 0)).toBe(null);
    g.failed("demo/2004", 0);
    g.failed("demo/2004", 0);
    g.failed("demo/2004", 70_000);
    expect(g.blocked("demo/2004", 70_000)).toBe(null);
  });
});
