import { describe, expect, it } from "vitest";
import { TYPING_TTL_MS } from "../../../protocol/chat";
import { heardTyping, shouldSendTyping, stoppedTyping, typingLine, typingNow, TYPING_RESEND_MS } from "./typing";

describe("typing indicator", () => {
  it('issue 17.2: "Ana está digitando…", "Ana e Bruno estão digitando…", "Várias pessoas estão digitando…"', () => {
    expect(typingLine([])).toBe("");
    expect(typingLine(["Ana"])).toBe("Ana está digitando…");
    expect(typingLine(["Ana", "Bruno"])).toBe("Ana e Bruno estão digitando…");
    expect(typingLine(["Ana", "Bruno", "Carla"])).toBe("Várias pessoas estão digitando…");
  });

  it("issue 17.2: gone TYPING_TTL_MS (5 s) after the last frame heard, and at once when their message arrives", () => {
    let typists = heardTyping(new Map(), "ana", 1_000, TYPING_TTL_MS);
    typists = heardTyping(typists, "bruno", 2_000, TYPING_TTL_MS);
    expect(typingNow(typists, 1_500)).toEqual({ userIds: ["ana", "bruno"], nextExpiry: 1_000 + TYPING_TTL_MS });
    expect(typingNow(typists, 1_000 + TYPING_TTL_MS).userIds).toEqual(["bruno"]);
    typists = heardTyping(typists, "ana", 4_000, TYPING_TTL_MS);
    expect(typingNow(typists, 1_000 + TYPING_TTL_MS).userIds).toEqual(["ana", "bruno"]);
    typists = stoppedTyping(typists, "bruno");
    expect(typingNow(typists, 4_100).userIds).toEqual(["ana"]);
    expect(typingNow(typists, 4_000 + TYPING_TTL_MS)).toEqual({ userIds: [], nextExpiry: null });
  });

  it("issue 17.2: throttled — a burst of keystrokes is one frame every few seconds, below the TTL; clearing the text is not typing", () => {
    expect(TYPING_RESEND_MS).toBeLessThan(TYPING_TTL_MS);
    expect(shouldSendTyping("o", null, 0)).toBe(true);
    expect(shouldSendTyping("ol", 0, 500)).toBe(false);
    expect(shouldSendTyping("olá", 0, TYPING_RESEND_MS)).toBe(true);
    expect(shouldSendTyping("   ", null, 0)).toBe(false);
  });
});
