import { describe, expect, it } from "vitest";
import type { Attachment, Message } from "../../../protocol/chat";
import { onShelf, serverGallery } from "./gallery";

const msg = (seq: number, kind: Attachment["kind"]): Message => ({
  id: `c:${seq}`,
  seq,
  chatId: "c",
  clientId: `x${seq}xxxxxx`,
  senderId: "ana",
  text: "",
  createdAt: seq,
  attachment: { fileId: `f${seq}`, name: `f${seq}`, size: 1, contentType: "x/y", kind },
});

describe("data panel shelves (issue 17)", () => {
  it("voice notes and audio files go to 'Áudios', never to 'Documentos'", () => {
    const documentsIndex = [msg(1, "voice"), msg(2, "document"), msg(3, "audio"), msg(4, "document")];
    expect(documentsIndex.filter((m) => onShelf("audio", m)).map((m) => m.seq)).toEqual([1, 3]);
    expect(documentsIndex.filter((m) => onShelf("documents", m)).map((m) => m.seq)).toEqual([2, 4]);
    expect(serverGallery("audio")).toBe("audio");
    expect(serverGallery("documents")).toBe("documents");
    expect(serverGallery("media")).toBe("media");
  });

  it("pictures and videos stay under 'Mídias'; a deleted message shows nowhere", () => {
    expect(onShelf("media", msg(5, "image"))).toBe(true);
    expect(onShelf("audio", { ...msg(6, "voice"), deleted: true })).toBe(false);
  });
});
