import { describe, expect, it } from "vitest";
import { chatIdFrom, directChatBetween, fileNameFrom, formatBytes, progressShare } from "./export";

describe("issue 18.5: exports", () => {
  it("issue 18.5: a chat is named by its id or by its address in the app", () => {
    expect(chatIdFrom(" g.abcdefghij012345 ")).toBe("g.abcdefghij012345");
    expect(chatIdFrom("dm.ana.bruno")).toBe("dm.ana.bruno");
    expect(chatIdFrom("https://conversas.example.com/c/g.abcdefghij012345")).toBe("g.abcdefghij012345");
    expect(chatIdFrom("/c/dm.ana.bruno/?x=1")).toBe("dm.ana.bruno");
    for (const bad of ["", "dm.bruno.ana", "https://x/c/", "https://x/u/ana", "g.curto", "/c/%E0%A4%A"])
      expect([bad, chatIdFrom(bad)]).toEqual([bad, null]);
  });

  it("issue 18.5: the 1:1 chat between two people is derived from their ids, in either order", () => {
    expect(directChatBetween("bruno", "ana")).toBe("dm.ana.bruno");
    expect(directChatBetween(" ana ", "bruno")).toBe("dm.ana.bruno");
    expect(directChatBetween("ana", "ana")).toBe(null);
    expect(directChatBetween("Ana", "bruno")).toBe(null);
  });

  it("issue 18.5: the archive keeps the server's file name, never a path", () => {
    expect(fileNameFrom('attachment; filename="conversa-g.abc.zip"', "x.zip")).toBe("conversa-g.abc.zip");
    expect(fileNameFrom("attachment; filename*=UTF-8''usu%C3%A1rio.zip", "x.zip")).toBe("usuário.zip");
    expect(fileNameFrom('attachment; filename="../../etc/passwd"', "x.zip")).toBe("_.._etc_passwd");
    expect(fileNameFrom(null, "x.zip")).toBe("x.zip");
  });

  it("issue 18.5: progress reads as bytes in pt-BR, and as a share only when the size is known", () => {
    expect(formatBytes(830)).toBe("830 B");
    expect(formatBytes(1024)).toBe("1,0 KB");
    expect(formatBytes(12.4 * 1024)).toBe("12,4 KB");
    expect(formatBytes(3.14 * 1024 * 1024)).toBe("3,1 MB");
    expect(formatBytes(250 * 1024 * 1024)).toBe("250 MB");
    expect(progressShare(50, 200)).toBe(0.25);
    expect(progressShare(50, null)).toBe(null);
    expect(progressShare(500, 200)).toBe(1);
  });
});
