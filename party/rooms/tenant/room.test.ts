/**
 * A company's own room through the in-memory host (issue 18.1/18.2): keys kept
 * hashed, checked, rotated with a grace period on the room's clock, revoked;
 * SSO sign-ins under way taken once and only while fresh; the chat register.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { parseKey } from "../../domain/keys";
import { MemoryWorld, type MemoryRoom } from "../../../test/support/memory-host";
import { tenantRoom } from "./room";
import { valueOf as value } from "../../../test/support/answers";

let world: MemoryWorld;
let room: MemoryRoom<"tenant">;
beforeEach(() => {
  world = new MemoryWorld({ tenant: tenantRoom });
  room = world.room("tenant", "acme");
});

describe("company keys (issue 18.2)", () => {
  it("18.2: a key is stored as a hash only, checks once right, and fails for another secret or id", async () => {
    const { key, info } = await value(room.rpc("tenant.keyCreate", { label: "RH" }));
    const k = parseKey(key)!;
    expect(k).toMatchObject({ tenant: "acme", id: info.id });
    const stored = room.storage.all<{ hash: string }>("SELECT hash FROM keys");
    expect(JSON.stringify(stored)).not.toContain(k.secret);
    expect((await value(room.rpc("tenant.keyCheck", { id: k.id, secret: k.secret }))).ok).toBe(true);
    expect((await value(room.rpc("tenant.keyCheck", { id: k.id, secret: "B".repeat(43) }))).ok).toBe(false);
    expect((await value(room.rpc("tenant.keyCheck", { id: "zzzzzzzzzz", secret: k.secret }))).ok).toBe(false);
  });

  it("18.2: a rotated key works until its grace period ends; the new one goes on; a revoked one stops at once", async () => {
    const old = parseKey((await value(room.rpc("tenant.keyCreate", { label: "" }))).key)!;
    const fresh = parseKey((await value(room.rpc("tenant.keyRotate", { id: old.id, graceMs: 60_000 }))).key)!;
    const check = async (k: typeof old) => (await value(room.rpc("tenant.keyCheck", { id: k.id, secret: k.secret }))).ok;
    expect(await check(old)).toBe(true);
    world.now += 59_999;
    expect(await check(old)).toBe(true);
    world.now += 1;
    expect(await check(old)).toBe(false);
    expect(await check(fresh)).toBe(true);
    // An expired key cannot be rotated again (no key lives on through rotations of a dead one).
    expect((await room.rpc("tenant.keyRotate", { id: old.id, graceMs: 60_000 })).ok).toBe(false);
    expect((await value(room.rpc("tenant.keyList", {}))).keys.map((k) => k.id)).toEqual([fresh.id]);
    expect((await value(room.rpc("tenant.keyRevoke", { id: fresh.id }))).revoked).toBe(true);
    expect(await check(fresh)).toBe(false);
  });
});

describe("SSO sign-ins under way (issue 18.1)", () => {
  it("18.1: a state is taken once, and not after it expired", async () => {
    const save = (hash: string, ttlMs = 1000) => room.rpc("tenant.ssoStateSave", { hash, verifier: "v", nonce: "n", to: "/", ttlMs });
    await save("h1");
    expect((await value(room.rpc("tenant.ssoStateTake", { hash: "h1" }))).state).toEqual({ verifier: "v", nonce: "n", to: "/" });
    expect((await value(room.rpc("tenant.ssoStateTake", { hash: "h1" }))).state).toBeNull();
    await save("h2");
    world.now += 1000;
    expect((await value(room.rpc("tenant.ssoStateTake", { hash: "h2" }))).state).toBeNull();
    expect(room.storage.one("SELECT 1 FROM sso_states WHERE hash = 'h2'")).toBeNull();
  });
});

describe("the company's chats (issue 18.5/18.9)", () => {
  it("18.9: chats register once and are listed in pages", async () => {
    for (const c of ["dm.a.b", "g.aaaaaaaaaaaaaaaa", "dm.a.c"]) await room.rpc("tenant.chatSeen", { chatId: c });
    expect((await value(room.rpc("tenant.chatSeen", { chatId: "dm.a.b" }))).added).toBe(false);
    const first = await value(room.rpc("tenant.chats", { after: "", limit: 2 }));
    expect(first).toEqual({ chatIds: ["dm.a.b", "dm.a.c"], next: "dm.a.c" });
    expect(await value(room.rpc("tenant.chats", { after: first.next!, limit: 2 }))).toEqual({
      chatIds: ["g.aaaaaaaaaaaaaaaa"],
      next: null,
    });
  });
});
