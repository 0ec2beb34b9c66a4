import { describe, expect, it } from "vitest";
import { expiredPrefix, nextDue, retentionCutoff } from "./retention";

describe("retention rules (issue 18.6)", () => {
  it("the cutoff is retentionDays before now", () => {
    expect(retentionCutoff(10_000, 2, 1000)).toBe(8000);
  });

  it("only a prefix of the log expires: a young message stops it, even if older ones follow", () => {
    const rows = [{ createdAt: 1 }, { createdAt: 2 }, { createdAt: 9 }, { createdAt: 3 }];
    expect(expiredPrefix(rows, 5)).toBe(2);
    expect(expiredPrefix(rows, 0)).toBe(0);
    expect(expiredPrefix(rows, 100)).toBe(4);
    expect(expiredPrefix([], 100)).toBe(0);
  });

  it("the next alarm is when the oldest message left turns old enough; none without a retention or a message", () => {
    expect(nextDue(1000, 3, 10)).toBe(1030);
    expect(nextDue(null, 3, 10)).toBeNull();
    expect(nextDue(1000, null, 10)).toBeNull();
  });
});
