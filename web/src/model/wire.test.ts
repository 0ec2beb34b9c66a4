import { describe, expect, it } from "vitest";
import { encodeFrame, framesOf, socketProtocols, wellFormed } from "./wire";

describe("frames on the wire", () => {
  it("lone surrogates become U+FFFD; pairs stay", () => {
    expect(["a\uD83Db", "a\uDE00b", "ok 😀", "\uD83D\uD83D\uDE00"].map(wellFormed)).toEqual(["a\uFFFDb", "a\uFFFDb", "ok 😀", "\uFFFD😀"]);
  });

  it("U+FFFD travels only as its escape, and the frame reads back the same", () => {
    const wire = encodeFrame({ type: "message.send", text: "x\uFFFDy\uD800", nested: { a: ["\uFFFD"] } });
    expect(wire).not.toContain("\uFFFD");
    expect(JSON.parse(wire)).toEqual({ type: "message.send", text: "x\uFFFDy\uFFFD", nested: { a: ["\uFFFD"] } });
  });

  it("the token rides in the subprotocol, after the protocol name and the offer to take frames together", () => {
    expect(socketProtocols("abc.def")).toEqual(["conversas", "conversas.frames", "bearer.abc.def"]);
    expect(socketProtocols(null)).toEqual(["conversas", "conversas.frames"]);
  });

  it("a frames frame unpacks into its frames, in order; any other frame is itself", () => {
    const ack = { type: "message.ack", clientId: "c1" };
    const fresh = { type: "message.new", message: { seq: 2 } };
    expect(framesOf({ type: "frames", frames: [ack, fresh] })).toEqual([ack, fresh]);
    expect(framesOf(ack)).toEqual([ack]);
    expect(framesOf({ type: "frames", frames: "não" })).toEqual([{ type: "frames", frames: "não" }]);
  });
});
