import { describe, expect, it } from "vitest";
import { mayReachRoom, type Identity } from "../../domain/session";
import { refuseDraftsConnection } from "./drafts";

const ana: Identity = { tenant: "acme", userId: "ana", sid: "sessao-ana-000001" };

describe("drafts room access", () => {
  it("R9: a user's drafts doc is reachable by that user only, in their own company", () => {
    expect(mayReachRoom(ana, "drafts", "acme.ana")).toBe(true);
    expect(mayReachRoom(ana, "drafts", "acme.bruno")).toBe(false);
    expect(mayReachRoom(ana, "drafts", "other.ana")).toBe(false);
    expect(mayReachRoom(ana, "drafts", "acme")).toBe(false);
    expect(mayReachRoom(ana, "drafts", "acme.dm.ana.bruno")).toBe(false);
  });

  it("R9: the room refuses an unauthenticated socket (4001) and another user's (4003)", () => {
    expect(refuseDraftsConnection(null, "acme.ana")).toBe(4001);
    expect(refuseDraftsConnection(ana, "acme.bruno")).toBe(4003);
    expect(refuseDraftsConnection(ana, "acme.ana")).toBeNull();
  });
});
