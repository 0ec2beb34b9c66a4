/**
 * 1:1 chat against the real runtime (`wrangler dev`; R8, R9, R6/R7 inbox): live delivery,
 * acknowledgement after storage, idempotent resends across reconnects, ordering
 * under bursts, refusal of invalid frames, the members' inboxes, the text size
 * limit, and paging through a 10,000-message history.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { cid, open, openChat, openHub, provision, putUser, roomUrl, userBody, type Client, type Json } from "../support/clients";

let server: TestServer;
let tokens: Record<string, string>;
const DM = "acme.dm.ana.bruno";

beforeAll(async () => {
  server = await startTestServer();
  tokens = await provision(server.base, server.adminKey!, "acme", ["ana", "bruno", "carla", "davi"]);
});

afterAll(async () => {
  await server?.stop();
});

const send = (c: Client, text: string, clientId = cid()) => {
  c.send({ type: "message.send", clientId, text });
  return clientId;
};
const ackOf = (c: Client, clientId: string) =>
  c.next((f) => f.type === "message.ack" && f.clientId === clientId, 10_000, `ack ${clientId}`);
const errorOf = (c: Client) => c.nextOfType("error");

/** Every message of a chat, oldest first, read with history.fetch in pages of 100. */
async function wholeHistory(roomId: string, token: string): Promise<Json[]> {
  const { client, ready } = await openChat(server.wsBase, roomId, token);
  const all = [...ready.messages];
  let more = ready.hasMore;
  while (more) {
    client.send({ type: "history.fetch", before: all[0]!.seq, limit: 100 });
    const page = await client.nextOfType("history.page");
    all.unshift(...page.messages);
    more = page.hasMore;
  }
  await client.close();
  return all;
}

