import { describe, expect, it } from "vitest";
import { formatDuration, formatSize, MAX_UPLOAD_BYTES, mediaBox, previewKind, snippetOf, typeLabel, uploadUrl } from "./files";

describe("files in messages", () => {
  it("R9: uploads go through the chat's own room", () => {
    expect(uploadUrl("demo", "dm.ana.bruno")).toBe("/parties/chat/demo.dm.ana.bruno/files");
  });

  it("pictures keep their own shape before they load: fitted in 320×320, never enlarged, unknown without a size", () => {
    expect(mediaBox({ width: 1600, height: 900 })).toEqual({ width: 320, aspectRatio: "1600 / 900" });
    expect(mediaBox({ width: 900, height: 1600 })).toEqual({ width: 180, aspectRatio: "900 / 1600" });
    expect(mediaBox({ width: 40, height: 30 })).toEqual({ width: 40, aspectRatio: "40 / 30" });
    expect(mediaBox({})).toBeNull();
  });

  it("R9: the upload limit is the server's default, 25 MiB", () => {
    expect(MAX_UPLOAD_BYTES).toBe(26_214_400);
  });

  it("R9: previews show images, play video and audio, and treat anything else (SVG included) as a document", () => {
    expect(previewKind("image/png")).toBe("image");
    expect(previewKind("image/jpeg")).toBe("image");
    expect(previewKind("video/mp4")).toBe("video");
    expect(previewKind("audio/ogg")).toBe("audio");
    expect(previewKind("image/svg+xml")).toBe("document");
    expect(previewKind("application/pdf")).toBe("document");
    expect(previewKind("")).toBe("document");
  });

  it("R9: sizes and voice-note durations read as people expect", () => {
    expect(formatSize(900)).toBe("900 B");
    expect(formatSize(1536)).toBe("1,5 KB");
    expect(formatSize(5 * 1024 * 1024)).toBe("5 MB");
    expect(formatSize(25 * 1024 * 1024)).toBe("25 MB");
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(4_999)).toBe("0:04");
    expect(formatDuration(65_000)).toBe("1:05");
  });

  it.each([
    [830, "830 B"],
    [1024, "1,0 KB"],
    [12.4 * 1024, "12,4 KB"],
    [3.14 * 1024 * 1024, "3,1 MB"],
    [250 * 1024 * 1024, "250 MB"],
  ])("issue 18.5: an export's progress reads as steady bytes in pt-BR: %j → %j", (bytes, text) => {
    expect(formatSize(bytes, true)).toBe(text);
  });

  it("R9: a document card labels its type by extension, else by content type", () => {
    expect(typeLabel({ name: "relatório.pdf", contentType: "application/pdf" })).toBe("PDF");
    expect(typeLabel({ name: "sem-extensao", contentType: "application/zip" })).toBe("ZIP");
  });

  it("R10: a reply quotes the text, or the file name of a caption-less attachment, cut short", () => {
    expect(snippetOf({ text: "  olá\n\nmundo " })).toBe("olá mundo");
    const attachment = { fileId: "abcdefgh", name: "foto.png", size: 1, contentType: "image/png", kind: "image" as const };
    expect(snippetOf({ text: "", attachment })).toBe("foto.png");
    expect(snippetOf({ text: "x".repeat(500) })).toHaveLength(120);
  });
});
