import { describe, expect, it } from "vitest";
import { fold, searchByName } from "./search";

const people = [{ name: "João Pereira" }, { name: "Marina Conceição" }, { name: "Rafael Ângelo" }, { name: "Ana Souza" }];

describe("contact search", () => {
  it('R4: "joa" finds "João" (accent- and case-insensitive)', () => {
    expect(searchByName(people, "joa")).toEqual([{ name: "João Pereira" }]);
    expect(searchByName(people, "JOÃ")).toEqual([{ name: "João Pereira" }]);
    expect(searchByName(people, "angelo")).toEqual([{ name: "Rafael Ângelo" }]);
    expect(searchByName(people, "conceicao")).toEqual([{ name: "Marina Conceição" }]);
  });

  it("R4: fewer than 3 characters does not search", () => {
    expect(searchByName(people, "jo")).toBeNull();
    expect(searchByName(people, "  a ")).toBeNull();
    expect(searchByName(people, "")).toBeNull();
  });

  it("R4: a query that matches nobody gives an empty list, not the whole list", () => {
    expect(searchByName(people, "xyz")).toEqual([]);
  });

  it("matches across a space and in the middle of a name", () => {
    expect(searchByName(people, "ana sou")).toEqual([{ name: "Ana Souza" }]);
    expect(searchByName(people, "reir")).toEqual([{ name: "João Pereira" }]);
  });

  it("folds composed and decomposed accents alike", () => {
    expect(fold("Jo\u00e3o")).toBe(fold("Joa\u0303o"));
  });
});