describe("live delivery and acknowledgement", () => {
  it("R9: both members get the message live; the sender gets an ack carrying the stored message", async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const { client: bruno } = await openChat(server.wsBase, DM, tokens.bruno!);
    const clientId = send(ana, "Oi, Bruno! 👋");
    const ack = await ackOf(ana, clientId);
    const live = await bruno.nextOfType("message.new");
    expect(ack.message).toMatchObject({ chatId: "dm.ana.bruno", senderId: "ana", text: "Oi, Bruno! 👋", clientId });
    expect(ack.message.id).toBe(`dm.ana.bruno:${ack.message.seq}`);
    expect(live.message).toEqual(ack.message);
    // The ack came after storage: a socket opened now already has the message.
    const { client: later, ready } = await openChat(server.wsBase, DM, tokens.bruno!);
    expect(ready.lastSeq).toBe(ack.message.seq);
    expect(ready.messages.at(-1)).toEqual(ack.message);
    // The sender is not echoed its own message.new.
    expect(ana.frames.some((f) => f.type === "message.new" && f.message.clientId === clientId)).toBe(false);
    await Promise.all([ana.close(), bruno.close(), later.close()]);
  });

  it("R9: a resent clientId is acknowledged with the same message, also on a new socket, and never stored twice", async () => {
    const { client: first } = await openChat(server.wsBase, DM, tokens.ana!);
    const clientId = cid("resend");
    send(first, "só uma vez", clientId);
    const original = (await ackOf(first, clientId)).message;
    send(first, "só uma vez", clientId);
    expect((await ackOf(first, clientId)).message).toEqual(original);
    await first.close();

    const { client: second, ready } = await openChat(server.wsBase, DM, tokens.ana!);
    send(second, "texto diferente, mesmo clientId", clientId);
    expect((await ackOf(second, clientId)).message).toEqual(original);
    // Another sender with the same clientId is a different message.
    const { client: bruno } = await openChat(server.wsBase, DM, tokens.bruno!);
    send(bruno, "meu", clientId);
    const brunos = (await ackOf(bruno, clientId)).message;
    expect(brunos.seq).toBe(ready.lastSeq + 1);
    expect(brunos.senderId).toBe("bruno");

    const history = await wholeHistory(DM, tokens.ana!);
    expect(history.filter((m) => m.clientId === clientId && m.senderId === "ana")).toHaveLength(1);
    await Promise.all([second.close(), bruno.close()]);
  });

  it("R9: the same new clientId sent at once from two sockets of one user is stored once", async () => {
    const { client: tab1 } = await openChat(server.wsBase, DM, tokens.ana!);
    const { client: tab2, ready } = await openChat(server.wsBase, DM, tokens.ana!);
    const clientId = cid("twotabs");
    for (let i = 0; i < 3; i++) {
      send(tab1, `duas abas ${i}`, clientId);
      send(tab2, `duas abas ${i}`, clientId);
    }
    const acks = await Promise.all([tab1, tab1, tab1, tab2, tab2, tab2].map((c) => ackOf(c, clientId)));
    const seqs = new Set(acks.map((a) => a.message.seq));
    expect([...seqs]).toEqual([ready.lastSeq + 1]);
    const { client: check, ready: after } = await openChat(server.wsBase, DM, tokens.bruno!);
    expect(after.lastSeq).toBe(ready.lastSeq + 1);
    await Promise.all([tab1.close(), tab2.close(), check.close()]);
  });

  it("R8: a burst of sends keeps its order, with contiguous seqs, for sender and receiver", async () => {
    const { client: ana, ready } = await openChat(server.wsBase, DM, tokens.ana!);
    const { client: bruno } = await openChat(server.wsBase, DM, tokens.bruno!);
    const N = 200;
    const ids = Array.from({ length: N }, (_, i) => send(ana, `rajada ${i}`));
    const acks = await Promise.all(ids.map((id) => ackOf(ana, id)));
    const seqs = acks.map((a) => a.message.seq);
    expect(seqs).toEqual(Array.from({ length: N }, (_, i) => ready.lastSeq + 1 + i));
    expect(acks.map((a) => a.message.text)).toEqual(ids.map((_, i) => `rajada ${i}`));
    const lastSeq = seqs.at(-1);
    await bruno.next((f) => f.type === "message.new" && f.message.seq === lastSeq, 15_000, "last message.new");
    const received = bruno.frames.filter((f) => f.type === "message.new" && f.message.seq > ready.lastSeq).map((f) => f.message.seq);
    expect(received).toEqual(seqs);
    await Promise.all([ana.close(), bruno.close()]);
  });

  it("R7: read.mark moves the reader's cursor forward only and every member hears of it", async () => {
    const { client: ana, ready } = await openChat(server.wsBase, DM, tokens.ana!);
    const { client: bruno } = await openChat(server.wsBase, DM, tokens.bruno!);
    bruno.send({ type: "read.mark", seq: ready.lastSeq + 1000 });
    const seen = await ana.nextOfType("read.updated");
    expect(seen).toEqual({ type: "read.updated", userId: "bruno", seq: ready.lastSeq });
    await bruno.nextOfType("read.updated");
    bruno.send({ type: "read.mark", seq: 1 });
    // A later frame on the same socket as a barrier: the backward mark has been handled by then.
    bruno.send({ type: "history.fetch", before: 1 });
    await bruno.nextOfType("history.page");
    const { client: again, ready: after } = await openChat(server.wsBase, DM, tokens.ana!);
    expect(after.readCursors.bruno).toBe(ready.lastSeq);
    expect(ana.frames.filter((f) => f.type === "read.updated")).toHaveLength(1);
    await Promise.all([ana.close(), bruno.close(), again.close()]);
  });
});

