/** R30: how a shared customer conversation reads on screen. */
import { describe, expect, it } from "vitest";
import { lineSide, lineTime, olderLines, safeHref } from "./share";

describe("R30 transcript display", () => {
  it("R30: customer lines sit apart from the agent's and the bot's", () => {
    expect(lineSide("customer")).toBe("left");
    expect(lineSide("agent")).toBe("right");
    expect(lineSide("bot")).toBe("right");
  });

  it("R30: media links open only http(s) addresses", () => {
    expect(safeHref("https://cdn.example.com/a.jpg")).toBe("https://cdn.example.com/a.jpg");
    expect(safeHref("http://example.com/x")).toBe("http://example.com/x");
    for (const bad of ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<b>x</b>", "/relativo", "vbscript:x", ""]) {
      expect(safeHref(bad), bad).toBeNull();
    }
  });

  it("R30: a line's time is HH:mm today and carries the date on other days; a bad date shows as given", () => {
    const now = new Date(2026, 10, 25, 15, 0).getTime();
    expect(lineTime(new Date(2026, 10, 25, 9, 5).toISOString(), now)).toBe("09:05");
    expect(lineTime(new Date(2026, 10, 24, 9, 5).toISOString(), now)).toBe("24/11/2026 09:05");
    expect(lineTime("ontem", now)).toBe("ontem");
  });

  it("R30: the card says how many older lines it leaves out", () => {
    expect(olderLines({ lineCount: 7, lastLines: new Array(5) })).toBe(2);
    expect(olderLines({ lineCount: 3, lastLines: new Array(3) })).toBe(0);
  });
});
