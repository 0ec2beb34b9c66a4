/**
 * Unit tests for sessions and for who may reach which room (R1: nothing
 * crosses tenants; a DM belongs to its two members; a drafts doc to its owner;
 * the rooms only rooms call are never reachable; issue 12.3: tokens).
 */
import { describe, expect, it } from "vitest";
import { shardOf } from "../../protocol/ids";
import {
  isServiceToken,
  issueAccess,
  issueRefresh,
  issueServiceToken,
  mayReachRoom,
  readAccess,
  readRefresh,
  sessionUsable,
  type Identity,
  type SessionRow,
} from "./session";

const ana: Identity = { userId: "ana", tenant: "acme", sid: "sessao-da-ana-0001" };

describe("mayReachRoom", () => {
  it("R1: the rooms only rooms call (directory, user, search, guard) are never reachable from outside", () => {
    for (const [party, id] of [
      ["directory", "acme"],
      ["user", "acme.ana"],
      ["search", "acme"],
      ["guard", "acme"],
    ] as const)
      expect(mayReachRoom(ana, party, id), party).toBe(false);
  });

  it("R5: the hub shard that holds one's own apps, of one's own company only", () => {
    expect(mayReachRoom(ana, "hub", "acme.0")).toBe(true);
    expect(mayReachRoom(ana, "hub", "other.0")).toBe(false);
    expect(mayReachRoom(ana, "hub", "acme.1")).toBe(false);
    const shard = shardOf("ana", 4);
    expect(mayReachRoom(ana, "hub", `acme.${shard}`, 4)).toBe(true);
    expect(mayReachRoom(ana, "hub", `acme.${(shard + 1) % 4}`, 4)).toBe(false);
  });

  it("R9: one's own drafts doc only, never another user's or another tenant's", () => {
    expect(mayReachRoom(ana, "drafts", "acme.ana")).toBe(true);
    expect(mayReachRoom(ana, "drafts", "acme.bruno")).toBe(false);
    expect(mayReachRoom(ana, "drafts", "other.ana")).toBe(false);
    expect(mayReachRoom(ana, "drafts", "acme")).toBe(false);
    expect(mayReachRoom(ana, "drafts", "acme.ana.extra")).toBe(false);
    expect(mayReachRoom(ana, "drafts", "acme.dm.ana.bruno")).toBe(false);
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

describe("issue 12.3 sessions", () => {
  const secret = "um-segredo-de-teste-longo";
  it("an access token is read back until it expires, and only with the right secret", async () => {
    const now = 1_800_000_000_000;
    const token = await issueAccess(secret, ana, 30 * 60_000, now);
    expect(await readAccess(secret, token, now + 1000)).toEqual(ana);
    expect(await readAccess(secret, token, now + 30 * 60_000)).toBeNull();
    expect(await readAccess("outro-segredo-qualquer", token, now)).toBeNull();
  });

  it("a refresh token is not an access token, and an access token is not a refresh token", async () => {
    const refresh = await issueRefresh(secret, ana, "k".repeat(43));
    const access = await issueAccess(secret, ana, 60_000);
    expect(await readAccess(secret, refresh)).toBeNull();
    expect(await readRefresh(secret, access)).toBeNull();
    expect(await readRefresh(secret, refresh)).toEqual({ ...ana, key: "k".repeat(43) });
  });

  it("a stored session opens the app until it ends, is idle too long, or the user's version moved on", () => {
    const row: SessionRow = { sid: "s", keyHash: "h", sessionVersion: 2, createdAt: 0, lastUsedAt: 1000, endedAt: null };
    expect(sessionUsable(row, 2000, 5000)).toBe(true);
    expect(sessionUsable(row, 2000, 5000, 2)).toBe(true);
    expect(sessionUsable(row, 2000, 5000, 3)).toBe(false);
    expect(sessionUsable(row, 7000, 5000)).toBe(false);
    expect(sessionUsable({ ...row, endedAt: 1500 }, 2000, 5000)).toBe(false);
    expect(sessionUsable(null, 2000, 5000)).toBe(false);
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
