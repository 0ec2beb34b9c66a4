import { describe, expect, it } from "vitest";
import { keyLive, newKey, parseKey } from "./keys";

describe("company keys (issue 18.2)", () => {
  it("18.2: a new key names its company and id, and reads back; anything else is no key", () => {
    const k = newKey("acme-2");
    expect(parseKey(k.key)).toEqual({ tenant: "acme-2", id: k.id, secret: k.secret });
    expect(newKey("acme").secret).not.toBe(newKey("acme").secret);
    for (const bad of [
      "",
      "cvk.acme",
      `cvk.ACME.${k.id}.${k.secret}`,
      `cvk.acme.${k.id}.${k.secret}x`,
      `xyz.acme.${k.id}.${k.secret}`,
      `cvk.acme.short.${k.secret}`,
    ])
      expect(parseKey(bad), bad).toBeNull();
  });

  it("18.2: a key without an end lives; a rotated one until its end, not after", () => {
    expect(keyLive({ expires_at: null }, 5)).toBe(true);
    expect(keyLive({ expires_at: 10 }, 9)).toBe(true);
    expect(keyLive({ expires_at: 10 }, 10)).toBe(false);
    expect(keyLive(null, 0)).toBe(false);
  });
});
