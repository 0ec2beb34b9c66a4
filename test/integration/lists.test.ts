/**
 * Issue 15 against the real runtime: the members' lists are derived state that
 * cannot drift. A 50-member group and a few DMs go through a seeded random run
 * of sends, reads from two devices, deletes, leaves and re-adds; some members
 * keep the app open the whole time (their list lives on live updates), some
 * close it half-way and come back at the end (their list is rebuilt from the
 * chats on arrival). After the dust settles, every member's list — the one
 * updated live and a fresh snapshot — matches a recomputation from the log and
 * the stored read cursors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { cid, http, openChat, openHub, provision, type Client, type Json } from "../support/clients";

const N = 50;
const people = Array.from({ length: N }, (_, i) => `p${String(i).padStart(2, "0")}`);
let server: TestServer;
let tokens: Record<string, string>;
const sockets: Client[] = [];

beforeAll(async () => {
  server = await startTestServer();
  tokens = await provision(server.base, server.adminKey!, "acme", people);
});

afterAll(async () => {
  await Promise.allSettled(sockets.map((s) => s.close(1000)));
  await server?.stop();
});

/** The newest summary of each chat a hub socket was told about (snapshot, updates, removals). */
function listOf(hub: Client): Map<string, Json> {
  const list = new Map<string, Json>();
  for (const f of hub.frames) {
    if (f.type === "inbox.snapshot") {
      list.clear();
      for (const c of f.conversations) list.set(c.chatId, c);
    } else if (f.type === "inbox.update" && (list.get(f.conversation.chatId)?.rev ?? -1) <= f.conversation.rev)
      list.set(f.conversation.chatId, f.conversation);
    else if (f.type === "inbox.remove") list.delete(f.chatId);
  }
  return list;
}

async function wholeLog(chatId: string, reader: string): Promise<{ log: Json[]; cursors: Record<string, number> }> {
  const { client, ready } = await openChat(server.wsBase, `acme.${chatId}`, tokens[reader]!);
  let log: Json[] = ready.messages;
  let more = ready.hasMore;
  while (more) {
    const before = log[0]!.seq;
    client.send({ type: "history.fetch", before, limit: 100 });
    const page = await client.next((f) => f.type === "history.page" && f.before === before);
    log = [...page.messages, ...log];
    more = page.hasMore;
  }
  await client.close();
  return { log, cursors: ready.readCursors };
}

function expected(log: Json[], cursors: Record<string, number>, p: string): { unread: number; lastUnreadAt: number | null; last: number } {
  const joined = Math.max(
    0,
    ...log
      .filter((m) => (m.system?.kind === "added" && m.system.targets.includes(p)) || (m.system?.kind === "created" && m.system.actor === p))
      .map((m) => m.seq),
  );
  const sent = Math.max(0, ...log.filter((m) => !m.system && m.senderId === p).map((m) => m.seq));
  const from = Math.max(cursors[p] ?? 0, joined, sent);
  const unread = log.filter((m) => m.seq > from && !m.system && !m.deleted && m.senderId !== p);
  return { unread: unread.length, lastUnreadAt: unread.at(-1)?.createdAt ?? null, last: log.at(-1)?.seq ?? 0 };
}

