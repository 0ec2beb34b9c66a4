/** R30/R10: what replies, previews and deletes do with a share card (domain/messages.ts). */
import { describe, expect, it } from "vitest";
import type { Message } from "../../protocol";
import { decideDelete, previewText, quoteFor } from "./messages";

const card = {
  shareId: "s1",
  protocol: "777",
  channel: "webchat" as const,
  customer: { name: "José" },
  startedAt: "2026-11-25T10:00:00Z",
  note: "olha isso",
  lastLines: [{ from: "customer" as const, text: "oi", at: "2026-11-25T10:00:00Z" }],
  lineCount: 1,
};
const shared: Message = {
  id: "dm.a.b:3",
  seq: 3,
  chatId: "dm.a.b",
  clientId: "share-s1",
  senderId: "a",
  text: "olha isso",
  createdAt: 1,
  share: card,
};

describe("R30 a share card among messages", () => {
  it("R30: a reply quotes it by protocol and customer, not by the note", () => {
    expect(quoteFor(shared)).toMatchObject({ seq: 3, senderId: "a", snippet: "📋 Protocolo 777 — José" });
  });

  it("R30: the conversation list previews it the same way", () => {
    expect(previewText(shared)).toBe("📋 Protocolo 777 — José");
  });

  it("R30: deleting it takes the card along, so nothing of the customer stays visible", () => {
    const d = decideDelete(shared, "a");
    if ("refused" in d) throw new Error(d.message);
    expect(d.deleted.share).toBeUndefined();
    expect(d.deleted.text).toBe("");
    expect(previewText(d.deleted)).toBe("Mensagem apagada");
  });
});
