import { describe, expect, it } from "vitest";
import { chatIdFrom, directChatBetween, fileNameFrom, progressShare } from "./export";

describe("issue 18.5: exports", () => {
  it.each<[string, string | null]>([
    [" g.abcdefghij012345 ", "g.abcdefghij012345"],
    ["dm.ana.bruno", "dm.ana.bruno"],
    ["https://conversas.example.com/c/g.abcdefghij012345", "g.abcdefghij012345"],
    ["/c/dm.ana.bruno/?x=1", "dm.ana.bruno"],
    ...["", "dm.bruno.ana", "https://x/c/", "https://x/u/ana", "g.curto", "/c/%E0%A4%A"].map((bad): [string, null] => [bad, null]),
  ])("issue 18.5: a chat is named by its id or by its address in the app: %j → %j", (typed, chatId) => {
    expect(chatIdFrom(typed)).toBe(chatId);
  });

  it.each([
    ["bruno", "ana", "dm.ana.bruno"],
    [" ana ", "bruno", "dm.ana.bruno"],
    ["ana", "ana", null],
    ["Ana", "bruno", null],
  ])("issue 18.5: the 1:1 chat between two people is derived from their ids, in either order: %j, %j → %j", (a, b, chatId) => {
    expect(directChatBetween(a, b)).toBe(chatId);
  });

  it.each([
    ['attachment; filename="conversa-g.abc.zip"', "conversa-g.abc.zip"],
    ["attachment; filename*=UTF-8''usu%C3%A1rio.zip", "usuário.zip"],
    ['attachment; filename="../../etc/passwd"', "_.._etc_passwd"],
    [null, "x.zip"],
  ])("issue 18.5: the archive keeps the server's file name, never a path: %j → %j", (disposition, name) => {
    expect(fileNameFrom(disposition, "x.zip")).toBe(name);
  });

  it("issue 18.5: progress reads as a share only when the size is known", () => {
    expect(progressShare(50, 200)).toBe(0.25);
    expect(progressShare(50, null)).toBe(null);
    expect(progressShare(500, 200)).toBe(1);
  });
});
