import { describe, expect, it } from "vitest";
import { insertMention, mentionAt, mentionOptions } from "./mention-typing";
import type { Member } from "./mentions";

const members: Member[] = [
  { id: "ana", name: "Ana Souza" },
  { id: "bruno", name: "Bruno Lima" },
  { id: "joao", name: "João Pedro" },
  { id: "joana", name: "Joana" },
];

describe("typing a mention", () => {
  it('issue 17.6: typing "@" at a word start opens the list, filtered by what follows', () => {
    expect(mentionAt("oi @", 4)).toEqual({ start: 3, query: "" });
    expect(mentionAt("oi @jo", 6)).toEqual({ start: 3, query: "jo" });
    expect(mentionAt("@Ana S", 6)).toEqual({ start: 0, query: "Ana S" });
    expect(mentionAt("mail ana@x.com", 14)).toBeNull();
    expect(mentionAt("oi @ana\nbom", 11)).toBeNull();
    expect(mentionAt("sem arroba", 10)).toBeNull();
  });

  it("issue 17.6: the member list matches word starts without accents or case, never oneself, by name", () => {
    expect(mentionOptions(members, "jo", "ana", false).map((o) => o.id)).toEqual(["joana", "joao"]);
    expect(mentionOptions(members, "JOAO", "ana", false).map((o) => o.id)).toEqual(["joao"]);
    expect(mentionOptions(members, "lima", "ana", false).map((o) => o.id)).toEqual(["bruno"]);
    expect(mentionOptions(members, "", "ana", false).map((o) => o.id)).toEqual(["bruno", "joana", "joao"]);
    // A name written in full and followed by a space is a finished mention: the list stays closed.
    expect(mentionOptions(members, "joão pedro ", "ana", false)).toEqual([]);
    expect(mentionOptions(members, "Joana", "ana", false).map((o) => o.id)).toEqual(["joana"]);
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
