/**
 * Issue 5 against the real runtime: presence (R5) from the apps' sockets to the
 * company's hub, unread counts (R6, R20) read off the log and the read cursors —
 * including a randomized run over real sockets compared with a recomputation
 * from the log — and the smart search's "Mensagens" (R12), which only ever
 * returns what the user can see now.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cid, http, open, openChat, provision, putUser, roomUrl, userBody, type Client, type Json } from "../support/clients";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let tokens: Record<string, string>;
let globex: Record<string, string>;
const sockets: Client[] = [];

beforeAll(async () => {
  server = await startTestServer();
  tokens = await provision(server.base, server.adminKey!, "acme", ["ana", "bruno", "carla", "davi", "eva", "fabio"]);
  globex = await provision(server.base, server.adminKey!, "globex", ["ana", "bruno"]);
});

afterAll(async () => {
  await Promise.all(sockets.map((s) => s.close(1000)));
  await server?.stop();
});

async function track<T extends Client>(c: Promise<T>): Promise<T> {
  const client = await c;
  sockets.push(client);
  return client;
}
/** An open app: its socket to the company's hub (presence, list, search). */
const userSocket = (user: string, tks = tokens, tenant = "acme") => track(open(roomUrl(server.wsBase, "hub", tenant), tks[user]!));
/** Someone watching presence: their app's socket too. */
const directory = (user: string) => userSocket(user);
async function chat(user: string, chatId: string, tks = tokens, tenant = "acme") {
  const r = await openChat(server.wsBase, `${tenant}.${chatId}`, tks[user]!);
  sockets.push(r.client);
  return r;
}
async function send(c: Client, text: string): Promise<Json> {
  const clientId = cid();
  c.send({ type: "message.send", clientId, text });
  const ack = await c.next((f) => (f.type === "message.ack" || f.type === "error") && f.clientId === clientId, 10_000, "ack");
  expect(ack.type, JSON.stringify(ack)).toBe("message.ack");
  return ack.message;
}
async function newGroup(creator: string, members: string[], name: string): Promise<string> {
  const res = await http(`${server.base}/api/tenants/acme/groups`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${tokens[creator]}` },
    body: JSON.stringify({ name, members }),
  });
  expect(res.status, res.text).toBe(201);
  return res.body.chatId;
}
/** The newest summary of `chatId` a user socket has received (snapshot or update). */
function summaryIn(c: Client, chatId: string): Json | undefined {
  for (let i = c.frames.length - 1; i >= 0; i--) {
    const f = c.frames[i]!;
    if (f.type === "inbox.update" && f.conversation.chatId === chatId) return f.conversation;
    if (f.type === "inbox.snapshot") return f.conversations.find((x: Json) => x.chatId === chatId);
  }
  return undefined;
}
const presenceOf = (c: Client, userId: string) =>
  c.next((f) => f.type === "presence.update" && f.userId === userId, 15_000, `presence of ${userId}`);

describe("R5 presence", () => {
  it("several tabs count as one presence; closing the last tab turns the user off-line within a second", async () => {
    const watcher = await directory("carla");
    const snapshot = await watcher.nextOfType("presence.snapshot");
    expect(snapshot.online).not.toContain("eva");
    const tab1 = await userSocket("eva");
    expect(await presenceOf(watcher, "eva")).toMatchObject({ online: true });
    const tab2 = await userSocket("eva");
    await tab2.nextOfType("inbox.snapshot");
    await tab1.close();
    // Tab 2 still holds the presence: no off-line while it is open.
    await new Promise((r) => setTimeout(r, 1500));
    expect(watcher.frames.filter((f) => f.type === "presence.update" && f.userId === "eva")).toHaveLength(1);
    // A late watcher sees the user on-line in its snapshot.
    const late = await directory("davi");
    expect((await late.nextOfType("presence.snapshot")).online).toContain("eva");
    const closedAt = Date.now();
    tab2.send({ type: "presence.leave" });
    await tab2.close();
    expect(await presenceOf(watcher, "eva")).toMatchObject({ online: false });
    expect(Date.now() - closedAt).toBeLessThan(1000);
    expect(await presenceOf(late, "eva")).toMatchObject({ online: false });
  });

  it("a dropped connection goes off-line only after the grace period, and a quick reconnect never shows off-line", async () => {
    const watcher = await directory("carla");
    await watcher.nextOfType("presence.snapshot");
    const tab = await userSocket("fabio");
    await presenceOf(watcher, "fabio");
    // A blip: the connection dies without a close frame and comes back at once.
    tab.ws.terminate();
    const again = await userSocket("fabio");
    await again.nextOfType("inbox.snapshot");
    await new Promise((r) => setTimeout(r, 6500));
    expect(watcher.frames.filter((f) => f.type === "presence.update" && f.userId === "fabio")).toHaveLength(1);
    // Now it drops for good: off-line after the grace period (5 s), not before.
    const droppedAt = Date.now();
    again.ws.terminate();
    expect(await presenceOf(watcher, "fabio")).toMatchObject({ online: false });
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(4500);
  });

  it("a user disabled by the admin goes off-line at once and stops watching the company", async () => {
    const gil = await provision(server.base, server.adminKey!, "acme", ["gil"]);
    const watcher = await directory("carla");
    await watcher.nextOfType("presence.snapshot");
    const tab = await userSocket("gil", gil);
    const gilWatching = await userSocket("gil", gil);
    await gilWatching.nextOfType("presence.snapshot");
    expect(await presenceOf(watcher, "gil")).toMatchObject({ online: true });
    const res = await putUser(server.base, server.adminKey!, "acme", "gil", userBody("gil", { enabled: false }));
    expect(res.status, res.text).toBe(200);
    expect((await tab.closed).code).toBe(4010);
    expect((await gilWatching.closed).code).toBe(4010);
    const t0 = Date.now();
    expect(await presenceOf(watcher, "gil")).toMatchObject({ online: false });
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it("a watcher must be signed in to the same company", async () => {
    const { upgradeStatus } = await import("../support/clients");
    expect(await upgradeStatus(roomUrl(server.wsBase, "hub", "acme"), null)).toBe(401);
    expect(await upgradeStatus(roomUrl(server.wsBase, "hub", "acme"), globex.ana!)).toBe(403);
  });
});

describe("R6/R20 unread counts", () => {
  it("count the others' messages, go down on read on every device, and never count deleted ones", async () => {
    const chatId = "dm.ana.bruno";
    const { client: ana } = await chat("ana", chatId);
    const phone = await userSocket("bruno");
    const laptop = await userSocket("bruno");
    await Promise.all([phone.nextOfType("inbox.snapshot"), laptop.nextOfType("inbox.snapshot")]);
    const sent = [await send(ana, "um"), await send(ana, "dois"), await send(ana, "três")];
    for (const device of [phone, laptop])
      await expect
        .poll(() => summaryIn(device, chatId), { timeout: 10_000 })
        .toMatchObject({ unread: 3, lastUnreadAt: sent[2]!.createdAt });
    const { client: bruno } = await chat("bruno", chatId);
    bruno.send({ type: "read.mark", seq: sent[1]!.seq });
    for (const device of [phone, laptop]) await expect.poll(() => summaryIn(device, chatId)?.unread, { timeout: 10_000 }).toBe(1);
    ana.send({ type: "message.delete", seq: sent[2]!.seq });
    for (const device of [phone, laptop])
      await expect.poll(() => summaryIn(device, chatId), { timeout: 10_000 }).toMatchObject({ unread: 0, lastUnreadAt: null });
    // The sender's own messages are never unread for them.
    const anaInbox = await userSocket("ana");
    const own = (await anaInbox.nextOfType("inbox.snapshot")).conversations.find((c: Json) => c.chatId === chatId);
    expect(own).toMatchObject({ unread: 0 });
  });

  it("never drift: random sends, deletes, reads from two devices, leaves and re-adds match a recomputation from the log", async () => {
    const people = ["ana", "bruno", "carla", "davi"];
    const chatId = await newGroup("ana", ["bruno", "carla"], "Deriva");
    const members = new Set(["ana", "bruno", "carla"]);
    const chats = new Map<string, Client[]>();
    const openFor = async (p: string) => {
      const devices = [(await chat(p, chatId)).client, (await chat(p, chatId)).client];
      chats.set(p, devices);
    };
    for (const p of members) await openFor(p);
    const mine = new Map<string, number[]>(people.map((p) => [p, []]));
    let seed = 20261125;
    const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    let lastSeq = 2;
    const done = { send: 0, delete: 0, read: 0, leave: 0, add: 0 };
    for (let step = 0; step < 150; step++) {
      const who = pick([...members]);
      const [d1, d2] = chats.get(who)!;
      const r = rnd();
      if (r < 0.45) {
        const m = await send(d1!, `passo ${step}`);
        mine.get(who)!.push(m.seq);
        lastSeq = m.seq;
        done.send++;
      } else if (r < 0.58 && mine.get(who)!.length) {
        const seq = mine.get(who)!.splice(Math.floor(rnd() * mine.get(who)!.length), 1)[0]!;
        d1!.send({ type: "message.delete", seq });
        await d1!.next((f) => f.type === "message.updated" && f.message.seq === seq, 10_000, "deleted");
        done.delete++;
      } else if (r < 0.85) {
        // Two devices of the same person read at once, up to different points.
        d1!.send({ type: "read.mark", seq: Math.floor(rnd() * (lastSeq + 1)) });
        d2!.send({ type: "read.mark", seq: Math.floor(rnd() * (lastSeq + 1)) });
        done.read++;
      } else if (r < 0.93 && who !== "ana") {
        const admin = chats.get("ana")![0]!;
        d1!.send({ type: "group.leave" });
        await Promise.all([d1!.closed, d2!.closed]);
        const line = await admin.next(
          (f) => f.type === "message.new" && f.message.system?.kind === "left" && f.message.seq > lastSeq,
          10_000,
          "left",
        );
        members.delete(who);
        lastSeq = line.message.seq;
        done.leave++;
      } else {
        const out = people.filter((p) => !members.has(p));
        if (!out.length) continue;
        const p = pick(out);
        const admin = chats.get("ana")![0]!;
        admin.send({ type: "group.add", userIds: [p] });
        const line = await admin.next(
          (f) => f.type === "message.new" && f.message.system?.kind === "added" && f.message.seq > lastSeq,
          10_000,
          "added",
        );
        expect(line.message.system.targets).toEqual([p]);
        members.add(p);
        lastSeq = line.message.seq;
        done.add++;
        await openFor(p);
      }
    }
    // The seed exercises every operation (a change of seed must keep this true).
    for (const [op, n] of Object.entries(done)) expect(n, op).toBeGreaterThan(0);
    let someUnread = false;
    // Recompute every member's count from scratch: the whole log and the stored cursors.
    const { client: reader, ready: fresh } = await chat("ana", chatId);
    let log: Json[] = fresh.messages;
    let before = log[0]?.seq ?? 1;
    while (before > 1) {
      reader.send({ type: "history.fetch", before });
      const page = await reader.next((f) => f.type === "history.page" && f.before === before, 10_000, "history");
      log = [...page.messages, ...log];
      before = page.messages[0]?.seq ?? 1;
      if (!page.hasMore) break;
    }
    expect(log.map((m) => m.seq)).toEqual(Array.from({ length: fresh.lastSeq }, (_, i) => i + 1));
    for (const p of members) {
      const joinedAt = Math.max(
        0,
        ...log
          .filter(
            (m) => (m.system?.kind === "added" && m.system.targets.includes(p)) || (m.system?.kind === "created" && m.system.actor === p),
          )
          .map((m) => m.seq),
      );
      const lastSent = Math.max(0, ...log.filter((m) => !m.system && m.senderId === p).map((m) => m.seq));
      const readAt = async () => {
        const { ready } = await chat("ana", chatId);
        return Math.max(ready.readCursors[p] ?? 0, joinedAt, lastSent);
      };
      const from = await readAt();
      const unread = log.filter((m) => m.seq > from && !m.system && !m.deleted && m.senderId !== p);
      const expected = { unread: unread.length, lastUnreadAt: unread.at(-1)?.createdAt ?? null };
      someUnread ||= unread.length > 0;
      await expect
        .poll(
          async () => {
            const s = await userSocket(p);
            const snap = await s.nextOfType("inbox.snapshot");
            await s.close();
            const c = snap.conversations.find((x: Json) => x.chatId === chatId);
            return c && { unread: c.unread, lastUnreadAt: c.lastUnreadAt };
          },
          { timeout: 15_000, interval: 500 },
        )
        .toEqual(expected);
    }
    expect(someUnread).toBe(true);
  });
});

describe("R12 smart search: Mensagens", () => {
  async function search(c: Client, q: string, extra: Json = {}): Promise<Json> {
    c.send({ type: "search.query", q, ...extra });
    return c.next(
      (f) => (f.type === "search.results" && f.q === q.trim() && f.offset === (extra.offset ?? 0)) || f.type === "error",
      15_000,
      `search ${q}`,
    );
  }

  it("finds only what the user can see now: no chats they left, no deleted messages, nothing from another company", async () => {
    const { client: anaBruno } = await chat("ana", "dm.ana.davi");
    await send(anaBruno, "Relatório trimestral pronto");
    const gone = await send(anaBruno, "relatório secreto apagado");
    anaBruno.send({ type: "message.delete", seq: gone.seq });
    await anaBruno.next((f) => f.type === "message.updated" && f.message.seq === gone.seq);
    const { client: carla } = await chat("carla", "dm.carla.davi");
    await send(carla, "relatório só da carla e do davi");
    const groupId = await newGroup("davi", ["ana"], "Relatórios");
    const { client: inGroup } = await chat("davi", groupId);
    await send(inGroup, "relatório do grupo");
    const { client: anaInGroup } = await chat("ana", groupId);
    anaInGroup.send({ type: "group.leave" });
    await anaInGroup.closed;
    const { client: other } = await chat("ana", "dm.ana.bruno", globex, "globex");
    await send(other, "relatório de outra empresa");

    const ana = await userSocket("ana");
    await ana.nextOfType("inbox.snapshot");
    await expect
      .poll(async () => (await search(ana, "relatorio")).hits.map((h: Json) => h.text), { timeout: 10_000 })
      .toEqual(["Relatório trimestral pronto"]);
    const davi = await userSocket("davi");
    await davi.nextOfType("inbox.snapshot");
    await expect
      .poll(async () => (await search(davi, "RELATÓRIO")).hits.map((h: Json) => h.text).sort(), { timeout: 10_000 })
      .toEqual(["Relatório trimestral pronto", "relatório do grupo", "relatório só da carla e do davi"]);
    const eva = await userSocket("eva");
    await eva.nextOfType("inbox.snapshot");
    expect((await search(eva, "relatorio")).hits).toEqual([]);
  });

  it("matches word starts before the middle of words, newest first, in pages, and refuses fewer than 3 characters", async () => {
    const { client } = await chat("bruno", "dm.bruno.carla");
    const inside = await send(client, "o correlato do pedido");
    const older = await send(client, "pedido de férias aprovado");
    for (let i = 0; i < 24; i++) await send(client, `Férias número ${i}`);
    const newer = await send(client, "mais um pedido");
    const bruno = await userSocket("bruno");
    await bruno.nextOfType("inbox.snapshot");
    await expect.poll(async () => (await search(bruno, "pedido")).hits.length, { timeout: 10_000 }).toBe(3);
    const pedido = await search(bruno, "pedido");
    expect(pedido.hits.map((h: Json) => h.seq)).toEqual([newer.seq, older.seq, inside.seq]);
    const relato = await search(bruno, "lato");
    expect(relato.hits.map((h: Json) => h.seq)).toEqual([inside.seq]);
    expect(relato.hits[0]).toMatchObject({ chatId: "dm.bruno.carla", senderId: "bruno", text: "o correlato do pedido" });
    const first = await search(bruno, "ferias");
    expect(first.hits).toHaveLength(20);
    expect(first.hasMore).toBe(true);
    const second = await search(bruno, "ferias", { offset: 20 });
    expect(second.hits).toHaveLength(5);
    expect(second.hasMore).toBe(false);
    const seqs = [...first.hits, ...second.hits].map((h: Json) => h.seq);
    expect(new Set(seqs).size).toBe(25);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const short = await search(bruno, "pe");
    expect(short).toMatchObject({ type: "error", code: "invalid_frame" });
  });
});
