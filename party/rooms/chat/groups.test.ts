/**
 * Unit tests for what a group change looks like in the log and in the members'
 * lists: system lines (author = actor, or the target when the room acted) and the
 * conversation summaries (a group's name and image; a DM's peer).
 */
import { describe, expect, it } from "vitest";
import type { ChatMeta } from "../domain/chat";
import { systemMessage } from "./chat-groups";
import { summaryFor } from "./chat-inbox";

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

describe("summaryFor", () => {
  const last = { id: "x:4", seq: 4, chatId: "x", clientId: "c-00000001", senderId: "ana", text: "oi", createdAt: 9 };

  it("R13: a group's summary carries its name and image, the same for every member", () => {
    const meta: ChatMeta = {
      chatId: "g.abcdefgh12345678",
      kind: "group",
      createdAt: 1,
      group: { name: "Plantão", imageFileId: "file-12345678", createdBy: "ana", createdAt: 1, members: [] },
    };
    expect(summaryFor(meta, "bruno", last, { unread: 1, lastUnreadAt: 9 })).toEqual({
      chatId: "g.abcdefgh12345678",
      kind: "group",
      name: "Plantão",
      imageFileId: "file-12345678",
      lastMessage: { seq: 4, senderId: "ana", text: "oi", createdAt: 9 },
      unread: 1,
      lastUnreadAt: 9,
    });
  });

  it("R6: a DM's summary names the other member", () => {
    const meta: ChatMeta = { chatId: "dm.ana.bruno", kind: "direct", members: ["ana", "bruno"], createdAt: 1 };
    expect(summaryFor(meta, "ana", null, { unread: 0, lastUnreadAt: null })).toEqual({
      chatId: "dm.ana.bruno",
      kind: "direct",
      peerId: "bruno",
      lastMessage: null,
      unread: 0,
      lastUnreadAt: null,
    });
  });
});
