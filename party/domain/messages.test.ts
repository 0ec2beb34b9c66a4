/**
 * Unit tests for what people may do with a stored message (R10 delete-own,
 * reply, forward), which upload a send may carry (R9) and what the inbox shows.
 */
import { describe, expect, it } from "vitest";
import type { Attachment, Message } from "../../protocol";
import {
  attachUpload,
  checkMentions,
  decideDelete,
  decideEdit,
  forwardable,
  isAbandonedUpload,
  previewText,
  quoteFor,
  toggleReaction,
  type FileRecord,
} from "./messages";

const pdf: Attachment = { fileId: "f".repeat(22), name: "contrato.pdf", size: 10, contentType: "application/pdf", kind: "document" };
const text: Message = {
  id: "dm.ana.bruno:3",
  seq: 3,
  chatId: "dm.ana.bruno",
  clientId: "client-1",
  senderId: "ana",
  text: "Olá",
  createdAt: 9,
};
const withFile: Message = { ...text, seq: 4, id: "dm.ana.bruno:4", text: "", attachment: pdf };

describe("decideDelete", () => {
  it("R10: the sender deletes their message: text and file go, seq/sender/time stay, the file is returned for removal", () => {
    const d = decideDelete({ ...withFile, replyTo: { seq: 1, senderId: "bruno", snippet: "oi" } }, "ana");
    expect(d).toEqual({
      deleted: {
        id: withFile.id,
        seq: 4,
        chatId: withFile.chatId,
        clientId: "client-1",
        senderId: "ana",
        text: "",
        createdAt: 9,
        deleted: true,
      },
      file: pdf,
    });
  });

  it("R10: someone else's message, a missing one and an already deleted one are refused", () => {
    expect(decideDelete(text, "bruno")).toMatchObject({ refused: true, code: "forbidden" });
    expect(decideDelete(undefined, "ana")).toMatchObject({ refused: true, code: "not_found" });
    expect(decideDelete({ ...text, text: "", deleted: true }, "ana")).toMatchObject({ refused: true, code: "not_found" });
  });
});

describe("quoteFor and forwardable", () => {
  it("R10: a reply quotes the first 120 characters of the text, or the file name and kind", () => {
    const long = { ...text, text: "á".repeat(300) };
    expect(quoteFor(long)).toEqual({ seq: 3, senderId: "ana", snippet: "á".repeat(120) });
    expect(quoteFor(withFile)).toEqual({ seq: 4, senderId: "ana", snippet: "contrato.pdf", attachmentKind: "document" });
  });

  it("R10: replying to or forwarding a missing or deleted message is refused", () => {
    for (const m of [undefined, { ...text, deleted: true }]) {
      expect(quoteFor(m)).toMatchObject({ refused: true, code: "not_found" });
      expect(forwardable(m)).toMatchObject({ refused: true, code: "not_found" });
    }
    expect(forwardable(text)).toBe(text);
  });
});

describe("attachUpload", () => {
  const record: FileRecord = {
    uploaderId: "ana",
    attachment: { ...pdf, contentType: "audio/webm", kind: "audio" },
    usedBySeq: null,
    createdAt: 1,
  };

  it("R9: only the uploader's own unused file may be sent", () => {
    expect(attachUpload(record, "ana")).toEqual(record.attachment);
    expect(attachUpload(record, "bruno")).toMatchObject({ refused: true, code: "forbidden" });
    expect(attachUpload({ ...record, usedBySeq: 7 }, "ana")).toMatchObject({ refused: true, code: "forbidden" });
    expect(attachUpload(undefined, "ana")).toMatchObject({ refused: true, code: "not_found" });
  });

  it("R9: a voice note is audio and carries its duration", () => {
    expect(attachUpload(record, "ana", { durationMs: 1500 })).toEqual({ ...record.attachment, kind: "voice", durationMs: 1500 });
    const notAudio = { ...record, attachment: pdf };
    expect(attachUpload(notAudio, "ana", { durationMs: 1500 })).toMatchObject({ refused: true, code: "invalid_frame" });
  });
});

describe("previewText", () => {
  it("R6: the inbox shows text, 'Mensagem apagada', '🎤 Áudio' or the file's name or caption", () => {
    expect(previewText(text)).toBe("Olá");
    expect(previewText({ ...text, text: "", deleted: true })).toBe("Mensagem apagada");
    expect(previewText(withFile)).toBe("📎 contrato.pdf");
    expect(previewText({ ...withFile, text: "segue" })).toBe("📎 segue");
    expect(previewText({ ...withFile, attachment: { ...pdf, kind: "voice", contentType: "audio/webm" } })).toBe("🎤 Áudio");
    expect(previewText({ ...withFile, attachment: { ...pdf, kind: "image", name: "a.png" } })).toBe("📷 a.png");
  });
});

