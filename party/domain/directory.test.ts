/**
 * Unit tests for the directory rules (R1, R3): upserts create and update records,
 * disabling ends sessions, logins are unique, and only enabled Conversas users
 * with a password sign in.
 */
import { describe, expect, it } from "vitest";
import { applyUpsert, loginKey, mayUse, maySignIn, publicUser, type UserRecord } from "./directory";
import type { UserUpsertBody } from "../../protocol";

const body: UserUpsertBody = {
  login: "ana",
  name: "Ana",
  email: "ana@example.com",
  department: "Vendas",
  modules: ["conversas"],
  enabled: true,
};

function created(over: Partial<UserUpsertBody> = {}, hash: string | null = "h1"): UserRecord {
  const r = applyUpsert("ana", null, { ...body, ...over }, hash ?? undefined, null, 100);
  if ("refused" in r) throw new Error("refused");
  return r.record;
}

describe("applyUpsert", () => {
  it("R1: a new user is created at session version 1 with the given hash", () => {
    const r = applyUpsert("ana", null, body, "h1", null, 100);
    expect(r).toMatchObject({
      created: true,
      disabledNow: false,
      record: { id: "ana", passwordHash: "h1", sessionVersion: 1, createdAt: 100 },
    });
  });

  it("R1: an update keeps the password hash when none is given, and the creation time", () => {
    const first = created();
    const r = applyUpsert("ana", first, { ...body, name: "Ana Maria" }, undefined, "ana", 200);
    expect(r).toMatchObject({
      created: false,
      disabledNow: false,
      record: { name: "Ana Maria", passwordHash: "h1", createdAt: 100, updatedAt: 200 },
    });
  });

  it("R1: disabling an enabled user bumps the session version; re-enabling does not bring old sessions back", () => {
    const first = created();
    const off = applyUpsert("ana", first, { ...body, enabled: false }, undefined, "ana", 200);
    expect(off).toMatchObject({ disabledNow: true, record: { enabled: false, sessionVersion: 2 } });
    if ("refused" in off) throw new Error("refused");
    const again = applyUpsert("ana", off.record, { ...body, enabled: false }, undefined, "ana", 300);
    expect(again).toMatchObject({ disabledNow: false, record: { sessionVersion: 2 } });
    const on = applyUpsert("ana", off.record, body, undefined, "ana", 400);
    expect(on).toMatchObject({ disabledNow: false, record: { enabled: true, sessionVersion: 2 } });
    if ("refused" in on) throw new Error("refused");
    expect(on.record.sessionVersion).toBe(2);
  });

  it("issue 12.3: a new password ends the sessions opened with the old one; the first password does not", () => {
    const first = created();
    const changed = applyUpsert("ana", first, body, "h2", "ana", 200);
    expect(changed).toMatchObject({ passwordChanged: true, record: { passwordHash: "h2", sessionVersion: 2 } });
    const { password: _none, ...noPassword } = body as typeof body & { password?: string };
    const fresh = applyUpsert("eva", { ...first, id: "eva", passwordHash: null }, noPassword, "h3", "eva", 200);
    expect(fresh).toMatchObject({ passwordChanged: false, record: { sessionVersion: 1 } });
  });

  it("R1: a login owned by another user is refused; one's own is fine", () => {
    expect(applyUpsert("bruno", null, body, "h", "ana", 1)).toEqual({ refused: "login_taken" });
    expect(applyUpsert("ana", created(), body, undefined, "ana", 1)).not.toHaveProperty("refused");
  });

  it("R1: the public view carries no secret", () => {
    const view = publicUser(created());
    expect(view).not.toHaveProperty("passwordHash");
    expect(view).not.toHaveProperty("sessionVersion");
    expect(JSON.stringify(view)).not.toContain("h1");
  });

  it("R29: a user's class of service is internal unless set, kept when an update omits it, and public", () => {
    const first = created();
    expect(first.callClass).toBe("internal");
    const up = applyUpsert("ana", first, { ...body, callClass: "national" }, undefined, "ana", 200);
    if ("refused" in up) throw new Error("refused");
    expect(up.record.callClass).toBe("national");
    const again = applyUpsert("ana", up.record, body, undefined, "ana", 300);
    expect(again).toMatchObject({ record: { callClass: "national" } });
    const stored = { ...first } as Partial<UserRecord>;
    delete stored.callClass;
    expect(publicUser(stored as UserRecord).callClass).toBe("internal");
  });

  it("R1: logins compare trimmed and case-insensitively", () => {
    expect(loginKey("  Ana.Souza ")).toBe("ana.souza");
  });
});

describe("maySignIn and mayUse", () => {
  it("R1: an enabled Conversas user with a password may sign in", () => {
    expect(maySignIn(created())).toBe(true);
    expect(maySignIn(created({ modules: ["conversas", "atendimento"] }))).toBe(true);
  });

  it("R1: a disabled user, a user without a password, or without the module may not", () => {
    expect(maySignIn(null)).toBe(false);
    expect(maySignIn(created({ enabled: false }))).toBe(false);
    expect(maySignIn(created({}, null))).toBe(false);
    expect(maySignIn({ ...created(), modules: ["atendimento"] })).toBe(false);
  });

  it("R1: a session ends when the user is disabled, loses the module, or its version is old", () => {
    const u = created();
    expect(mayUse(u)).toBe(true);
    expect(mayUse(null)).toBe(false);
    expect(mayUse({ ...u, enabled: false })).toBe(false);
    expect(mayUse({ ...u, modules: ["atendimento"] })).toBe(false);
  });
});
