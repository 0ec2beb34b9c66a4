import { describe, expect, it } from "vitest";
import type { GroupInfo } from "../../../protocol/groups";
import { addableContacts, canCreateGroup, firstName, groupPreview, isGroupAdmin, leavingOrphansGroup, sortedMembers } from "./groups";

const group = (members: [string, "admin" | "member"][]): GroupInfo => ({
  name: "Suporte N2",
  imageFileId: null,
  members: members.map(([userId, role], i) => ({ userId, role, since: i })),
  createdBy: members[0]?.[0] ?? "ana",
  createdAt: 0,
});

describe("group decisions in the client", () => {
  it('R13: "Salvar" needs a name and at least one member', () => {
    expect(canCreateGroup("Suporte", new Set(["bruno"]))).toBe(true);
    expect(canCreateGroup("   ", new Set(["bruno"]))).toBe(false);
    expect(canCreateGroup("Suporte", new Set())).toBe(false);
    expect(canCreateGroup("x".repeat(101), ["bruno"])).toBe(false);
  });

  it("R15: only admins are admins", () => {
    const g = group([
      ["ana", "admin"],
      ["bruno", "member"],
    ]);
    expect(isGroupAdmin(g, "ana")).toBe(true);
    expect(isGroupAdmin(g, "bruno")).toBe(false);
    expect(isGroupAdmin(g, "carla")).toBe(false);
    expect(isGroupAdmin(null, "ana")).toBe(false);
  });

  it("R18: the last admin leaving with members left is warned; not when another admin remains or nobody else does", () => {
    expect(
      leavingOrphansGroup(
        group([
          ["ana", "admin"],
          ["bruno", "member"],
        ]),
        "ana",
      ),
    ).toBe(true);
    expect(
      leavingOrphansGroup(
        group([
          ["ana", "admin"],
          ["bruno", "admin"],
        ]),
        "ana",
      ),
    ).toBe(false);
    expect(leavingOrphansGroup(group([["ana", "admin"]]), "ana")).toBe(false);
    expect(
      leavingOrphansGroup(
        group([
          ["ana", "admin"],
          ["bruno", "member"],
        ]),
        "bruno",
      ),
    ).toBe(false);
  });

  it("R14: lists admins first, then members, by name", () => {
    const names: Record<string, string> = { ana: "Ana", bruno: "Bruno", carla: "Carla", joao: "João" };
    const g = group([
      ["joao", "member"],
      ["carla", "admin"],
      ["bruno", "member"],
      ["ana", "admin"],
    ]);
    expect(sortedMembers(g.members, (id) => names[id]!).map((m) => m.userId)).toEqual(["ana", "carla", "bruno", "joao"]);
  });

  it('R16: "Adicionar membros" offers only people outside the group, searchable without accents', () => {
    const people = [
      { id: "bruno", name: "Bruno Lima" },
      { id: "joao", name: "João Pereira" },
      { id: "carla", name: "Carla Dias" },
    ];
    const g = group([
      ["ana", "admin"],
      ["bruno", "member"],
    ]);
    expect(addableContacts(people, g, "").map((c) => c.id)).toEqual(["joao", "carla"]);
    expect(addableContacts(people, g, "joa").map((c) => c.id)).toEqual(["joao"]);
    expect(addableContacts(people, g, "bru")).toEqual([]);
  });

  it("first names for list previews", () => {
    expect(firstName("Bruno Lima")).toBe("Bruno");
    expect(firstName("  Ana ")).toBe("Ana");
  });

  it("R6, R19: a group's list line names others by first name, the user as own, and events as their sentence", () => {
    const names: Record<string, string> = { ana: "Ana Souza", bruno: "Bruno Lima" };
    const nameOf = (id: string) => names[id] ?? id;
    const last = { seq: 3, senderId: "bruno", text: "bom  dia", createdAt: 1 };
    expect(groupPreview(last, "ana", nameOf)).toEqual({ text: "bom dia", mine: false, sender: "Bruno" });
    expect(groupPreview(last, "bruno", nameOf)).toEqual({ text: "bom dia", mine: true, sender: null });
    const added = { ...last, text: "", system: { kind: "added" as const, actor: "ana", targets: ["bruno"] } };
    expect(groupPreview(added, "bruno", nameOf)).toEqual({ text: "Ana Souza adicionou Bruno Lima", mine: false, sender: null });
    // A system line whose preview lacks the event is not shown as "Ana: " with nothing after it.
    expect(groupPreview({ ...last, senderId: "ana", text: "" }, "bruno", nameOf)).toEqual({ text: "", mine: false, sender: null });
  });
});
