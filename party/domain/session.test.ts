/**
 * Unit tests for who may reach which room (R1: nothing crosses tenants; a DM
 * belongs to its two members; a user room to its owner only).
 */
import { describe, expect, it } from "vitest";
import { isServiceToken, issueServiceToken, mayReachRoom, type Identity } from "./session";

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

  it("R13: a group id of one's own tenant passes the edge (the room checks membership); another tenant's does not", () => {
    expect(mayReachRoom(ana, "chat", "acme.g.abcdefgh12345678")).toBe(true);
    expect(mayReachRoom(ana, "chat", "other.g.abcdefgh12345678")).toBe(false);
    expect(mayReachRoom(ana, "chat", "acme.g.short")).toBe(false);
    expect(mayReachRoom(ana, "chat", "acme.g.ABCDEFGH12345678")).toBe(false);
  });
});

describe("service tokens", () => {
  it("R13: a service token is reused for the first half of its life, and a remembered one still expires", async () => {
    const now = 1_900_000_000_000;
    const a = await issueServiceToken("s3cret-for-tests", now);
    expect(await issueServiceToken("s3cret-for-tests", now + 1000)).toBe(a);
    const b = await issueServiceToken("s3cret-for-tests", now + 31_000);
    expect(b).not.toBe(a);
    expect(await issueServiceToken("another-secret", now + 31_000)).not.toBe(b);
    expect(await isServiceToken("s3cret-for-tests", a, now + 2000)).toBe(true);
    expect(await isServiceToken("s3cret-for-tests", a, now + 59_000)).toBe(true);
    expect(await isServiceToken("s3cret-for-tests", a, now + 60_001)).toBe(false);
    expect(await isServiceToken("another-secret", a, now + 2000)).toBe(false);
  });
});