describe("invalid frames", () => {
  it("R9: bad JSON, unknown types, empty or oversized text, a missing clientId get an error naming the field and change nothing", async () => {
    const { client: ana, ready } = await openChat(server.wsBase, DM, tokens.ana!);
    const cases: [string, string][] = [
      ["{not json", "(raiz)"],
      [JSON.stringify({ type: "message.explode", id: 1 }), "type"],
      [JSON.stringify({ text: "sem tipo" }), "type"],
      [JSON.stringify({ type: "message.send", clientId: cid(), text: "" }), "text"],
      [JSON.stringify({ type: "message.send", clientId: cid(), text: "  \n " }), "text"],
      [JSON.stringify({ type: "message.send", clientId: cid(), text: "x".repeat(4001) }), "text"],
      [JSON.stringify({ type: "message.send", text: "sem clientId" }), "clientId"],
      [JSON.stringify({ type: "message.send", clientId: "curto", text: "clientId curto" }), "clientId"],
      [JSON.stringify({ type: "message.send", clientId: cid(), text: 42 }), "text"],
      [JSON.stringify({ type: "history.fetch", before: -1 }), "before"],
      [JSON.stringify({ type: "read.mark", seq: "1" }), "seq"],
    ];
    for (const [frame, field] of cases) {
      ana.send(frame);
      const err = await errorOf(ana);
      expect(err, frame.slice(0, 60)).toMatchObject({ type: "error", code: "invalid_frame", field });
      expect(typeof err.message).toBe("string");
    }
    ana.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
    expect(await errorOf(ana)).toMatchObject({ type: "error", code: "invalid_frame" });
    ana.send(JSON.stringify({ type: "message.send", clientId: cid(), text: "y".repeat(40_000) }));
    expect(await errorOf(ana)).toMatchObject({ type: "error", code: "too_large" });
    // The socket still works, and nothing was stored.
    const clientId = send(ana, "depois dos erros");
    expect((await ackOf(ana, clientId)).message.seq).toBe(ready.lastSeq + 1);
    expect(ana.frames.filter((f) => f.type === "message.ack")).toHaveLength(1);
    await ana.close();
  });

  it("R9: a 4001-character text is refused on field text with its clientId; 4000 characters are accepted", async () => {
    const { client: ana, ready } = await openChat(server.wsBase, DM, tokens.ana!);
    const tooLong = cid();
    send(ana, "a".repeat(4001), tooLong);
    expect(await errorOf(ana)).toMatchObject({ code: "invalid_frame", field: "text", clientId: tooLong });
    const justRight = send(ana, "b".repeat(4000));
    const ack = await ackOf(ana, justRight);
    expect(ack.message.text).toHaveLength(4000);
    expect(ack.message.seq).toBe(ready.lastSeq + 1);
    await ana.close();
  });
});

describe("inbox and chat existence", () => {
  it("R6: both members' inboxes get the chat's last message", async () => {
    const { client: anaInbox } = await openHub(server.wsBase, "acme", tokens.ana!);
    const { client: carlaInbox } = await openHub(server.wsBase, "acme", tokens.carla!);
    const { client: carla } = await openChat(server.wsBase, "acme.dm.ana.carla", tokens.carla!);
    const clientId = send(carla, "Ana, reunião às 15h?");
    const { message } = await ackOf(carla, clientId);
    const want = (f: Json) => f.type === "inbox.update" && f.conversation.lastMessage?.seq === message.seq;
    const [forAna, forCarla] = await Promise.all([anaInbox.next(want), carlaInbox.next(want)]);
    expect(forAna.conversation).toEqual({
      chatId: "dm.ana.carla",
      kind: "direct",
      peerId: "carla",
      lastMessage: { seq: message.seq, senderId: "carla", text: "Ana, reunião às 15h?", createdAt: message.createdAt },
      unread: 1,
      lastUnreadAt: message.createdAt,
      mentioned: false,
      rev: expect.any(Number),
    });
    expect(forCarla.conversation).toMatchObject({ chatId: "dm.ana.carla", peerId: "ana", lastMessage: { seq: message.seq }, unread: 0 });
    // A fresh app starts from the same state.
    const { client: fresh, inbox: snap } = await openHub(server.wsBase, "acme", tokens.ana!);
    expect(snap.conversations.find((c: Json) => c.chatId === "dm.ana.carla")).toEqual(forAna.conversation);
    await Promise.all([anaInbox.close(), carlaInbox.close(), carla.close(), fresh.close()]);
  });

  it("R1: a DM with a user that does not exist is refused and closed with 4003", async () => {
    const ana = await open(roomUrl(server.wsBase, "chat", "acme.dm.ana.zeca"), tokens.ana!);
    expect(await errorOf(ana)).toMatchObject({ type: "error", code: "not_found" });
    expect((await ana.closed).code).toBe(4003);
    expect(ana.frames.some((f) => f.type === "chat.ready")).toBe(false);
    // Once the user exists, the same chat opens: the refusal was not remembered.
    await putUser(server.base, server.adminKey!, "acme", "zeca", userBody("zeca"));
    const { client, ready } = await openChat(server.wsBase, "acme.dm.ana.zeca", tokens.ana!);
    expect(ready.members).toEqual(["ana", "zeca"]);
    await client.close();
  });
});

