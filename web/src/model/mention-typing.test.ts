import { describe, expect, it } from "vitest";
import { insertMention, mentionAt, mentionOptions } from "./mention-typing";
import { members } from "./mention-members.fixture";

describe("typing a mention", () => {
  it.each([
    ["oi @", 4, { start: 3, query: "" }],
    ["oi @jo", 6, { start: 3, query: "jo" }],
    ["@Ana S", 6, { start: 0, query: "Ana S" }],
    ["mail ana@x.com", 14, null],
    ["oi @ana\nbom", 11, null],
    ["sem arroba", 10, null],
  ])('issue 17.6: typing "@" at a word start opens the list, filtered by what follows: %j at %i', (text, caret, mention) => {
    expect(mentionAt(text, caret)).toEqual(mention);
  });

  it.each([
    ["jo", ["joana", "joao"]],
    ["JOAO", ["joao"]],
    ["lima", ["bruno"]],
    ["", ["bruno", "joana", "joao"]],
    // A name written in full and followed by a space is a finished mention: the list stays closed.
    ["joão pedro ", []],
    ["Joana", ["joana"]],
  ])("issue 17.6: the member list matches word starts without accents or case, never oneself, by name: %j", (query, ids) => {
    expect(mentionOptions(members, query, "ana", false).map((o) => o.id)).toEqual(ids);
  });

  it('issue 17.6: "@todos" is offered to admins only', () => {
    expect(mentionOptions(members, "", "ana", true)[0]).toEqual({ id: "*", name: "todos" });
    expect(mentionOptions(members, "to", "ana", true).map((o) => o.id)).toEqual(["*"]);
    expect(mentionOptions(members, "", "ana", false).some((o) => o.id === "*")).toBe(false);
    expect(mentionOptions(members, "to", "ana", false)).toEqual([]);
  });

  it("issue 17.6: picking a member puts “@Name ” in place of what was typed, the caret after it", () => {
    expect(insertMention("oi @jo tudo bem", 3, 6, "João Pedro")).toEqual({ text: "oi @João Pedro tudo bem", caret: 15 });
    expect(insertMention("@b", 0, 2, "Bruno Lima")).toEqual({ text: "@Bruno Lima ", caret: 12 });
  });
});
