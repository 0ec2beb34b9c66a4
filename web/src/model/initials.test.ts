import { describe, expect, it } from "vitest";
import { initialsOf } from "./initials";

describe("avatar initials", () => {
  it("first and last word, upper case", () => {
    expect(initialsOf("Ana Souza")).toBe("AS");
    expect(initialsOf("marina conceição da silva")).toBe("MS");
    expect(initialsOf("Bruno")).toBe("B");
    expect(initialsOf("  Ângela   Érica ")).toBe("ÂÉ");
  });

  it("issue 17: a trailing emoji or symbol is not an initial, nor half of one", () => {
    expect(initialsOf("Equipe ✔")).toBe("E");
    expect(initialsOf("Suporte Técnico 🚀")).toBe("ST");
    expect(initialsOf("Vendas 👩‍💻")).toBe("V");
    expect(initialsOf("🎉 Festa de fim de ano")).toBe("FA");
  });

  it("a name without letters shows its first whole grapheme", () => {
    expect(initialsOf("👩‍💻🚀")).toBe("👩‍💻");
    expect(initialsOf("🇧🇷")).toBe("🇧🇷");
    expect(initialsOf("")).toBe("?");
  });

  it("a letter with a combining accent stays one initial", () => {
    expect(initialsOf("Jose\u0301 Silva")).toBe("JS");
    expect(initialsOf("e\u0301rica lima")).toBe("E\u0301L");
  });
});
