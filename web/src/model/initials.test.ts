import { describe, expect, it } from "vitest";
import { initialsOf } from "./initials";

describe("avatar initials", () => {
  it.each([
    // First and last word, upper case.
    ["Ana Souza", "AS"],
    ["marina conceição da silva", "MS"],
    ["Bruno", "B"],
    ["  Ângela   Érica ", "ÂÉ"],
    // Issue 17: a trailing emoji or symbol is not an initial, nor half of one.
    ["Equipe ✔", "E"],
    ["Suporte Técnico 🚀", "ST"],
    ["Vendas 👩‍💻", "V"],
    ["🎉 Festa de fim de ano", "FA"],
    // A name without letters shows its first whole grapheme.
    ["👩‍💻🚀", "👩‍💻"],
    ["🇧🇷", "🇧🇷"],
    ["", "?"],
    // A letter with a combining accent stays one initial.
    ["Jose\u0301 Silva", "JS"],
    ["e\u0301rica lima", "E\u0301L"],
  ])("%j → %j", (name, initials) => {
    expect(initialsOf(name)).toBe(initials);
  });
});
