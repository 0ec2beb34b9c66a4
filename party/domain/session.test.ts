/**
 * Unit tests for who may reach which room (R1: nothing crosses tenants; a DM
 * belongs to its two members; a user room to its owner only).
 */
import { describe, expect, it } from "vitest";
import { mayReachRoom, type Identity } from "./session";

const ana: Identity = { userId: "ana", tenant: "acme", sessionVersion: 1 };

describe("mayReachRoom", () => {
  it("R1: the directory of one's own tenant only", () => {
    expect(mayReachRoom(ana, "directory", "acme")).toBe(true);
    expect(mayReachRoom(ana, "directory", "other")).toBe(false);
    expect(mayReachRoom(ana, "directory", "acme.ana")).toBe(false);
  });

  it("R1: one's own user room only, never another user's or another tenant's", () => {
    expect(mayReachRoom(ana, "user", "acme.ana")).toBe(true);
    expect(mayReachRoom(ana, "user", "acme.bruno")).toBe(false);
    expect(mayReachRoom(ana, "user", "other.ana")).toBe(false);
    expect(mayReachRoom(ana, "user", "acme")).toBe(false);
    expect(mayReachRoom(ana, "user", "acme.ana.extra")).toBe(false);
  });

  it("R1: a DM of one's own tenant where one is a member", () => {
    expect(mayReachRoom(ana, "chat", "acme.dm.ana.bruno")).toBe(true);
    expect(mayReachRoom(ana, "chat", "acme.dm.aaron.ana")).toBe(true);
  });

  it("R1: a third user cannot reach a DM of two others", () => {
    expect(mayReachRoom(ana, "chat", "acme.dm.bruno.carla")).toBe(false);
  });

  it("R1: a DM with the same members in another tenant is out of reach", () => {
    expect(mayReachRoom(ana, "chat", "other.dm.ana.bruno")).toBe(false);
  });

  it("R1: crafted chat ids are refused", () => {
    for (const id of [
      "acme.dm.bruno.ana",
      "acme.dm.ana.ana",
      "acme.dm.ana",
      "acme.dm.ana.bruno.x",
      "acme.grp.ana.bruno",
      ".dm.ana.bruno",
      "acme",
    ]) {
      expect(mayReachRoom(ana, "chat", id), id).toBe(false);
    }
  });
});
