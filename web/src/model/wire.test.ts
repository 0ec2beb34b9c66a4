import { describe, expect, it } from "vitest";
import { encodeFrame, socketProtocols, wellFormed } from "./wire";

describe("frames on the wire", () => {
  it("lone surrogates become U+FFFD; pairs stay", () => {
    expect(["a\uD83Db", "a\uDE00b", "ok 😀", "\uD83D\uD83D\uDE00"].map(wellFormed)).toEqual(["a\uFFFDb", "a\uFFFDb", "ok 😀", "\uFFFD😀"]);
  });

  it("U+FFFD travels only as its escape, and the frame reads back the same", () => {
    const wire = encodeFrame({ type: "message.send", text: "x\uFFFDy\uD800", nested: { a: ["\uFFFD"] } });
    expect(wire).not.toContain("\uFFFD");
    expect(JSON.parse(wire)).toEqual({ type: "message.send", text: "x\uFFFDy\uFFFD", nested: { a: ["\uFFFD"] } });
  });

  it("the token rides in the subprotocol, after the protocol name", () => {
    expect(socketProtocols("abc.def")).toEqual(["conversas", "bearer.abc.def"]);
    expect(socketProtocols(null)).toEqual(["conversas"]);
  });
});
