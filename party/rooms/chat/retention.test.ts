/**
 * Retention in the chat room through the in-memory host (issue 18.6): the
 * company's days reach the room, its alarm removes the expired prefix of the
 * log in batches (with files and quotes), the log's start is kept, and every
 * member's unread count equals a recomputation over what is left, before and
 * after, with deletes and reads mixed in.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Message } from "../../../protocol/chat";
import { answer } from "../../../protocol/internal";
import { readConfig } from "../../runtime/config";
import { chatWorld, sendText } from "../../../test/support/chat-world";
import type { MemoryRoom, MemoryWorld } from "../../../test/support/memory-host";

const DAY = 1000;
const who = (userId: string) => ({ userId, tenant: "acme", sid: `sessao-${userId}-000001` });
let world: MemoryWorld;
const forgotten: { chatId: string; seq: number }[] = [];

beforeEach(() => {
  world = chatWorld(
    readConfig({
      CONVERSAS_SESSION_SECRET: "memory-host-session-secret",
      CONVERSAS_ADMIN_KEY: "memory-host-admin-key",
      CONVERSAS_RATE_SEND: "1000000/1000000",
      CONVERSAS_RATE_READ: "1000000/1000000",
      CONVERSAS_RETENTION_DAY_MS: String(DAY),
    }),
  );
  forgotten.length = 0;
  world.stubs.set("search.forgetBefore", (_room, body) => {
    forgotten.push(body as { chatId: string; seq: number });
    return answer({ removed: 0 });
  });
  world.stubs.set("tenant.chatSeen", () => answer({ added: true }));
  world.stubs.set("tenant.get", () => answer({ company: null, settings: { retentionDays: null }, sso: null }));
});

let n = 0;
const cid = () => `cliente-${++n}`.padEnd(8, "0");

const send = sendText;

async function unread(room: MemoryRoom<"chat">, userId: string): Promise<number> {
  const res = await room.rpc("chat.summary", { userId });
  if (!res.ok) throw new Error(res.message);
  return res.value.summary?.unread ?? 0;
}

/** The count recomputed from what is stored: others' messages after the member's read point, not deleted. */
function expected(room: MemoryRoom<"chat">, userId: string, readSeq: number): number {
  const rows = room.storage.all<{ seq: number; sender: string; deleted: number; counted: number }>(
    "SELECT seq, sender, deleted, counted FROM messages",
  );
  const ownLast = Math.max(0, ...rows.filter((r) => r.sender === userId && r.counted === 1).map((r) => r.seq));
  const from = Math.max(readSeq, ownLast);
  return rows.filter((r) => r.seq > from && r.counted === 1 && r.deleted === 0 && r.sender !== userId).length;
}

/** Lets the room's alarms run (the clock moves on a little each time, as time would). */
async function expire(room: MemoryRoom<"chat">): Promise<void> {
  await world.settle();
  for (let i = 0; i < 50; i++) {
    world.now += 200;
    if (!(await room.fireAlarm())) break;
    await world.settle();
  }
  await world.settle();
}

describe("issue 18.6 retention in the chat room", () => {
  it("18.6: the expired prefix goes in batches; unread counts match a recomputation and seqs go on", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"));
    const bruno = await room.connect(who("bruno"));
    // 450 old messages (more than two batches), some deleted, bruno read part of them.
    for (let i = 1; i <= 450; i++) {
      await send(room, i % 7 === 0 ? bruno : ana, `velha ${i}`);
      world.now += 1;
    }
    for (const seq of [10, 20, 30]) await room.message(ana, { type: "message.delete", seq });
    await room.message(bruno, { type: "read.mark", seq: 100 });
    world.now += 10 * DAY;
    for (let i = 1; i <= 5; i++) await send(room, ana, `nova ${i}`);
    await room.message(ana, { type: "message.delete", seq: 452 });
    await world.settle();
    expect(await unread(room, "bruno")).toBe(expected(room, "bruno", 100));

    const set = await room.rpc("chat.retention", { days: 5 });
    expect(set.ok).toBe(true);
    expect(room.alarmAt).not.toBeNull();
    await expire(room);

    const left = room.storage.all<{ seq: number }>("SELECT seq FROM messages ORDER BY seq").map((r) => r.seq);
    expect(left).toEqual([451, 452, 453, 454, 455]);
    expect(await unread(room, "bruno")).toBe(4);
    expect(await unread(room, "bruno")).toBe(expected(room, "bruno", 100));
    expect(await unread(room, "ana")).toBe(0);
    expect(forgotten.at(-1)).toEqual({ chatId: "dm.ana.bruno", seq: 450 });
    expect(room.storage.one<{ value: string }>("SELECT value FROM chat_kv WHERE key = 'forget'")).toBeNull();
    const next = await send(room, bruno, "depois");
    expect(next.seq).toBe(456);
    expect(await unread(room, "ana")).toBe(1);
    expect(await unread(room, "bruno")).toBe(0);
    await room.message(ana, { type: "read.mark", seq: 456 });
    expect(await unread(room, "ana")).toBe(0);
    expect(await unread(room, "ana")).toBe(expected(room, "ana", 456));
    // A reconnecting member sees the log from where it now starts.
    const again = await room.connect(who("bruno"));
    expect(again.frames()[0]).toMatchObject({ type: "chat.ready", lastSeq: 456, hasMore: false });
    expect(again.frames()[0].messages[0].seq).toBe(451);
  });

  it("18.6: files of expired messages go from the store and the records; replies lose their quote", async () => {
    const room = world.room("chat", "acme.dm.ana.bruno");
    const ana = await room.connect(who("ana"));
    const bruno = await room.connect(who("bruno"));
    const up = await room.request(
      new Request("https://x/parties/chat/acme.dm.ana.bruno/files", {
        method: "POST",
        headers: { "content-type": "text/plain", "content-length": "5", "x-file-name": "a.txt" },
        body: "hello",
      }),
      who("ana"),
    );
    const fileId = ((await up.json()) as { attachment: { fileId: string } }).attachment.fileId;
    await room.message(ana, { type: "message.send", clientId: cid(), text: "", fileId });
    world.now += 10 * DAY;
    await room.message(bruno, { type: "message.send", clientId: cid(), text: "recebi", replyTo: 1 });
    expect(world.files.objects.size).toBe(1);
    await room.rpc("chat.retention", { days: 5 });
    await expire(room);
    expect(world.files.objects.size).toBe(0);
    expect(room.storage.one("SELECT 1 FROM files")).toBeNull();
    const reply = JSON.parse(room.storage.one<{ body: string }>("SELECT body FROM messages WHERE seq = 2")!.body) as Message;
    expect(reply.replyTo).toMatchObject({ seq: 1, deleted: true, snippet: "" });
  });

  it("18.6: without a retention nothing goes; once one is set, the due messages go", async () => {
    const other = world.room("chat", "acme.dm.ana.carla");
    const s = await other.connect(who("ana"));
    await send(other, s, "dois");
    world.now += 3 * DAY;
    await other.rpc("chat.retention", { days: null });
    await expire(other);
    expect(other.storage.one<{ n: number }>("SELECT count(*) AS n FROM messages")!.n).toBe(1);
    await other.rpc("chat.retention", { days: 2 });
    await expire(other);
    expect(other.storage.one<{ n: number }>("SELECT count(*) AS n FROM messages")!.n).toBe(0);
  });
});
