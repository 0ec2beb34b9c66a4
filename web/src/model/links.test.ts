import { describe, expect, it } from "vitest";
import { find } from "linkifyjs";
import { linkParts } from "./links";

describe("links in messages", () => {
  it("R9: links become separate parts with their address; the rest stays text", () => {
    expect(linkParts("veja https://exemplo.com.br/a?b=1 e www.site.com ok", find)).toEqual([
      { text: "veja " },
      { text: "https://exemplo.com.br/a?b=1", href: "https://exemplo.com.br/a?b=1" },
      { text: " e " },
      { text: "www.site.com", href: "http://www.site.com" },
      { text: " ok" },
    ]);
  });

  it("R9: markup in a message is only text, and script addresses never become links", () => {
    const hostile = '<img src=x onerror=alert(1)> javascript:alert(1) <a href="https://x.io">x</a>';
    const parts = linkParts(hostile, find);
    expect(parts.map((p) => p.text).join("")).toBe(hostile);
    expect(parts.filter((p) => p.href).every((p) => /^https?:/.test(p.href!))).toBe(true);
    expect(parts.some((p) => p.href?.startsWith("javascript"))).toBe(false);
  });

  it("R9: before linkifyjs has loaded, the text shows whole", () => {
    expect(linkParts("https://a.com", null)).toEqual([{ text: "https://a.com" }]);
  });
});
