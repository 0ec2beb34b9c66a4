/**
 * The company's hub through our own seams: presence from the apps' sockets with
 * its grace periods (R5; the alarm stands in for time), the live list — one
 * call per chat change delivered to the members with an app open, older
 * summaries never replacing newer ones, a left group never coming back (R6,
 * R17) — and the shared encoding that keeps a big group's fan-out cheap.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { answer } from "../../../protocol/internal";
import type { SummaryBase } from "../../../protocol/internal";
import { LEAVE_GRACE_MS, PRESENCE_GRACE_MS } from "../../domain/presence";
import { MemoryWorld, type MemoryRoom, type MemorySocket } from "../../../test/support/memory-host";
import { hubRoom, memberSummary } from "./room";

const who = (userId: string, n = 1) => ({ userId, tenant: "acme", sid: `sessao-${userId}-00000${n}` });
let world: MemoryWorld;
let hub: MemoryRoom<"hub">;

beforeEach(() => {
  world = new MemoryWorld({ hub: hubRoom });
  world.stubs.set("user.snapshot", () => answer({ conversations: [] }));
  hub = world.room("hub", "acme.0");
});

const presence = (s: MemorySocket, userId: string) =>
  s
    .frames()
    .filter((f) => f.type === "presence.update" && f.userId === userId)
    .map((f) => f.online);

async function passTime(ms: number) {
  world.now += ms;
  await hub.fireAlarm();
}

describe("R5 presence", () => {
  it("several apps are one presence; the last one closing turns the user off-line after the grace period, a reload never", async () => {
    const carla = await hub.connect(who("carla"));
    const tab1 = await hub.connect(who("eva"));
    const tab2 = await hub.connect(who("eva", 2));
    expect(presence(carla, "eva")).toEqual([true]);
    await hub.disconnect(tab1);
    await passTime(PRESENCE_GRACE_MS + 1);
    expect(presence(carla, "eva")).toEqual([true]);
    // A reload: the last tab goes and a new one comes within the grace period.
    await hub.disconnect(tab2);
    await passTime(1000);
    const tab3 = await hub.connect(who("eva", 3));
    await passTime(PRESENCE_GRACE_MS);
    expect(presence(carla, "eva")).toEqual([true]);
    // A tab that says it is closing goes off-line after the short grace only.
    await hub.message(tab3, { type: "presence.leave" });
    await hub.disconnect(tab3);
    await passTime(LEAVE_GRACE_MS - 1);
    expect(presence(carla, "eva")).toEqual([true]);
    await passTime(2);
    expect(presence(carla, "eva")).toEqual([true, false]);
  });

  it("a newcomer's snapshot lists who is on-line, themselves included, before anything else", async () => {
    await hub.connect(who("ana"));
    const bruno = await hub.connect(who("bruno"));
    expect(bruno.frames()[0]).toEqual({ type: "presence.snapshot", online: expect.arrayContaining(["ana", "bruno"]) });
  });

  it("a socket silent for three ping intervals is closed and its user goes off-line", async () => {
    const carla = await hub.connect(who("carla"));
    const gone = await hub.connect(who("davi"));
    for (let i = 0; i < 4; i++) {
      await passTime(30_000);
      await hub.message(carla, { type: "presence.ping" });
    }
    expect(gone.frames().some((f) => f.type === "presence.check")).toBe(true);
    expect(gone.closedWith?.code).toBe(4000);
    await passTime(PRESENCE_GRACE_MS + 1);
    expect(presence(carla, "davi")).toEqual([true, false]);
    expect(carla.closedWith).toBeNull();
  });
});

describe("R6/R20 live lists", () => {
  const base = (rev: number, text: string): SummaryBase => ({
    chatId: "g.abcdefgh12345678",
    kind: "group",
    name: "Plantão",
    imageFileId: null,
    lastMessage: { seq: rev, senderId: "ana", text, createdAt: rev },
    rev,
  });

  it("one call reaches every member with an app open, each with their own unread count, and nobody else", async () => {
    const ana = await hub.connect(who("ana"));
    const bruno = await hub.connect(who("bruno"));
    const res = await hub.rpc("hub.chatChanged", {
      base: base(5, "oi"),
      members: [
        ["ana", 0, null, false],
        ["bruno", 2, 5, false],
        ["carla", 1, 5, false],
      ],
    });
    expect(res).toEqual({ ok: true, value: { delivered: 2, reached: ["ana", "bruno"] } });
    expect(ana.frames().at(-1)).toMatchObject({ type: "inbox.update", conversation: { unread: 0, name: "Plantão", rev: 5 } });
    expect(bruno.frames().at(-1)).toMatchObject({ type: "inbox.update", conversation: { unread: 2, lastUnreadAt: 5 } });
  });

  it("an older summary never replaces a newer one, and a group the user left does not come back", async () => {
    const ana = await hub.connect(who("ana"));
    await hub.rpc("hub.chatChanged", { base: base(7, "novo"), members: [["ana", 1, 7, false]] });
    await hub.rpc("hub.chatChanged", { base: base(6, "velho"), members: [["ana", 0, null, false]] });
    const updates = ana.frames().filter((f) => f.type === "inbox.update");
    expect(updates.map((u) => u.conversation.rev)).toEqual([7]);
    await hub.rpc("hub.listRemove", { userIds: ["ana"], chatId: "g.abcdefgh12345678" });
    expect(ana.frames().at(-1)).toEqual({ type: "inbox.remove", chatId: "g.abcdefgh12345678" });
    await hub.rpc("hub.chatChanged", { base: base(7, "novo"), members: [["ana", 1, 7, false]] });
    const second = await hub.connect(who("ana", 2));
    const snapshot = second.frames().find((f) => f.type === "inbox.snapshot");
    expect(snapshot.conversations).toEqual([]);
  });

  it("a big group's update goes out a slice of members at a time, so other frames get through in between", async () => {
    const apps: MemorySocket[] = [];
    for (let i = 0; i < 100; i++) apps.push(await hub.connect(who(`m${i}`)));
    const got = (s: MemorySocket) => s.frames().some((f) => f.type === "inbox.update");
    const pushing = hub.rpc("hub.chatChanged", {
      base: base(9, "plantão amanhã"),
      members: apps.map((_, i) => [`m${i}`, 1, 9, false] as [string, number, number, boolean]),
    });
    while (!got(apps[0]!)) await new Promise((r) => setImmediate(r));
    // The first slice is out and the process is free for other work before the rest goes.
    expect(apps.filter(got).length).toBeLessThan(apps.length);
    expect(await pushing).toMatchObject({ ok: true, value: { delivered: 100 } });
    expect(apps.filter(got).length).toBe(apps.length);
  });

  it("a DM names each member's peer", () => {
    const dm: SummaryBase = { chatId: "dm.ana.bruno", kind: "direct", members: ["ana", "bruno"], lastMessage: null, rev: 1 };
    expect(memberSummary(dm, ["ana", 0, null, false])).toMatchObject({ kind: "direct", peerId: "bruno" });
    expect(memberSummary(dm, ["bruno", 3, 9, false])).toMatchObject({ kind: "direct", peerId: "ana", unread: 3, lastUnreadAt: 9 });
  });
});