describe("paging a long history", () => {
  it("R8: a 10,000-message chat opens on its newest 50 and pages back without gaps", async () => {
    const room = "acme.dm.bruno.davi";
    const { client: bruno } = await openChat(server.wsBase, room, tokens.bruno!);
    const TOTAL = 10_000;
    const BATCH = 500;
    const seedStart = Date.now();
    for (let start = 0; start < TOTAL; start += BATCH) {
      const ids = Array.from({ length: BATCH }, (_, i) => send(bruno, `mensagem ${start + i + 1}`));
      const last = await ackOf(bruno, ids.at(-1)!);
      expect(last.message.seq).toBe(start + BATCH);
      bruno.frames.length = 0;
    }
    console.log(`seeded ${TOTAL} messages in ${Date.now() - seedStart} ms`);
    await bruno.close();

    const t0 = performance.now();
    const { client: davi, ready } = await openChat(server.wsBase, room, tokens.davi!);
    const bigOpen = performance.now() - t0;
    expect(ready.lastSeq).toBe(TOTAL);
    expect(ready.hasMore).toBe(true);
    expect(ready.messages.map((m: Json) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => TOTAL - 49 + i));
    expect(ready.messages.at(-1).text).toBe(`mensagem ${TOTAL}`);

    let oldest = ready.messages[0].seq;
    for (let p = 0; p < 5; p++) {
      davi.send({ type: "history.fetch", before: oldest, limit: 100 });
      const page = await davi.nextOfType("history.page");
      expect(page.before).toBe(oldest);
      expect(page.hasMore).toBe(true);
      expect(page.messages.map((m: Json) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => oldest - 100 + i));
      oldest = page.messages[0].seq;
    }
    davi.send({ type: "history.fetch", before: 3 });
    const first = await davi.nextOfType("history.page");
    expect(first.messages.map((m: Json) => m.text)).toEqual(["mensagem 1", "mensagem 2"]);
    expect(first.hasMore).toBe(false);
    await davi.close();

    // The same open on a 10-message chat, for comparison.
    const { client: carla } = await openChat(server.wsBase, "acme.dm.carla.davi", tokens.carla!);
    await Promise.all(Array.from({ length: 10 }, (_, i) => ackOf(carla, send(carla, `curta ${i}`))));
    await carla.close();
    const t1 = performance.now();
    const { client: small, ready: smallReady } = await openChat(server.wsBase, "acme.dm.carla.davi", tokens.davi!);
    const smallOpen = performance.now() - t1;
    expect(smallReady.messages).toHaveLength(10);
    expect(smallReady.hasMore).toBe(false);
    console.log(`open until chat.ready: 10,000 messages ${bigOpen.toFixed(1)} ms; 10 messages ${smallOpen.toFixed(1)} ms`);
    await small.close();
  }, 300_000);
});
