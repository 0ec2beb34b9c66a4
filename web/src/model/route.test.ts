import { describe, expect, it } from "vitest";
import { chatPath, mayTry, parseRoute } from "./route";

describe("deep links", () => {
  it("R31: /c/{chatId} names a 1:1 chat or a group", () => {
    expect(parseRoute("/c/dm.ana.bruno")).toEqual({ kind: "chat", chatId: "dm.ana.bruno" });
    expect(parseRoute("/c/g.abcdefghij012345/")).toEqual({ kind: "chat", chatId: "g.abcdefghij012345" });
  });

  it("R31: /u/{userId} names a person", () => {
    expect(parseRoute("/u/bruno")).toEqual({ kind: "user", userId: "bruno" });
  });

  it("R31: malformed ids and other paths are no route (the list shows, with a notice)", () => {
    expect(parseRoute("/")).toEqual({ kind: "home" });
    expect(parseRoute("/c/dm.bruno.ana")).toEqual({ kind: "unknown" }); // members out of order: not a real chat id
    expect(parseRoute("/c/nada")).toEqual({ kind: "unknown" });
    expect(parseRoute("/u/Bruno Lima")).toEqual({ kind: "unknown" });
    expect(parseRoute("/u/%E0%A4%A")).toEqual({ kind: "unknown" });
    expect(parseRoute("/c/dm.ana.bruno/extra")).toEqual({ kind: "unknown" });
    expect(parseRoute("/c/")).toEqual({ kind: "unknown" });
  });

  it("R31: any other path is the list (a sign-in link's own path, for one)", () => {
    expect(parseRoute("/x/ana")).toEqual({ kind: "home" });
    expect(parseRoute("/l/demo/abc")).toEqual({ kind: "home" });
    expect(parseRoute("")).toEqual({ kind: "home" });
  });

  it("R31: the open chat's address parses back to the same chat", () => {
    expect(parseRoute(chatPath("dm.ana.bruno"))).toEqual({ kind: "chat", chatId: "dm.ana.bruno" });
    expect(chatPath(null)).toBe("/");
  });

  it("R31: a link to someone else's 1:1 chat is refused before trying it; groups are for their room to answer", () => {
    expect(mayTry("dm.ana.bruno", "ana")).toBe(true);
    expect(mayTry("dm.bruno.carla", "ana")).toBe(false);
    expect(mayTry("g.abcdefghij012345", "ana")).toBe(true);
  });
});
