/** R13–R18: group membership and roles, decided without a runtime. */
import { describe, expect, it } from "vitest";
import {
  addMembers,
  createGroup,
  describeEvent,
  isAdmin,
  isGone,
  leaveGroup,
  MAX_GROUP_NAME,
  removeMember,
  renameGroup,
  setRole,
  type Group,
  type GroupDecision,
} from "./groups";

function ok(d: GroupDecision): Exclude<GroupDecision, { refused: true }> {
  if ("refused" in d) throw new Error(`refused: ${d.message}`);
  return d;
}
const base = () => ok(createGroup("ana", "  Suporte   N2 ", ["bruno", "carla", "ana", "bruno"], 1000)).group;

describe("R13/R14 creating a group", () => {
  it("the creator is admin, the others members, duplicates and the creator in the list are ignored", () => {
    const d = ok(createGroup("ana", "  Suporte   N2 ", ["bruno", "carla", "ana", "bruno"], 1000));
    expect(d.group.name).toBe("Suporte N2");
    expect(d.group.members).toEqual([
      { userId: "ana", role: "admin", since: 1000 },
      { userId: "bruno", role: "member", since: 1000 },
      { userId: "carla", role: "member", since: 1000 },
    ]);
    expect(d.events.map((e) => e.kind)).toEqual(["created", "added"]);
  });

  it("refuses a group without a name, with a 500-character name, or without another member", () => {
    expect(createGroup("ana", "   ", ["bruno"], 1)).toMatchObject({ refused: true, field: "name" });
    expect(createGroup("ana", "x".repeat(500), ["bruno"], 1)).toMatchObject({ refused: true, field: "name" });
    expect(createGroup("ana", "x".repeat(MAX_GROUP_NAME), ["bruno"], 1)).not.toHaveProperty("refused");
    expect(createGroup("ana", "Grupo", [], 1)).toMatchObject({ refused: true, field: "members" });
    expect(createGroup("ana", "Grupo", ["ana"], 1)).toMatchObject({ refused: true, field: "members" });
  });
});

describe("R15 adding, removing, promoting", () => {
  it("any member adds; someone outside cannot add themselves", () => {
    const g = base();
    const d = ok(addMembers(g, "carla", ["joao", "bruno"], 2000));
    expect(d.joined).toEqual(["joao"]);
    expect(d.group.members.find((m) => m.userId === "joao")).toEqual({ userId: "joao", role: "member", since: 2000 });
    expect(addMembers(g, "marina", ["marina"], 2000)).toMatchObject({ refused: true, code: "forbidden" });
  });

  it("a member cannot remove, promote or demote; an admin can", () => {
    const g = base();
    expect(removeMember(g, "bruno", "carla")).toMatchObject({ refused: true, code: "forbidden" });
    expect(setRole(g, "bruno", "carla", "admin")).toMatchObject({ refused: true, code: "forbidden" });
    const promoted = ok(setRole(g, "ana", "bruno", "admin")).group;
    expect(isAdmin(promoted, "bruno")).toBe(true);
    expect(ok(setRole(promoted, "bruno", "ana", "member")).group.members.find((m) => m.userId === "ana")?.role).toBe("member");
    const removed = ok(removeMember(g, "ana", "carla"));
    expect(removed.gone).toEqual(["carla"]);
    expect(removed.group.members.map((m) => m.userId)).toEqual(["ana", "bruno"]);
  });

  it("the last admin cannot demote themselves, and nobody removes themselves (they leave)", () => {
    const g = base();
    expect(setRole(g, "ana", "ana", "member")).toMatchObject({ refused: true });
    expect(removeMember(g, "ana", "ana")).toMatchObject({ refused: true });
  });

  it("two admins removing each other: whichever the room applies first wins, the other is refused", () => {
    const g = ok(setRole(base(), "ana", "bruno", "admin")).group;
    const first = ok(removeMember(g, "ana", "bruno")).group;
    expect(removeMember(first, "bruno", "ana")).toMatchObject({ refused: true, code: "forbidden" });
    expect(first.members.some((m) => m.role === "admin")).toBe(true);
  });
});

describe("R17/R18 leaving", () => {
  it("the last admin leaving hands admin to the longest-standing member", () => {
    let g: Group = base();
    g = ok(addMembers(g, "bruno", ["joao"], 500)).group; // joao's `since` is older than the others'
    const d = ok(leaveGroup(g, "ana"));
    expect(d.events).toEqual([
      { kind: "left", actor: "ana" },
      { kind: "promoted", actor: null, target: "joao" },
    ]);
    expect(isAdmin(d.group, "joao")).toBe(true);
  });

  it("the group is gone once the admin removed everyone and left", () => {
    let g = base();
    g = ok(removeMember(g, "ana", "bruno")).group;
    g = ok(removeMember(g, "ana", "carla")).group;
    g = ok(leaveGroup(g, "ana")).group;
    expect(isGone(g)).toBe(true);
  });

  it("someone who left cannot act; re-added they are a member again", () => {
    let g = ok(leaveGroup(base(), "carla")).group;
    expect(renameGroup(g, "carla", "Outro")).toMatchObject({ refused: true, code: "forbidden" });
    g = ok(addMembers(g, "bruno", ["carla"], 3000)).group;
    expect(g.members.find((m) => m.userId === "carla")).toEqual({ userId: "carla", role: "member", since: 3000 });
  });
});

describe("system lines", () => {
  it("read like the spec's examples", () => {
    const names: Record<string, string> = { ana: "Ana", bruno: "Bruno", carla: "Carla" };
    const n = (id: string) => names[id] ?? id;
    expect(describeEvent({ kind: "created", actor: "ana", name: "X" }, n)).toBe("Ana criou o grupo");
    expect(describeEvent({ kind: "added", actor: "ana", targets: ["bruno"] }, n)).toBe("Ana adicionou Bruno");
    expect(describeEvent({ kind: "left", actor: "carla" }, n)).toBe("Carla saiu");
    expect(describeEvent({ kind: "promoted", actor: "ana", target: "bruno" }, n)).toBe("Bruno agora é admin");
  });
});

describe("R18 invariant under any sequence of commands", () => {
  it("a group with anyone left always has an admin and never lists someone twice", () => {
    const people = ["ana", "bruno", "carla", "joao", "marina"];
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 200; run++) {
      let g = base();
      for (let step = 0; step < 40; step++) {
        const actor = people[rnd(people.length)]!;
        const target = people[rnd(people.length)]!;
        const d = [
          () => addMembers(g, actor, [target], step),
          () => removeMember(g, actor, target),
          () => setRole(g, actor, target, "admin"),
          () => setRole(g, actor, target, "member"),
          () => leaveGroup(g, actor),
        ][rnd(5)]!();
        if (!("refused" in d)) g = d.group;
        if (isGone(g)) break;
        expect(g.members.some((m) => m.role === "admin")).toBe(true);
        expect(new Set(g.members.map((m) => m.userId)).size).toBe(g.members.length);
      }
    }
  });
});
