import { describe, expect, it } from "vitest";
import { insertMention, mentionAt, mentionOptions, mentionParts, mentionsIn, mentionsMe, type Member } from "./mentions";

const members: Member[] = [
  { id: "ana", name: "Ana Souza" },
  { id: "bruno", name: "Bruno Lima" },
  { id: "joao", name: "João Pedro" },
  { id: "joana", name: "Joana" },
];

describe("mentions", () => {
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

  it("issue 17.6: a message mentions the members named in it (whole names, longest first), never the sender", () => {
    expect(mentionsIn("@Ana Souza e @joao pedro, vejam", members, "bruno", false)).toEqual(["ana", "joao"]);
    expect(mentionsIn("@Joana veja", members, "bruno", false)).toEqual(["joana"]);
    expect(mentionsIn("@Joanas veja", members, "bruno", false)).toEqual([]);
    expect(mentionsIn("eu @Bruno Lima", members, "bruno", false)).toEqual([]);
    expect(mentionsIn("ana@souza.com", members, "bruno", false)).toEqual([]);
  });

  it('issue 17.6: "@todos" from an admin mentions everyone ("*"); from a member it is plain text', () => {
    expect(mentionsIn("@todos reunião", members, "ana", true)).toEqual(["*"]);
    expect(mentionsIn("@todos reunião", members, "bruno", false)).toEqual([]);
  });

  it("issue 17.6: only the stored mentions render highlighted, one's own marked as such", () => {
    const nameOf = (id: string) => members.find((m) => m.id === id)?.name ?? id;
    expect(mentionParts("oi @Ana Souza e @Bruno Lima", ["ana"], nameOf, "ana")).toEqual([
      { text: "oi ", mention: false },
      { text: "@Ana Souza", mention: true, me: true },
      { text: " e @Bruno Lima", mention: false },
    ]);
    expect(mentionParts("@todos amanhã", ["*"], nameOf, "bruno")).toEqual([
      { text: "@todos", mention: true, me: true },
      { text: " amanhã", mention: false },
    ]);
    expect(mentionParts("texto", undefined, nameOf, "ana")).toEqual([{ text: "texto", mention: false }]);
  });

  it("issue 17.6: a message mentioning the user, by name or @todos, is highlighted for them", () => {
    expect(mentionsMe({ senderId: "bruno", mentions: ["ana"] }, "ana")).toBe(true);
    expect(mentionsMe({ senderId: "bruno", mentions: ["*"] }, "ana")).toBe(true);
    expect(mentionsMe({ senderId: "ana", mentions: ["*"] }, "ana")).toBe(false);
    expect(mentionsMe({ senderId: "bruno" }, "ana")).toBe(false);
  });
});
