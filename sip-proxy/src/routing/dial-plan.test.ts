/** The dial plan (issue 16.1): Brazilian numbering classified, and classes of service compared, without a PBX. */
import { describe, expect, it } from "vitest";
import { allows, classify, DEFAULT_EXTENSION_PATTERN, type CallClass } from "./dial-plan";

const plan = { extension: DEFAULT_EXTENSION_PATTERN, areaCode: "11" };
const cls = (n: string) => classify(n, plan)?.class ?? "invalid";

describe("dial plan", () => {
  it("issue 16.1: extensions, emergency numbers and short feature codes are internal", () => {
    for (const n of ["2001", "300", "8999", "190", "192", "193", "100", "180", "*97", "#8", "*8"]) expect(cls(n), n).toBe("internal");
  });

  it("issue 16.1: local fixed and mobile numbers, toll-free 0800 and operators' 10XXX lines are local", () => {
    for (const n of ["32104567", "987654321", "08001234567", "0800123456", "10315"]) expect(cls(n), n).toBe("local");
  });

  it("issue 16.1: 0 + operadora + DDD + número, DDD + número and +55 are national; the company's own DDD is local", () => {
    for (const n of [
      "0152133334444",
      "01521987654321",
      "2133334444",
      "21987654321",
      "+552133334444",
      "+5521987654321",
      "03001234567",
      "102",
    ])
      expect(cls(n), n).toBe("national");
    for (const n of ["0151133334444", "11987654321", "+5511987654321"]) expect(cls(n), n).toBe("local");
  });

  it("issue 16.1: 0900 and 0500 (premium, donation) are never below international, nor are 00…, +<other> or forwarding codes", () => {
    for (const n of ["09001234567", "05001234567", "0021441632960960", "+441632960960", "+12025550123", "*72987654321", "*21*0044123#"])
      expect(cls(n), n).toBe("international");
  });

  it("issue 16.1: what is not a number we know is refused as incomplete", () => {
    for (const n of ["1", "12345678901234567890", "0800", "09001234", "+55", "+5521123", "0", "123456", "01521"])
      expect(cls(n), n).toBe("invalid");
  });

  it("issue 16.1: a class allows its own numbers and every lesser class, never a greater one", () => {
    const classes: CallClass[] = ["internal", "local", "national", "international"];
    for (const [i, user] of classes.entries())
      for (const [j, needed] of classes.entries()) expect(allows(user, needed), `${user} → ${needed}`).toBe(i >= j);
  });

  it("issue 16.1: a deployment's own extension pattern takes precedence (emergency numbers still first)", () => {
    const own = { extension: /^1[0-9]{2}$/, areaCode: null };
    expect(classify("102", own)).toEqual({ kind: "extension", class: "internal" });
    expect(classify("190", own)).toEqual({ kind: "emergency", class: "internal" });
    expect(classify("1133334444", own)?.class).toBe("national");
  });
});
