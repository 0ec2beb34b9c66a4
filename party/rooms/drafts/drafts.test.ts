import { describe, expect, it } from "vitest";
import type { Identity } from "../../domain/session";
import { refuseDraftsConnection } from "./drafts";

const ana: Identity = { tenant: "acme", userId: "ana", sid: "sessao-ana-000001" };

describe("drafts room access", () => {
  it("R9: a user's drafts doc opens to that user only, in their own company; any other is refused with 4003", () => {
    expect(refuseDraftsConnection(ana, "acme.ana")).toBeNull();
    for (const room of ["acme.bruno", "other.ana", "acme", "acme.dm.ana.bruno", "acme.ana.extra"])
      expect(refuseDraftsConnection(ana, room), room).toBe(4003);
  });

  it("R9: the room refuses an unauthenticated socket (4001)", () => {
    expect(refuseDraftsConnection(null, "acme.ana")).toBe(4001);
  });
});
