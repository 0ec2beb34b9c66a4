import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { EmbedCallAction } from "./embed";

const ok = (m: unknown) => v.safeParse(EmbedCallAction, m).success;

describe("the embedding page's call actions (R26, issue 12.2)", () => {
  it("accepts dial with a number and answer / decline / hangup with a call id", () => {
    expect(ok({ type: "conversas.call.action", action: "dial", number: "+551130000000" })).toBe(true);
    for (const action of ["answer", "decline", "hangup"])
      expect(ok({ type: "conversas.call.action", action, callId: "abc@host" })).toBe(true);
  });

  it("issue 12.2: refuses anything else — another type, an unknown action, a number with letters, a missing or huge call id", () => {
    expect(ok({ type: "conversas.call", action: "dial", number: "2002" })).toBe(false);
    expect(ok({ type: "conversas.call.action", action: "transfer", callId: "x" })).toBe(false);
    expect(ok({ type: "conversas.call.action", action: "dial", number: "2002; DROP" })).toBe(false);
    expect(ok({ type: "conversas.call.action", action: "dial", number: "" })).toBe(false);
    expect(ok({ type: "conversas.call.action", action: "hangup" })).toBe(false);
    expect(ok({ type: "conversas.call.action", action: "hangup", callId: "x".repeat(257) })).toBe(false);
    expect(ok("conversas.call.action")).toBe(false);
    expect(ok(null)).toBe(false);
  });
});
