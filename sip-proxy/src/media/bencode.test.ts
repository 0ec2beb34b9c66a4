/** Bencode as rtpengine's ng protocol uses it: round trips, canonical key order, and malformed input refused. */
import { describe, expect, it } from "vitest";
import { decode, encode, type Bencoded } from "./bencode";

describe("bencode", () => {
  it("R29: encodes the ng protocol's values with dictionary keys sorted", () => {
    expect(encode({ "call-id": "a", command: "ping", flags: ["trust-address"], n: -3 }).toString()).toBe(
      "d7:call-id1:a7:command4:ping5:flagsl13:trust-addresse1:ni-3ee",
    );
    expect(encode("ção").toString("latin1")).toBe(`5:${Buffer.from("ção").toString("latin1")}`);
  });

  it("R29: decodes what rtpengine answers", () => {
    expect(decode(Buffer.from("d6:result4:ponge"))).toEqual({ result: "pong" });
    expect(decode(Buffer.from("d3:sdp9:v=0\r\nx=1\r6:result2:oke"))).toEqual({ sdp: "v=0\r\nx=1\r", result: "ok" });
  });

  it("R29: random values survive a round trip", () => {
    let seed = 9;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const gen = (depth: number): Bencoded => {
      const r = rand();
      if (depth > 3 || r < 0.3) return Math.floor(rand() * 2e6) - 1e6;
      if (r < 0.6)
        return Array.from({ length: Math.floor(rand() * 20) }, () => String.fromCharCode(32 + Math.floor(rand() * 300))).join("");
      if (r < 0.8) return Array.from({ length: Math.floor(rand() * 4) }, () => gen(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(rand() * 4) }, (_, k) => [`k${k}${Math.floor(rand() * 9)}`, gen(depth + 1)]),
      );
    };
    for (let n = 0; n < 300; n++) {
      const v = gen(0);
      expect(decode(encode(v))).toEqual(v);
    }
  });

  it("R29: malformed input throws instead of yielding a value", () => {
    for (const bad of ["", "i12", "i01e", "i-0e", "5:abc", "l", "d1:ae", "di1ei2ee", "x", "4:abcdX", "01:a"]) {
      expect(() => decode(Buffer.from(bad)), bad).toThrow(SyntaxError);
    }
  });
});
