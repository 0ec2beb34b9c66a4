/**
 * A user's own room through our own seams (test/support/memory-host.ts):
 * sessions that end for real (issue 12.3), one-time tickets (issue 12.1), the
 * list a snapshot rebuilds from the chats, and the call log — where paging any
 * filter and search returns exactly what a from-scratch sort and filter of all
 * records gives (R27, R28).
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { CallFilter, CallHistoryEntry, CallRecord, CallsServerFrame } from "../../../protocol/calls";
import { answer, refusal } from "../../../protocol/internal";
import { historyEntry, matches } from "../../domain/calls";
import { MemoryWorld, type MemoryRoom } from "../../../test/support/memory-host";
import { userRoom } from "./room";
import { valueOf as ok } from "../../../test/support/answers";

const NAMES = [
  { id: "bruno", name: "Bruno Lima" },
  { id: "carla", name: "Carla Dias" },
  { id: "joao", name: "João Pereira" },
];
let world: MemoryWorld;
let room: MemoryRoom<"user">;

beforeEach(() => {
  world = new MemoryWorld({ user: userRoom });
  world.stubs.set("directory.contacts", () => answer({ users: NAMES as never }));
  for (const r of ["hub.kick", "drafts.kick", "chat.kick", "hub.toUser"] as const)
    world.stubs.set(r, () => answer({ closed: 0, delivered: 0 }));
  room = world.room("user", "demo.ana");
});

describe("issue 12.3 sessions", () => {
  it("a session refreshes with its secret and the user's current version, and ends for good when signed out", async () => {
    const { sid, secret } = await ok(room.rpc("user.sessionCreate", { sessionVersion: 1, agent: "teste", address: "127.0.0.1" }));
    expect((await room.rpc("user.sessionAlive", { sid })).ok).toBe(true);
    expect((await room.rpc("user.sessionRefresh", { sid, secret, sessionVersion: 1 })).ok).toBe(true);
    expect(await room.rpc("user.sessionRefresh", { sid, secret: "x".repeat(43), sessionVersion: 1 })).toMatchObject({
      ok: false,
      code: "unauthorized",
    });
    expect(await ok(room.rpc("user.sessionEnd", { sid }))).toEqual({ ended: true });
    expect((await room.rpc("user.sessionAlive", { sid })).ok).toBe(false);
    expect((await room.rpc("user.sessionRefresh", { sid, secret, sessionVersion: 1 })).ok).toBe(false);
    // Its sockets were closed wherever they were: the hub, the drafts doc and every chat in the list.
    expect(
      world.calls
        .filter((c) => c.route.endsWith(".kick"))
        .map((c) => c.route)
        .sort(),
    ).toEqual(["drafts.kick", "hub.kick"]);
  });

  it("a session opened before the user's version moved on (password changed, signed out everywhere) cannot refresh", async () => {
    const { sid, secret } = await ok(room.rpc("user.sessionCreate", { sessionVersion: 1, agent: "", address: "" }));
    expect(await room.rpc("user.sessionRefresh", { sid, secret, sessionVersion: 2 })).toMatchObject({ ok: false });
    expect((await room.rpc("user.sessionAlive", { sid })).ok).toBe(false);
  });

  it("ending every session closes them all and kicks the user's sockets in every chat of their list", async () => {
    const a = await ok(room.rpc("user.sessionCreate", { sessionVersion: 1, agent: "", address: "" }));
    const b = await ok(room.rpc("user.sessionCreate", { sessionVersion: 1, agent: "", address: "" }));
    await room.rpc("user.listAdd", { chatId: "dm.ana.bruno" });
    await room.rpc("user.listAdd", { chatId: "g.abcdefgh12345678" });
    expect(await ok(room.rpc("user.sessionEndAll", { reason: "password" }))).toEqual({ ended: 2 });
    for (const s of [a, b]) expect((await room.rpc("user.sessionAlive", { sid: s.sid })).ok).toBe(false);
    expect(
      world.calls
        .filter((c) => c.route === "chat.kick")
        .map((c) => c.roomId)
        .sort(),
    ).toEqual(["demo.dm.ana.bruno", "demo.g.abcdefgh12345678"]);
  });
});

describe("issue 12.1 one-time tickets", () => {
  it("a ticket works once, within its 30 seconds, for a live session only", async () => {
    const { sid } = await ok(room.rpc("user.sessionCreate", { sessionVersion: 1, agent: "", address: "" }));
    const { ticket } = await ok(room.rpc("user.ticketIssue", { sid, purpose: "sip" }));
    const secret = ticket.split(".").at(-1)!;
    expect(ticket.startsWith("demo.ana.")).toBe(true);
    expect(await ok(room.rpc("user.ticketRedeem", { secret, purpose: "sip" }))).toEqual({ sid });
    expect((await room.rpc("user.ticketRedeem", { secret, purpose: "sip" })).ok).toBe(false);
    const late = (await ok(room.rpc("user.ticketIssue", { sid, purpose: "sip" }))).ticket.split(".").at(-1)!;
    world.now += 31_000;
    expect((await room.rpc("user.ticketRedeem", { secret: late, purpose: "sip" })).ok).toBe(false);
    const ended = (await ok(room.rpc("user.ticketIssue", { sid, purpose: "sip" }))).ticket.split(".").at(-1)!;
    await room.rpc("user.sessionEnd", { sid });
    expect((await room.rpc("user.ticketRedeem", { secret: ended, purpose: "sip" })).ok).toBe(false);
  });
});

describe("R6 the list", () => {
  it("a snapshot asks each chat how it stands now, keeps what an unreachable chat said last, and drops chats the user left", async () => {
    const summary = (chatId: string, rev: number) => ({
      chatId,
      kind: "group" as const,
      name: chatId,
      imageFileId: null,
      lastMessage: null,
      unread: 0,
      lastUnreadAt: null,
      mentioned: false,
      rev,
    });
    for (const c of ["g.aaaaaaaaaaaaaaaa", "g.bbbbbbbbbbbbbbbb", "g.cccccccccccccccc"]) await room.rpc("user.listAdd", { chatId: c });
    let reachable = true;
    world.stubs.set("chat.summary", (roomId) => {
      const chatId = roomId.slice("demo.".length);
      if (chatId === "g.cccccccccccccccc") return answer({ member: false, summary: null });
      if (chatId === "g.bbbbbbbbbbbbbbbb" && !reachable) return refusal("unavailable", "fora");
      return answer({ member: true, summary: summary(chatId, 3) });
    });
    const first = (await ok(room.rpc("user.snapshot", {}))).conversations;
    expect(first.map((c) => c.chatId).sort()).toEqual(["g.aaaaaaaaaaaaaaaa", "g.bbbbbbbbbbbbbbbb"]);
    reachable = false;
    const second = (await ok(room.rpc("user.snapshot", {}))).conversations;
    expect(second.map((c) => c.chatId).sort()).toEqual(["g.aaaaaaaaaaaaaaaa", "g.bbbbbbbbbbbbbbbb"]);
    // The list already had rev 3: the chats were asked with it.
    expect(world.calls.filter((c) => c.route === "chat.summary").at(-1)!.body).toMatchObject({ knownRev: 3 });
  });
});

function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function randomRecord(rand: () => number, i: number): CallRecord {
  const pick = Math.floor(rand() * 5);
  const other = pick < 3 ? { userId: NAMES[pick]!.id, number: `200${pick}` } : { userId: null, number: `+55113000${pick}${i % 10}` };
  const out = rand() < 0.5;
  const answered = rand() < 0.6;
  const endedAt = 1_700_000_000_000 + Math.floor(rand() * 50) * 1000;
  return {
    callId: `call-${i}@h`,
    tenant: "demo",
    caller: out ? { userId: "ana", number: "2001" } : other,
    callee: out ? other : { userId: "ana", number: "2001" },
    parties: [{ userId: "ana", direction: out ? "outbound" : "inbound" }],
    answered,
    startedAt: endedAt - 5000,
    answeredAt: answered ? endedAt - 4000 : null,
    endedAt,
    endReason: answered ? "caller-hangup" : "cancelled",
  };
}

describe("R25–R28 call log", () => {
  it("R27: a retried report is stored once and reaches the user's apps once; a record for someone else is refused", async () => {
    const r = randomRecord(rng(1), 1);
    expect(await ok(room.rpc("user.callStore", { record: r }))).toMatchObject({ stored: true, entry: { callId: r.callId } });
    expect(await ok(room.rpc("user.callStore", { record: r }))).toEqual({ stored: false, entry: null });
    await world.settle();
    expect(world.calls.filter((c) => c.route === "hub.toUser")).toHaveLength(1);
    const other = await room.rpc("user.callStore", { record: { ...r, callId: "x", parties: [{ userId: "bruno", direction: "inbound" }] } });
    expect(other).toMatchObject({ ok: false, code: "invalid_body", field: "parties" });
    expect(await room.rpc("user.callStore", { record: { ...r, callId: 5 } as never })).toMatchObject({ ok: false, code: "invalid_body" });
    expect(room.storage.one("SELECT count(*) AS n FROM calls")).toEqual({ n: 1 });
  });

  it("R27, R28: paging any filter and search equals sorting and filtering all records from scratch", async () => {
    const rand = rng(7);
    const records: CallRecord[] = [];
    for (let i = 0; i < 300; i++) {
      const r = randomRecord(rand, i);
      records.push(r);
      await room.rpc("user.callStore", { record: r });
      if (rand() < 0.1) await room.rpc("user.callStore", { record: r });
    }
    const nameOf = (id: string) => NAMES.find((n) => n.id === id)?.name;
    const all = records.map((r) => historyEntry(r, "ana")!).sort((a, b) => b.endedAt - a.endedAt || (a.callId < b.callId ? 1 : -1));
    const filters: CallFilter[] = ["all", "answered", "initiated", "missed"];
    world.now = 1_700_000_100_000;
    for (const query of ["", "carla", "joão", "3000", "zz"]) {
      for (const filter of filters) {
        const want = all.filter((e) => matches(e, filter, query, nameOf));
        const got: CallHistoryEntry[] = [];
        let before: string | undefined;
        const limit = 1 + Math.floor(rand() * 40);
        for (let pages = 0; pages < 400; pages++) {
          const page = (await ok(room.rpc("user.callPage", { filter, query, ...(before ? { before } : {}), limit }))) as Extract<
            CallsServerFrame,
            { type: "calls.page" }
          >;
          expect(page.entries.length).toBeLessThanOrEqual(limit);
          expect(page.frequent !== undefined).toBe(before === undefined);
          got.push(...page.entries);
          if (!page.next) break;
          before = page.next;
        }
        expect(got.map((e) => e.callId)).toEqual(want.map((e) => e.callId));
      }
    }
  });
});
