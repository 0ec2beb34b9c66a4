import { describe, expect, it } from "vitest";
import { mentionParts } from "./mention-highlight";
import { mentionsIn } from "./mention-text";
import { members } from "./mention-members.fixture";

describe("mentions", () => {
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
});