describe("R10 a deleted original in a reply's quote", () => {
  it("keeps the reply and who was quoted, drops the quoted text", async () => {
    const { withDeletedQuote } = await import("./messages");
    const reply = {
      id: "c:5",
      seq: 5,
      chatId: "c",
      clientId: "abcdefgh",
      senderId: "bruno",
      text: "ok",
      createdAt: 1,
      replyTo: { seq: 2, senderId: "ana", snippet: "segredo", attachmentKind: "document" as const },
    };
    expect(withDeletedQuote(reply)).toEqual({ ...reply, replyTo: { seq: 2, senderId: "ana", snippet: "", deleted: true } });
    const plain = { ...reply, replyTo: undefined };
    expect(withDeletedQuote(plain)).toBe(plain);
  });
});

describe("isAbandonedUpload", () => {
  const rec = (usedBySeq: number | null, createdAt: number): FileRecord => ({
    uploaderId: "ana",
    attachment: { fileId: "f1234567", name: "a.pdf", size: 1, contentType: "application/pdf", kind: "document" },
    usedBySeq,
    createdAt,
  });
  it("an upload nobody sent is abandoned once the TTL has passed; one a message uses never is", () => {
    expect(isAbandonedUpload(rec(null, 0), 999, 1000)).toBe(false);
    expect(isAbandonedUpload(rec(null, 0), 1000, 1000)).toBe(true);
    expect(isAbandonedUpload(rec(7, 0), 10_000_000, 1000)).toBe(false);
  });
});

describe("issue 17 edits, reactions and mentions", () => {
  const own: Message = {
    id: "g:5",
    seq: 5,
    chatId: "g",
    clientId: "c-00000005",
    senderId: "ana",
    text: "reunião às 3",
    createdAt: 1_000_000,
  };

  it("issue 17.4: only the sender edits a text message, within 15 minutes, and it shows as edited", () => {
    expect(decideEdit(own, "ana", "reunião às 4", 1_000_000 + 60_000)).toMatchObject({ text: "reunião às 4", editedAt: 1_060_000, seq: 5 });
    expect(decideEdit(own, "bruno", "x", 1_000_001)).toMatchObject({ refused: true, code: "forbidden" });
    expect(decideEdit(own, "ana", "tarde", 1_000_000 + 15 * 60_000 + 1)).toMatchObject({ refused: true, code: "forbidden" });
    expect(decideEdit({ ...own, deleted: true, text: "" }, "ana", "x", 1_000_001)).toMatchObject({ refused: true, code: "not_found" });
    const file = {
      ...own,
      attachment: { fileId: "f-0000001", name: "a.pdf", size: 1, contentType: "application/pdf", kind: "document" as const },
    };
    expect(decideEdit(file, "ana", "x", 1_000_001)).toMatchObject({ refused: true, code: "invalid_frame" });
  });

  it("issue 17.5: one reaction per emoji per person, toggled by reacting again; notices take none", () => {
    const one = toggleReaction(own, "bruno", "👍") as Message;
    expect(one.reactions).toEqual({ "👍": ["bruno"] });
    const two = toggleReaction(one, "carla", "👍") as Message;
    expect(two.reactions).toEqual({ "👍": ["bruno", "carla"] });
    const back = toggleReaction(toggleReaction(two, "bruno", "👍") as Message, "carla", "👍") as Message;
    expect(back.reactions).toBeUndefined();
    expect(toggleReaction({ ...own, system: { kind: "left", actor: "ana" } }, "bruno", "👍")).toMatchObject({ refused: true });
  });

  it("issue 17.6: mentions keep current members only, never the sender; @todos only from an admin; none in a DM", () => {
    const group = {
      chatId: "g",
      kind: "group" as const,
      createdAt: 1,
      group: {
        name: "G",
        imageFileId: null,
        createdBy: "ana",
        createdAt: 1,
        members: [
          { userId: "ana", role: "admin" as const, since: 1 },
          { userId: "bruno", role: "member" as const, since: 1 },
        ],
      },
    };
    expect(checkMentions(group, "ana", ["bruno", "zeca", "ana", "bruno"])).toEqual(["bruno"]);
    expect(checkMentions(group, "ana", ["*"])).toEqual(["*"]);
    expect(checkMentions(group, "bruno", ["*"])).toMatchObject({ refused: true, code: "forbidden", field: "mentions" });
    expect(checkMentions({ chatId: "dm.a.b", kind: "direct", members: ["a", "b"], createdAt: 1 }, "a", ["b"])).toEqual([]);
  });
});
