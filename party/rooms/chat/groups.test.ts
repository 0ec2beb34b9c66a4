/**
 * Unit tests for what a group change looks like in the log: system lines
 * (author = actor, or the target when the room acted).
 */
import { describe, expect, it } from "vitest";
import { systemMessage } from "./groups";

describe("systemMessage", () => {
  it("R14: a system line has empty text, the actor as sender and a room-made clientId", () => {
    const m = systemMessage("g.abcdefgh12345678", 7, { kind: "removed", actor: "ana", target: "bruno" }, 50);
    expect(m).toEqual({
      id: "g.abcdefgh12345678:7",
      seq: 7,
      chatId: "g.abcdefgh12345678",
      clientId: "system-7",
      senderId: "ana",
      text: "",
      createdAt: 50,
      system: { kind: "removed", actor: "ana", target: "bruno" },
    });
  });

  it("R18: a promotion made by the room is authored by its target", () => {
    expect(systemMessage("g.abcdefgh12345678", 3, { kind: "promoted", actor: null, target: "carla" }, 1).senderId).toBe("carla");
  });
});
