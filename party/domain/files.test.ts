/**
 * Unit tests for how files are typed, named and served (R9): the allow-list, the
 * attachment kind and gallery, name sanitising and the headers that keep a
 * hostile file from running script.
 */
import { describe, expect, it } from "vitest";
import {
  attachmentKind,
  byteRange,
  contentDisposition,
  fileHeaders,
  galleryOf,
  mayShowInline,
  newFileId,
  sanitizeFileName,
  servedContentType,
} from "./files";

describe("servedContentType", () => {
  it("R9: allowed types are kept (parameters dropped, aliases made canonical)", () => {
    expect(servedContentType("image/PNG", "a.png")).toBe("image/png");
    expect(servedContentType("audio/webm;codecs=opus", "voz.webm")).toBe("audio/webm");
    expect(servedContentType("image/jpg", "a.jpg")).toBe("image/jpeg");
    expect(servedContentType("text/plain", "a.txt")).toBe("text/plain; charset=utf-8");
  });

  it("R9: HTML, SVG, XML and unknown types become application/octet-stream, whatever the name says", () => {
    for (const t of ["text/html", "image/svg+xml", "application/xml", "text/xml", "application/javascript", "application/x-whatever"]) {
      expect(servedContentType(t, "foto.png"), t).toBe("application/octet-stream");
    }
  });

  it("R9: without a declared type, a known extension names an allowed type and nothing else does", () => {
    expect(servedContentType(null, "relatorio.PDF")).toBe("application/pdf");
    expect(servedContentType("application/octet-stream", "planilha.xlsx")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(servedContentType("", "pagina.html")).toBe("application/octet-stream");
    expect(servedContentType(null, "desenho.svg")).toBe("application/octet-stream");
  });
});

describe("kinds and inline display", () => {
  it("R9: the kind follows the served type; a voice flag makes a voice note", () => {
    expect(attachmentKind("image/png", false)).toBe("image");
    expect(attachmentKind("video/mp4", false)).toBe("video");
    expect(attachmentKind("audio/ogg", false)).toBe("audio");
    expect(attachmentKind("audio/webm", true)).toBe("voice");
    expect(attachmentKind("application/pdf", false)).toBe("document");
  });

  it("R5: pictures and videos go under Mídias; voice notes and audio under Áudios; the rest under Documentos", () => {
    expect(galleryOf("image")).toBe("media");
    expect(galleryOf("video")).toBe("media");
    expect(galleryOf("voice")).toBe("audio");
    expect(galleryOf("audio")).toBe("audio");
    expect(galleryOf("document")).toBe("documents");
  });

  it("R9: only types that cannot run script are shown inline", () => {
    expect(mayShowInline("image/png")).toBe(true);
    expect(mayShowInline("application/pdf")).toBe(true);
    expect(mayShowInline("text/plain; charset=utf-8")).toBe(true);
    expect(mayShowInline("application/octet-stream")).toBe(false);
    expect(mayShowInline("text/html")).toBe(false);
    expect(mayShowInline("image/svg+xml")).toBe(false);
  });
});

describe("sanitizeFileName", () => {
  it("R9: markup, quotes, control characters and paths are taken out", () => {
    const name = sanitizeFileName(`"><img src=x onerror=alert(1)>.png`);
    expect(name).not.toMatch(/[<>"=]/);
    expect(name.endsWith(".png")).toBe(true);
    expect(sanitizeFileName("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFileName("C:\\Users\\ana\\foto.jpg")).toBe("foto.jpg");
    expect(sanitizeFileName("a\u0000b\r\nc\u202etxt.exe")).toBe("abctxt.exe");
    expect(sanitizeFileName("...")).toBe("arquivo");
    expect(sanitizeFileName("")).toBe("arquivo");
    expect(sanitizeFileName(".bashrc")).toBe("bashrc");
  });

  it("R9: accents and emoji stay; very long names keep their extension", () => {
    expect(sanitizeFileName("reunião 😀.pdf")).toBe("reunião 😀.pdf");
    const long = sanitizeFileName("x".repeat(500) + ".docx");
    expect([...long]).toHaveLength(120);
    expect(long.endsWith(".docx")).toBe(true);
  });
});

describe("headers", () => {
  it("R9: the disposition carries an ASCII fallback and the RFC 5987 UTF-8 name", () => {
    expect(contentDisposition("reunião 1.pdf", true)).toBe(`inline; filename="reuni_o 1.pdf"; filename*=UTF-8''reuni%C3%A3o%201.pdf`);
    expect(contentDisposition("a'b(c).txt", false)).toBe(`attachment; filename="a'b(c).txt"; filename*=UTF-8''a%27b%28c%29.txt`);
  });

  it("R9: every file response is nosniff, sandboxed and private; scriptable types download", () => {
    const h = fileHeaders({ name: "x.html", contentType: "text/html", size: 10 }, false);
    expect(h).toMatchObject({
      "content-type": "application/octet-stream",
      "x-content-type-options": "nosniff",
      "content-security-policy": "sandbox; default-src 'none'",
      "content-length": "10",
    });
    expect(h["content-disposition"]).toMatch(/^attachment;/);
    expect(h["cache-control"]).toMatch(/^private/);
    expect(fileHeaders({ name: "a.png", contentType: "image/png", size: 1 }, false)["content-disposition"]).toMatch(/^inline;/);
    expect(fileHeaders({ name: "a.png", contentType: "image/png", size: 1 }, true)["content-disposition"]).toMatch(/^attachment;/);
  });

  it("R9: file ids are 22 random base64url characters", () => {
    const ids = new Set(Array.from({ length: 100 }, newFileId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe("byteRange", () => {
  it("R9: one byte range is served as offset and length; a suffix range counts from the end", () => {
    expect(byteRange("bytes=0-99", 1000)).toEqual({ offset: 0, length: 100 });
    expect(byteRange("bytes=900-", 1000)).toEqual({ offset: 900, length: 100 });
    expect(byteRange("bytes=990-5000", 1000)).toEqual({ offset: 990, length: 10 });
    expect(byteRange("bytes=-100", 1000)).toEqual({ offset: 900, length: 100 });
  });

  it("R9: no header, several ranges or other units serve the whole file; a range past the end is unsatisfiable", () => {
    expect(byteRange(null, 1000)).toBeNull();
    expect(byteRange("bytes=0-1,5-6", 1000)).toBeNull();
    expect(byteRange("items=0-1", 1000)).toBeNull();
    expect(byteRange("bytes=1000-", 1000)).toBe("unsatisfiable");
    expect(byteRange("bytes=5-2", 1000)).toBe("unsatisfiable");
  });
});
