/**
 * Unit tests for the conversation rules: what a send becomes (append, duplicate,
 * refusal), how read cursors move and what unread and previews derive from.
 */
import { describe, expect, it } from "vitest";
import { advanceReadCursor, decideSend, isMember, membersOf, effectiveCursor, newerPreview, previewOf, type ChatMeta } from "./chat";
import { groupMeta } from "../../test/support/fixtures";

const meta: ChatMeta = { chatId: "dm.ana.bruno", kind: "direct", members: ["ana", "bruno"], createdAt: 1 };
const frame = { type: "message.send" as const, clientId: "client-0001", text: "olá" };

describe("decideSend", () => {
  it("R9: a member's first send is appended with the next seq and a server id", () => {
    const d = decideSend(meta, 41, "ana", frame, undefined, 1234);
    expect(d).toEqual({
      kind: "append",
      message: {
        id: "dm.ana.bruno:42",
        seq: 42,
        chatId: "dm.ana.bruno",
        clientId: "client-0001",
        senderId: "ana",
        text: "olá",
        createdAt: 1234,
      },
    });
  });

  it("R9: a resend of a stored clientId is a duplicate of that seq, never a new message", () => {
    expect(decideSend(meta, 41, "ana", frame, 7, 1234)).toEqual({ kind: "duplicate", seq: 7 });
  });

  it("R9: a non-member is refused even with a known clientId", () => {
    for (const seen of [undefined, 3]) {
      const d = decideSend(meta, 41, "carla", frame, seen, 1234);
      expect(d).toMatchObject({ refused: true, code: "forbidden" });
    }
  });
});

describe("read cursors and unread", () => {
  it("R7: the cursor moves forward only", () => {
    expect(advanceReadCursor(5, 8, 10)).toBe(8);
    expect(advanceReadCursor(8, 5, 10)).toBeNull();
    expect(advanceReadCursor(8, 8, 10)).toBeNull();
  });

  it("R7: the cursor never passes the last message", () => {
    expect(advanceReadCursor(5, 99, 10)).toBe(10);
    expect(advanceReadCursor(10, 99, 10)).toBeNull();
    expect(advanceReadCursor(0, 3, 0)).toBeNull();
  });

  it("R20: unread starts after the latest of the read cursor, the line that added the member and their own last message", () => {
    expect(effectiveCursor({ read: 4, joined: 0, sent: 2 })).toBe(4);
    expect(effectiveCursor({ read: 4, joined: 9, sent: 2 })).toBe(9);
    expect(effectiveCursor({ read: 4, joined: 1, sent: 12 })).toBe(12);
  });
});

describe("previews", () => {
  const p = (seq: number) => ({ seq, senderId: "ana", text: `m${seq}`, createdAt: seq });

  it("R6: the newer preview wins, whatever order they arrive in", () => {
    expect(newerPreview(p(3), p(5))).toEqual(p(5));
    expect(newerPreview(p(5), p(3))).toEqual(p(5));
    expect(newerPreview(null, p(3))).toEqual(p(3));
    expect(newerPreview(p(3), null)).toEqual(p(3));
    expect(newerPreview(null, null)).toBeNull();
  });

  it("R6: a preview is cut to 200 characters", () => {
    const m = { id: "x:1", seq: 1, chatId: "x", clientId: "client-0001", senderId: "ana", text: "a".repeat(500), createdAt: 9 };
    expect(previewOf(m)).toEqual({ seq: 1, senderId: "ana", text: "a".repeat(200), createdAt: 9 });
  });
});

describe("rich messages (R9/R10)", () => {
  it("R9/R10: a send carries the attachment and the reply quote it was given", () => {
    const attachment = { fileId: "f".repeat(22), name: "a.png", size: 1, contentType: "image/png", kind: "image" as const };
    const replyTo = { seq: 3, senderId: "bruno", snippet: "oi" };
    const d = decideSend(meta, 5, "ana", { ...frame, text: "" }, undefined, 1, { attachment, replyTo });
    expect(d).toMatchObject({ kind: "append", message: { seq: 6, text: "", attachment, replyTo } });
    expect((d as { message: object }).message).not.toHaveProperty("forwarded");
  });

  it("R10/R6: a deletion at the same seq wins over the original preview, never the other way round", () => {
    const original = previewOf({ id: "x:4", seq: 4, chatId: "x", clientId: "c", senderId: "ana", text: "oi", createdAt: 1 });
    const deleted = previewOf({ id: "x:4", seq: 4, chatId: "x", clientId: "c", senderId: "ana", text: "", createdAt: 1, deleted: true });
    expect(deleted).toMatchObject({ text: "Mensagem apagada", deleted: true });
    expect(newerPreview(original, deleted)).toBe(deleted);
    expect(newerPreview(deleted, original)).toBe(deleted);
  });
});

describe("group membership", () => {
  const group = groupMeta("Equipe", [
    ["ana", 1],
    ["bruno", 2],
  ]);

  it("R17: a group's members are its current members, and only they may send", () => {
    expect(membersOf(group)).toEqual(["ana", "bruno"]);
    expect(isMember(group, "bruno")).toBe(true);
    expect(isMember(group, "carla")).toBe(false);
    expect(decideSend(group, 3, "carla", frame, undefined, 9)).toMatchObject({ refused: true, code: "forbidden" });
    expect(decideSend(group, 3, "bruno", frame, undefined, 9)).toMatchObject({ kind: "append", message: { seq: 4, senderId: "bruno" } });
  });

  it("R18: a group everyone left has no members and admits nobody", () => {
    const gone: ChatMeta = { ...group, group: { ...group.group, members: [] } } as ChatMeta;
    expect(membersOf(gone)).toEqual([]);
    expect(isMember(gone, "ana")).toBe(false);
  });

  it("R1: a DM's members are the two in its meta", () => {
    expect(membersOf(meta)).toEqual(["ana", "bruno"]);
  });
});

describe("R6 previews of group system lines", () => {
  it("carry the event so the list can show the sentence", () => {
    const system = { kind: "renamed" as const, actor: "bruno", name: "Suporte N3" };
    const m = { id: "g:7", seq: 7, chatId: "g.x", clientId: "system-7", senderId: "bruno", text: "", createdAt: 5, system };
    expect(previewOf(m)).toMatchObject({ seq: 7, senderId: "bruno", system });
  });
});
