/**
 * Durability across a restart of the real runtime (R1, R6, R8): the server is
 * stopped and started again on the same state folder and secrets; users,
 * history, read cursors, lists and open sessions must all survive, and the
 * message log must carry on from where it stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { cid, login, openChat, openHub, provision, type Json } from "../support/clients";

let server: TestServer;
let tokens: Record<string, string>;
const DM = "acme.dm.ana.bruno";
const sent: Json[] = [];

beforeAll(async () => {
  server = await startTestServer();
  tokens = await provision(server.base, server.adminKey!, "acme", ["ana", "bruno"]);
  const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
  const ids = Array.from({ length: 60 }, (_, i) => {
    const clientId = cid("before");
    ana.send({ type: "message.send", clientId, text: `antes do reinício ${i + 1}` });
    return clientId;
  });
  for (const id of ids) sent.push((await ana.next((f) => f.type === "message.ack" && f.clientId === id)).message);
  const { client: inbox, inbox: snap } = await openHub(server.wsBase, "acme", tokens.bruno!);
  const at60 = (c: Json) => c.chatId === "dm.ana.bruno" && c.lastMessage?.seq === 60;
  if (!snap.conversations.some(at60)) await inbox.next((f) => f.type === "inbox.update" && at60(f.conversation), 15_000, "inbox at 60");
  const { client: bruno } = await openChat(server.wsBase, DM, tokens.bruno!);
  bruno.send({ type: "read.mark", seq: 42 });
  await ana.next((f) => f.type === "read.updated" && f.seq === 42);
  await inbox.next((f) => f.type === "inbox.update" && f.conversation.unread === 18, 10_000, "unread after read");
  await Promise.all([ana.close(), inbox.close(), bruno.close()]);

  await server.stop();
  server = await startTestServer({ persist: server.persist, secrets: server.secrets });
});

afterAll(async () => {
  await server?.stop();
});

describe("after a restart", () => {
  it("R1: users are still there and sign in; a session opened before still works", async () => {
    expect((await login(server.base, "acme", "ana")).status).toBe(200);
    const me = await fetch(`${server.base}/api/tenants/acme/me`, { headers: { authorization: `Bearer ${tokens.bruno}` } });
    expect(me.status).toBe(200);
    const contacts = await fetch(`${server.base}/api/tenants/acme/contacts`, { headers: { authorization: `Bearer ${tokens.ana}` } });
    expect(((await contacts.json()) as Json).users.map((u: Json) => u.id)).toEqual(["ana", "bruno"]);
  });

  it("R8: the history, last seq and read cursors are intact", async () => {
    const { client, ready } = await openChat(server.wsBase, DM, tokens.bruno!);
    expect(ready.lastSeq).toBe(60);
    expect(ready.hasMore).toBe(true);
    expect(ready.messages).toEqual(sent.slice(10));
    expect(ready.readCursors).toEqual({ bruno: 42 });
    client.send({ type: "history.fetch", before: 11 });
    const page = await client.nextOfType("history.page");
    expect(page.messages).toEqual(sent.slice(0, 10));
    expect(page.hasMore).toBe(false);
    await client.close();
  });

  it("R6: the inbox still shows the chat with its last message and unread count", async () => {
    const { client: inbox, inbox: snap } = await openHub(server.wsBase, "acme", tokens.bruno!);
    expect(snap.conversations).toEqual([
      {
        chatId: "dm.ana.bruno",
        kind: "direct",
        peerId: "ana",
        lastMessage: { seq: 60, senderId: "ana", text: "antes do reinício 60", createdAt: sent[59]!.createdAt },
        // Derived again from the log and Bruno's cursor after the restart.
        unread: 18,
        lastUnreadAt: sent[59]!.createdAt,
        mentioned: false,
        rev: expect.any(Number),
      },
    ]);
    await inbox.close();
  });

  it("R9: new messages continue the seq, and a clientId sent before is still recognised", async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const old = sent[5]!;
    ana.send({ type: "message.send", clientId: old.clientId, text: "reenviado depois do reinício" });
    expect((await ana.next((f) => f.type === "message.ack" && f.clientId === old.clientId)).message).toEqual(old);
    const fresh = cid("after");
    ana.send({ type: "message.send", clientId: fresh, text: "depois do reinício" });
    const ack = await ana.next((f) => f.type === "message.ack" && f.clientId === fresh);
    expect(ack.message.seq).toBe(61);
    await ana.close();
  });
});
