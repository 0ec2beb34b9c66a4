/** The JSON log and its throttle (issue 16, operations). */
import { describe, expect, it } from "vitest";
import { jsonLog, LogThrottle } from "./log";

describe("log", () => {
  it("issue 16 ops: one JSON object a line, with the call id as a field", () => {
    const lines: string[] = [];
    jsonLog((l) => lines.push(l))("call record", { callId: "c1", level: "info" });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith("\n")).toBe(true);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "info", msg: "call record", callId: "c1" });
  });

  it("issue 16 ops: malformed-message lines are capped a minute per source, then counted", () => {
    const got: string[] = [];
    const t = new LogThrottle((msg) => got.push(msg), 2);
    for (let i = 0; i < 5; i++) t.line("ws:c1", `bad ${i}`, {}, 1000);
    t.line("ws:c2", "other", {}, 1000);
    t.line("ws:c1", "later", {}, 62_000);
    expect(got).toEqual(["bad 0", "bad 1", "other", "3 more like this left out", "later"]);
  });
});