describe("issue 15 lists that never drift", () => {
  it("issue 15: 50 members, random sends, reads, deletes, leaves and re-adds: every list (live and fresh) matches the log", async () => {
    const created = await http(`${server.base}/api/tenants/acme/groups`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens.p00}` },
      body: JSON.stringify({ name: "Todos", members: people.slice(1) }),
    });
    expect(created.status, created.text).toBe(201);
    const groupId = created.body.chatId as string;
    const dms = ["dm.p00.p01", "dm.p01.p02", "dm.p02.p03"];
    const hubs = new Map<string, Client>();
    for (const p of people) {
      const { client } = await openHub(server.wsBase, "acme", tokens[p]!);
      sockets.push(client);
      hubs.set(p, client);
    }
    const chats = new Map<string, Client[]>();
    const chatOf = async (p: string, chatId: string): Promise<Client[]> => {
      const key = `${p}/${chatId}`;
      let c = chats.get(key);
      if (!c) {
        c = [
          (await openChat(server.wsBase, `acme.${chatId}`, tokens[p]!)).client,
          (await openChat(server.wsBase, `acme.${chatId}`, tokens[p]!)).client,
        ];
        sockets.push(...c);
        chats.set(key, c);
      }
      return c;
    };
    const inGroup = new Set(people);
    const mine = new Map<string, { chatId: string; seq: number }[]>();
    let seed = 20261128;
    const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const lastSeq = new Map<string, number>([[groupId, 2]]);
    const counts = { send: 0, read: 0, delete: 0, leave: 0, add: 0 };
    for (let step = 0; step < 220; step++) {
      if (step === 110) for (const p of people.slice(40)) await hubs.get(p)!.close();
      const chatId = rnd() < 0.75 ? groupId : pick(dms);
      const members = chatId === groupId ? [...inGroup] : chatId.split(".").slice(1);
      const p = pick(members);
      const [d1, d2] = await chatOf(p, chatId);
      const r = rnd();
      if (r < 0.5) {
        const clientId = cid();
        d1!.send({ type: "message.send", clientId, text: `passo ${step} de ${p}` });
        const ack = await d1!.next((f) => (f.type === "message.ack" || f.type === "error") && f.clientId === clientId, 15_000);
        expect(ack.type, JSON.stringify(ack)).toBe("message.ack");
        mine.set(p, [...(mine.get(p) ?? []), { chatId, seq: ack.message.seq }]);
        lastSeq.set(chatId, ack.message.seq);
        counts.send++;
      } else if (r < 0.78) {
        const top = lastSeq.get(chatId) ?? 0;
        d1!.send({ type: "read.mark", seq: Math.floor(rnd() * (top + 1)) });
        d2!.send({ type: "read.mark", seq: Math.floor(rnd() * (top + 1)) });
        counts.read++;
      } else if (r < 0.88) {
        const own = (mine.get(p) ?? []).filter((m) => m.chatId === chatId);
        if (!own.length) continue;
        const target = pick(own);
        mine.set(
          p,
          (mine.get(p) ?? []).filter((m) => m !== target),
        );
        d1!.send({ type: "message.delete", seq: target.seq });
        await d1!.next((f) => f.type === "message.updated" && f.message.seq === target.seq, 15_000);
        counts.delete++;
      } else if (chatId === groupId && r < 0.94 && p !== "p00") {
        d1!.send({ type: "group.leave" });
        await d1!.closed;
        chats.delete(`${p}/${chatId}`);
        inGroup.delete(p);
        counts.leave++;
      } else if (chatId === groupId) {
        const out = people.filter((x) => !inGroup.has(x));
        if (!out.length) continue;
        const q = pick(out);
        const [admin] = await chatOf("p00", groupId);
        admin!.send({ type: "group.add", userIds: [q] });
        const line = await admin!.next(
          (f) => f.type === "message.new" && f.message.system?.kind === "added" && f.message.system.targets.includes(q),
          15_000,
        );
        lastSeq.set(groupId, line.message.seq);
        inGroup.add(q);
        counts.add++;
      }
    }
    for (const [op, n] of Object.entries(counts)) expect(n, op).toBeGreaterThan(0);
    // The dust settles: the members who closed the app come back.
    for (const p of people.slice(40)) {
      const { client } = await openHub(server.wsBase, "acme", tokens[p]!);
      sockets.push(client);
      hubs.set(p, client);
    }
    const logs = new Map<string, { log: Json[]; cursors: Record<string, number> }>();
    logs.set(groupId, await wholeLog(groupId, "p00"));
    for (const dm of dms) logs.set(dm, await wholeLog(dm, dm.split(".")[1]!));
    for (const p of people) {
      const want = new Map<string, { unread: number; lastUnreadAt: number | null; last: number }>();
      if (inGroup.has(p)) want.set(groupId, expected(logs.get(groupId)!.log, logs.get(groupId)!.cursors, p));
      for (const dm of dms)
        if (dm.split(".").includes(p) && logs.get(dm)!.log.length) want.set(dm, expected(logs.get(dm)!.log, logs.get(dm)!.cursors, p));
      const shown = (list: Map<string, Json>) =>
        Object.fromEntries(
          [...list]
            .filter(([chatId]) => chatId === groupId || dms.includes(chatId))
            .map(([chatId, c]) => [chatId, { unread: c.unread, lastUnreadAt: c.lastUnreadAt, last: c.lastMessage?.seq ?? 0 }]),
        );
      // The list the app holds, updated live…
      await expect.poll(() => shown(listOf(hubs.get(p)!)), { timeout: 15_000, interval: 200 }).toEqual(Object.fromEntries(want));
      // …and the one a fresh app gets.
      const { client, inbox } = await openHub(server.wsBase, "acme", tokens[p]!);
      const fresh = new Map<string, Json>(inbox.conversations.map((c: Json) => [c.chatId, c]));
      expect(shown(fresh), p).toEqual(Object.fromEntries(want));
      await client.close();
    }
  }, 240_000);
});
