/**
 * The company's directory through the in-memory host (issue 18.3, 18.7): the
 * administration's list (search folded, pages, enabled filter), a password
 * reset and an erasure ending sessions, an erased user staying erased, and a
 * backup's records restored as they were.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { UserUpsertBody } from "../../../protocol/http";
import { answer } from "../../../protocol/internal";
import { MemoryWorld, type MemoryRoom } from "../../../test/support/memory-host";
import { directoryRoom } from "./room";
import { valueOf as value } from "../../../test/support/answers";

let world: MemoryWorld;
let room: MemoryRoom<"directory">;
const ended: string[] = [];

const body = (id: string, over: Partial<UserUpsertBody> = {}): UserUpsertBody => ({
  login: id,
  name: `Pessoa ${id}`,
  email: `${id}@example.com`,
  department: "Testes",
  modules: ["conversas"],
  enabled: true,
  ...over,
});

beforeEach(async () => {
  world = new MemoryWorld({ directory: directoryRoom });
  ended.length = 0;
  world.stubs.set("user.sessionEndAll", (roomId) => {
    ended.push(roomId);
    return answer({ ended: 1 });
  });
  room = world.room("directory", "acme");
  for (const [id, name, department, enabled] of [
    ["joao", "João Pereira", "Financeiro", true],
    ["marina", "Marina Conceição", "Supervisão", true],
    ["rafa", "Rafael Ângelo", "TI", false],
    ["ana", "Ana Souza", "Atendimento", true],
  ] as const)
    await value(
      room.rpc("directory.upsert", { userId: id, body: body(id, { name, department, enabled }), passwordHash: "pbkdf2-sha256$1$AA$AA" }),
    );
});

describe("the administration's list (issue 18.3)", () => {
  it("18.3: by name, searched with accents and case folded across fields, paged, filtered by enabled", async () => {
    const all = await value(room.rpc("directory.list", { q: "", offset: 0, limit: 10 }));
    expect(all.users.map((u) => u.id)).toEqual(["ana", "joao", "marina", "rafa"]);
    expect(all.total).toBe(4);
    expect(JSON.stringify(all)).not.toMatch(/pbkdf2|passwordHash|sessionVersion/);
    expect((await value(room.rpc("directory.list", { q: "JOAO", offset: 0, limit: 10 }))).users.map((u) => u.id)).toEqual(["joao"]);
    expect((await value(room.rpc("directory.list", { q: "supervisao mar", offset: 0, limit: 10 }))).users.map((u) => u.id)).toEqual([
      "marina",
    ]);
    expect((await value(room.rpc("directory.list", { q: "", enabled: false, offset: 0, limit: 10 }))).users.map((u) => u.id)).toEqual([
      "rafa",
    ]);
    const page = await value(room.rpc("directory.list", { q: "", offset: 2, limit: 1 }));
    expect(page).toMatchObject({ total: 4, offset: 2, limit: 1 });
    expect(page.users.map((u) => u.id)).toEqual(["marina"]);
  });
});

describe("password and erasure (issue 18.3, 18.7)", () => {
  it("18.3: a new password replaces the hash, raises the session version and ends every session", async () => {
    const before = await value(room.rpc("directory.access", { userId: "ana" }));
    await value(room.rpc("directory.setPassword", { userId: "ana", passwordHash: "pbkdf2-sha256$1$BB$BB" }));
    const after = await value(room.rpc("directory.access", { userId: "ana" }));
    expect(after.access!.passwordHash).toBe("pbkdf2-sha256$1$BB$BB");
    expect(after.access!.sessionVersion).toBe(before.access!.sessionVersion + 1);
    expect(ended).toEqual(["acme.ana"]);
    expect((await room.rpc("directory.setPassword", { userId: "ninguem", passwordHash: "x" })).ok).toBe(false);
  });

  it("18.7: an erased user keeps only the id: no name, e-mail, login or password; disabled; sessions ended; cannot come back", async () => {
    const { user } = await value(room.rpc("directory.erase", { userId: "ana" }));
    expect(user).toMatchObject({
      id: "ana",
      name: "Usuário removido",
      email: "",
      enabled: false,
      erased: true,
      localLogin: false,
      admin: false,
    });
    expect(ended).toEqual(["acme.ana"]);
    expect((await value(room.rpc("directory.access", { login: "ana" }))).access).toBeNull();
    expect((await value(room.rpc("directory.access", { userId: "ana" }))).access!.mayUse).toBe(false);
    const back = await room.rpc("directory.upsert", { userId: "ana", body: body("ana") });
    expect(back.ok).toBe(false);
    // The login is free again for someone else.
    expect((await value(room.rpc("directory.upsert", { userId: "ana2", body: body("ana") }))).created).toBe(true);
  });
});

describe("restore (issue 18.9)", () => {
  it("18.9: a backup's records come back as they were, hashes and admin flag included; a login taken by another id is refused", async () => {
    const { users } = await value(room.rpc("directory.backup", {}));
    const other = new MemoryWorld({ directory: directoryRoom }).room("directory", "acme");
    expect((await value(other.rpc("directory.restore", { users }))).restored).toBe(4);
    expect((await value(other.rpc("directory.backup", {}))).users).toEqual(users);
    const clash = await other.rpc("directory.restore", { users: [{ ...users[0]!, id: "outro" }] });
    expect(clash.ok).toBe(false);
  });
});
