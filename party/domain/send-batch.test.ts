/**
 * Unit tests for deciding a batch of sends at once (group commit): each frame is
 * decided as if the earlier frames of the batch were already stored.
 */
import { describe, expect, it } from "vitest";
import type { Message } from "../../protocol";
import type { ChatMeta } from "./chat";
import type { FileRecord } from "./messages";
import { decideSends, type Stored } from "./send-batch";

const meta: ChatMeta = { chatId: "dm.ana.bruno", kind: "direct", members: ["ana", "bruno"], createdAt: 1 };
const send = (senderId: string, clientId: string, extra: Record<string, unknown> = {}) => ({
  senderId,
  frame: { type: "message.send" as const, clientId, text: "oi", ...extra },
});
const empty: Stored = { seen: () => undefined, file: () => undefined, message: () => undefined };
const upload: FileRecord = {
  uploaderId: "ana",
  attachment: { fileId: "f".repeat(22), name: "a.png", size: 1, contentType: "image/png", kind: "image" },
  usedBySeq: null,
  createdAt: 1,
};

describe("decideSends", () => {
  it("R8: new sends get consecutive seqs in arrival order", () => {
    const out = decideSends(meta, 10, [send("ana", "client-01"), send("bruno", "client-02"), send("ana", "client-03")], empty, 5);
    expect(out.map((o) => (o.kind === "append" ? o.message.seq : o.kind))).toEqual([11, 12, 13]);
  });

  it("R9: a clientId seen in storage or earlier in the same batch is a duplicate, never a second message", () => {
    const stored: Stored = { ...empty, seen: (s, c) => (s === "ana" && c === "client-old" ? 4 : undefined) };
    const out = decideSends(meta, 10, [send("ana", "client-old"), send("ana", "client-01"), send("ana", "client-01")], stored, 5);
    expect(out).toMatchObject([
      { kind: "duplicate", seq: 4 },
      { kind: "append", message: { seq: 11 } },
      { kind: "duplicate", seq: 11 },
    ]);
  });

  it("R9: one upload is used by one message only, even within a batch", () => {
    const stored: Stored = { ...empty, file: (id) => (id === upload.attachment.fileId ? upload : undefined) };
    const fileId = upload.attachment.fileId;
    const out = decideSends(meta, 0, [send("ana", "client-01", { fileId }), send("ana", "client-02", { fileId })], stored, 5);
    expect(out[0]).toMatchObject({ kind: "append", message: { attachment: upload.attachment }, fileRecord: { usedBySeq: 1 } });
    expect(out[1]).toMatchObject({ kind: "refused", code: "forbidden", field: "fileId" });
  });

  it("R10: a reply may quote a message stored earlier in the same batch; a missing one is refused", () => {
    const out = decideSends(
      meta,
      0,
      [send("ana", "client-01"), send("bruno", "client-02", { replyTo: 1 }), send("bruno", "client-03", { replyTo: 9 })],
      empty,
      5,
    );
    expect(out[1]).toMatchObject({ kind: "append", message: { replyTo: { seq: 1, senderId: "ana", snippet: "oi" } } });
    expect(out[2]).toMatchObject({ kind: "refused", code: "not_found", field: "replyTo" });
  });

  it("R10: a refused send takes no seq", () => {
    const original: Message = { id: "x:1", seq: 1, chatId: "x", clientId: "c", senderId: "ana", text: "", createdAt: 1, deleted: true };
    const stored: Stored = { ...empty, message: (s) => (s === 1 ? original : undefined) };
    const out = decideSends(meta, 1, [send("bruno", "client-01", { replyTo: 1 }), send("bruno", "client-02")], stored, 5);
    expect(out).toMatchObject([{ kind: "refused" }, { kind: "append", message: { seq: 2 } }]);
  });

  it("R1: a non-member's send is refused", () => {
    expect(decideSends(meta, 0, [send("carla", "client-01")], empty, 5)).toMatchObject([{ kind: "refused", code: "forbidden" }]);
  });
});
