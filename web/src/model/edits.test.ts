import { describe, expect, it } from "vitest";
import { EDIT_WINDOW_MS, type Message } from "../../../protocol/chat";
import { canEdit, editToSend, settleEdit, withPendingEdit } from "./edits";

const m = (over: Partial<Message> = {}): Message => ({
  id: "g:3",
  seq: 3,
  chatId: "g",
  clientId: "c3xxxxxxxx",
  senderId: "ana",
  text: "olá",
  createdAt: 1_000_000,
  ...over,
});

describe("editing one's own messages", () => {
  it('issue 17.4: "Editar" is offered on one\'s own text message for 15 minutes after sending', () => {
    expect(canEdit(m(), "ana", 1_000_000 + EDIT_WINDOW_MS, EDIT_WINDOW_MS)).toBe(true);
    expect(canEdit(m(), "ana", 1_000_001 + EDIT_WINDOW_MS, EDIT_WINDOW_MS)).toBe(false);
  });

  it("issue 17.4: never on others' messages, files, shared cards, forwarded copies, notices or deleted messages", () => {
    const at = 1_000_500;
    expect(canEdit(m(), "bruno", at, EDIT_WINDOW_MS)).toBe(false);
    expect(
      canEdit(
        m({ attachment: { fileId: "f1234567", name: "a.png", size: 1, contentType: "image/png", kind: "image" } }),
        "ana",
        at,
        EDIT_WINDOW_MS,
      ),
    ).toBe(false);
    expect(canEdit(m({ forwarded: true }), "ana", at, EDIT_WINDOW_MS)).toBe(false);
    expect(canEdit(m({ deleted: true }), "ana", at, EDIT_WINDOW_MS)).toBe(false);
    expect(canEdit(m({ system: { kind: "left", actor: "ana" } }), "ana", at, EDIT_WINDOW_MS)).toBe(false);
  });

  it("issue 17.4: only a changed, non-empty text is sent", () => {
    expect(editToSend("olá", "olá")).toBeNull();
    expect(editToSend("olá", "  \n")).toBeNull();
    expect(editToSend("olá", "olá, Ana\r\n")).toBe("olá, Ana\n");
  });

  it('issue 17.4: the edit shows at once as "editada" and is settled by the room\'s copy carrying it', () => {
    const pending = new Map([[3, "oi"]]);
    expect(withPendingEdit(m(), pending, 5)).toMatchObject({ text: "oi", editedAt: 5 });
    expect(withPendingEdit(m({ seq: 4 }), pending, 5)).toMatchObject({ text: "olá" });
    expect(settleEdit(pending, m({ text: "olá" }))).toBe(pending);
    expect(settleEdit(pending, m({ text: "oi", editedAt: 9 })).size).toBe(0);
    expect(settleEdit(pending, m({ text: "", deleted: true })).size).toBe(0);
  });
});
