/**
 * Issue 17's server side against the real runtime — what people expect from a
 * chat they use all day: read receipts (Enviada / Entregue / Lida, and who read
 * a group message when), the typing indicator (never stored), editing one's own
 * message, reactions, mentions that mark the mentioned person's list, search
 * inside one chat, and a read mark made durable over HTTP as a page goes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { cid, http, openChat, openHub, provision, type Client, type Json } from "../support/clients";

let server: TestServer;
let tokens: Record<string, string>;
const sockets: Client[] = [];

beforeAll(async () => {
  server = await startTestServer();
  tokens = await provision(server.base, server.adminKey!, "acme", ["ana", "bruno", "carla", "davi"]);
});

afterAll(async () => {
  await Promise.allSettled(sockets.map((s) => s.close(1000)));
  await server?.stop();
});

async function chat(user: string, chatId: string) {
  const r = await openChat(server.wsBase, `acme.${chatId}`, tokens[user]!);
  sockets.push(r.client);
  return r;
}
async function hub(user: string) {
  const r = await openHub(server.wsBase, "acme", tokens[user]!);
  sockets.push(r.client);
  return r;
}
async function say(c: Client, text: string, extra: Json = {}): Promise<Json> {
  const clientId = cid();
  c.send({ type: "message.send", clientId, text, ...extra });
  const ack = await c.next((f) => (f.type === "message.ack" || f.type === "error") && f.clientId === clientId, 10_000);
  expect(ack.type, JSON.stringify(ack)).toBe("message.ack");
  return ack.message;
}
async function group(creator: string, members: string[]): Promise<string> {
  const res = await http(`${server.base}/api/tenants/acme/groups`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${tokens[creator]}` },
    body: JSON.stringify({ name: "Plantão", members }),
  });
  expect(res.status, res.text).toBe(201);
  return res.body.chatId;
}

describe("issue 17.1 read receipts", () => {
  it("issue 17.1: a message is delivered once an app of the other member has it, read once they read past it; the info lists who and when", async () => {
    const chatId = await group("ana", ["bruno", "carla"]);
    const { client: ana } = await chat("ana", chatId);
    await hub("bruno");
    const m = await say(ana, "todos viram?");
    // Bruno's app is open: his devices have it. Carla's is not.
    const d = await ana.next((f) => f.type === "delivered.updated" && f.cursors.bruno >= m.seq, 10_000);
    expect(d.cursors.carla).toBeUndefined();
    const { client: carla, ready } = await chat("carla", chatId);
    expect(ready.deliveredCursors.bruno).toBeGreaterThanOrEqual(m.seq);
    await ana.next((f) => f.type === "delivered.updated" && f.cursors.carla >= m.seq, 10_000);
    carla.send({ type: "read.mark", seq: m.seq });
    await ana.next((f) => f.type === "read.updated" && f.userId === "carla" && f.seq >= m.seq, 10_000);
    ana.send({ type: "message.info", seq: m.seq });
    const info = await ana.nextOfType("message.info");
    expect(info.readBy.map((r: Json) => r.userId)).toEqual(["carla"]);
    expect(info.deliveredTo.map((r: Json) => r.userId).sort()).toEqual(["bruno", "carla"]);
    for (const r of [...info.readBy, ...info.deliveredTo]) expect(r.at).toBeGreaterThanOrEqual(m.createdAt);
  });
});

describe("issue 17.2 typing", () => {
  it("issue 17.2: the others see who is typing, throttled, and nothing is stored", async () => {
    const { client: ana, ready } = await chat("ana", "dm.ana.davi");
    const { client: davi } = await chat("davi", "dm.ana.davi");
    for (let i = 0; i < 10; i++) ana.send({ type: "typing" });
    expect(await davi.next((f) => f.type === "typing")).toEqual({ type: "typing", userId: "ana" });
    await new Promise((r) => setTimeout(r, 300));
    expect(davi.frames.filter((f) => f.type === "typing")).toHaveLength(1);
    expect(ana.frames.some((f) => f.type === "typing")).toBe(false);
    const { ready: again } = await chat("davi", "dm.ana.davi");
    expect(again.lastSeq).toBe(ready.lastSeq);
  });
});

describe("issue 17.4 edit", () => {
  it("issue 17.4: the sender edits; every member and the list preview see the new text marked edited; search finds the new words, not the old", async () => {
    const { client: ana } = await chat("ana", "dm.ana.bruno");
    const { client: bruno } = await chat("bruno", "dm.ana.bruno");
    const { client: brunoHub } = await hub("bruno");
    const m = await say(ana, "reunião amanhã às nove");
    ana.send({ type: "message.edit", seq: m.seq, text: "reunião amanhã às dez" });
    const updated = await bruno.next((f) => f.type === "message.updated" && f.message.seq === m.seq);
    expect(updated.message).toMatchObject({ text: "reunião amanhã às dez", editedAt: expect.any(Number) });
    await brunoHub.next((f) => f.type === "inbox.update" && f.conversation.lastMessage?.text === "reunião amanhã às dez", 10_000);
    bruno.send({ type: "message.edit", seq: m.seq, text: "hackeado" });
    expect(await bruno.nextOfType("error")).toMatchObject({ code: "forbidden" });
    const search = async (q: string) => {
      brunoHub.send({ type: "search.query", q });
      return (await brunoHub.next((f) => f.type === "search.results" && f.q === q)).hits.map((h: Json) => h.seq);
    };
    await expect.poll(() => search("dez"), { timeout: 10_000 }).toContain(m.seq);
    expect(await search("nove")).not.toContain(m.seq);
  });
});

describe("issue 17.5 reactions", () => {
  it("issue 17.5: reactions count per emoji, one per person, toggled by reacting again, seen live and in history", async () => {
    const { client: ana } = await chat("ana", "dm.ana.carla");
    const { client: carla } = await chat("carla", "dm.ana.carla");
    const m = await say(ana, "aprovado!");
    carla.send({ type: "message.react", seq: m.seq, emoji: "👍" });
    ana.send({ type: "message.react", seq: m.seq, emoji: "👍" });
    await ana.next((f) => f.type === "message.updated" && f.message.reactions?.["👍"]?.length === 2);
    carla.send({ type: "message.react", seq: m.seq, emoji: "👍" });
    const after = await ana.next((f) => f.type === "message.updated" && f.message.reactions?.["👍"]?.join() === "ana");
    expect(after.message.reactions).toEqual({ "👍": ["ana"] });
    carla.send({ type: "message.react", seq: m.seq, emoji: "não é emoji" });
    expect(await carla.nextOfType("error")).toMatchObject({ code: "invalid_frame", field: "emoji" });
    const { ready } = await chat("carla", "dm.ana.carla");
    expect(ready.messages.find((x: Json) => x.seq === m.seq).reactions).toEqual({ "👍": ["ana"] });
  });
});

describe("issue 17.6 mentions", () => {
  it("issue 17.6: a mention marks the mentioned member's list with '@'; '@todos' is for admins only", async () => {
    const chatId = await group("ana", ["bruno", "carla"]);
    const { client: bruno } = await chat("bruno", chatId);
    const { client: ana } = await chat("ana", chatId);
    const { client: carlaHub } = await hub("carla");
    const { client: brunoHub } = await hub("bruno");
    const m = await say(ana, "@Carla pode ver?", { mentions: ["carla"] });
    expect(m.mentions).toEqual(["carla"]);
    const forCarla = await carlaHub.next(
      (f) => f.type === "inbox.update" && f.conversation.chatId === chatId && f.conversation.lastMessage?.seq === m.seq,
    );
    expect(forCarla.conversation).toMatchObject({ unread: 1, mentioned: true });
    const forBruno = await brunoHub.next(
      (f) => f.type === "inbox.update" && f.conversation.chatId === chatId && f.conversation.lastMessage?.seq === m.seq,
    );
    expect(forBruno.conversation.mentioned).toBe(false);
    const clientId = cid();
    bruno.send({ type: "message.send", clientId, text: "@todos atenção", mentions: ["*"] });
    expect(await bruno.next((f) => f.type === "error" && f.clientId === clientId)).toMatchObject({ code: "forbidden", field: "mentions" });
    const all = await say(ana, "@todos atenção", { mentions: ["*"] });
    const b2 = await brunoHub.next((f) => f.type === "inbox.update" && f.conversation.lastMessage?.seq === all.seq);
    expect(b2.conversation.mentioned).toBe(true);
  });
});

describe("issue 17.8 search inside a chat", () => {
  it("issue 17.8: a search can be limited to one chat the user is in", async () => {
    const { client: ana } = await chat("ana", "dm.ana.davi");
    await say(ana, "contrato do cliente Bravo");
    const { client: other } = await chat("ana", "dm.ana.carla");
    await say(other, "contrato de outra conversa");
    const { client: anaHub } = await hub("ana");
    const search = async (chatId?: string) => {
      anaHub.send({ type: "search.query", q: "contrato", ...(chatId ? { chatId } : {}) });
      return (await anaHub.next((f) => f.type === "search.results" && f.q === "contrato" && f.chatId === (chatId ?? null))).hits.map(
        (h: Json) => h.chatId,
      );
    };
    await expect.poll(() => search(), { timeout: 10_000 }).toEqual(expect.arrayContaining(["dm.ana.davi", "dm.ana.carla"]));
    expect(new Set(await search("dm.ana.davi"))).toEqual(new Set(["dm.ana.davi"]));
    expect(await search("dm.bruno.carla")).toEqual([]);
  });
});

describe("issue 17 read marks as a page goes", () => {
  it("a read mark sent over HTTP (keep-alive, as a closing page does) is stored like one sent on the socket", async () => {
    const { client: ana } = await chat("ana", "dm.ana.bruno");
    const m = await say(ana, "lê isso antes de sair");
    const res = await http(`${server.base}/parties/chat/acme.dm.ana.bruno/read`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.bruno}`, "content-type": "application/json" },
      body: JSON.stringify({ seq: m.seq }),
    });
    expect(res.status).toBe(204);
    await ana.next((f) => f.type === "read.updated" && f.userId === "bruno" && f.seq === m.seq);
    const denied = await http(`${server.base}/parties/chat/acme.dm.ana.bruno/read`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.carla}`, "content-type": "application/json" },
      body: JSON.stringify({ seq: m.seq }),
    });
    expect(denied.status).toBe(403);
  });
});
