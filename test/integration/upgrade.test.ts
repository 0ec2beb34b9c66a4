/**
 * Issue 13.4 against the real runtime: a deployment upgraded in place loses
 * nothing. The previous release's storage layout (key-value, written here by a
 * stand-in with the same worker and class names, test/integration/fixtures) is
 * left in a state folder; the new rooms then start on it and move it into their
 * tables on first start: users still sign in with their passwords, chats keep
 * their history, read cursors and files, lists and call history are there,
 * search finds the old messages, and the log carries on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { startServer, tempDir } from "../../tools/dev/runtime.mjs";
import { hashPassword } from "../../party/domain/crypto";
import { startTestServer, type TestServer } from "../support/server";
import { cid, login, openChat, openHub, PASSWORD, type Json } from "../support/clients";
import { answeredCall } from "../support/company";

const pad = (seq: number) => String(seq).padStart(12, "0");
const persist = tempDir("conversas-upgrade-");
let server: TestServer;

const user = async (id: string, name: string) => ({
  id,
  login: id,
  name,
  email: `${id}@example.com`,
  department: "Suporte",
  avatarUrl: null,
  extension: id === "ana" ? "2001" : "2002",
  modules: ["conversas"],
  enabled: true,
  passwordHash: await hashPassword(PASSWORD),
  sessionVersion: 1,
  createdAt: 1,
  updatedAt: 1,
});
const message = (seq: number, senderId: string, text: string, extra: Json = {}): Json => ({
  id: `dm.ana.bruno:${seq}`,
  seq,
  chatId: "dm.ana.bruno",
  clientId: `antiga-${seq}-000`,
  senderId,
  text,
  createdAt: 1_790_000_000_000 + seq * 1000,
  ...extra,
});
const call = answeredCall("chamada-antiga-1@pbx", "acme", ["ana", "bruno"], {
  startedAt: 1_790_000_000_000,
  answeredAt: 1_790_000_002_000,
  endedAt: 1_790_000_062_000,
});

beforeAll(async () => {
  const old = await startServer({ config: join(__dirname, "fixtures", "legacy-writer.toml"), persist, quiet: true });
  const put = async (path: string, entries: Json) => {
    const res = await fetch(`${old.base}/${path}`, { method: "POST", body: JSON.stringify(entries) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  };
  const [ana, bruno] = [await user("ana", "Ana Souza"), await user("bruno", "Bruno Lima")];
  await put("Directory/acme", { "user:ana": ana, "user:bruno": bruno, "login:ana": "ana", "login:bruno": "bruno" });
  const messages = [
    message(1, "ana", "Bom dia, Bruno"),
    message(2, "bruno", "Bom dia! O relatório trimestral está pronto"),
    message(3, "ana", "", {
      attachment: { fileId: "arquivo-antigo-01", name: "relatorio.pdf", size: 10, contentType: "application/pdf", kind: "document" },
    }),
    message(4, "ana", "Pode revisar até sexta?"),
  ];
  await put("Chat/acme.dm.ana.bruno", {
    meta: { chatId: "dm.ana.bruno", kind: "direct", members: ["ana", "bruno"], createdAt: 1_790_000_000_000 },
    seq: 4,
    ...Object.fromEntries(messages.map((m) => [`m:${pad(m.seq)}`, m])),
    ...Object.fromEntries(messages.map((m) => [`cid:${m.senderId}:${m.clientId}`, m.seq])),
    "read:bruno": 2,
    "file:arquivo-antigo-01": { uploaderId: "ana", attachment: messages[2]!.attachment, usedBySeq: 3, createdAt: 1 },
    [`att:documents:${pad(3)}`]: "document",
  });
  const summary = (peerId: string, unread: number) => ({
    chatId: "dm.ana.bruno",
    kind: "direct",
    peerId,
    lastMessage: { seq: 4, senderId: "ana", text: "Pode revisar até sexta?", createdAt: messages[3]!.createdAt },
    unread,
    lastUnreadAt: unread ? messages[3]!.createdAt : null,
  });
  await put("User/acme.bruno", {
    "conv:dm.ana.bruno": summary("ana", 2),
    [`call:${String(call.endedAt).padStart(15, "0")}:${call.callId}`]: call,
    [`callid:${call.callId}`]: "x",
  });
  await put("User/acme.ana", { "conv:dm.ana.bruno": summary("bruno", 0) });
  await old.stop();
  server = await startTestServer({ persist });
});

afterAll(async () => {
  await server?.stop();
});

describe("issue 13.4 upgrading in place", () => {
  it("issue 13.4: users sign in with their old passwords, and the chat keeps its history, cursors, files and idempotency", async () => {
    const a = await login(server.base, "acme", "ana");
    expect(a.status, a.text).toBe(200);
    const { client, ready } = await openChat(server.wsBase, "acme.dm.ana.bruno", a.body.token);
    expect(ready.lastSeq).toBe(4);
    expect(ready.messages.map((m: Json) => m.text)).toEqual([
      "Bom dia, Bruno",
      "Bom dia! O relatório trimestral está pronto",
      "",
      "Pode revisar até sexta?",
    ]);
    expect(ready.readCursors).toEqual({ bruno: 2 });
    client.send({ type: "gallery.fetch", kind: "documents" });
    expect((await client.nextOfType("gallery.page")).items.map((m: Json) => m.seq)).toEqual([3]);
    // An old clientId is still known (no duplicate); a new message carries the log on.
    client.send({ type: "message.send", clientId: "antiga-4-000", text: "Pode revisar até sexta?" });
    expect((await client.nextOfType("message.ack")).message.seq).toBe(4);
    const fresh = cid();
    client.send({ type: "message.send", clientId: fresh, text: "depois da atualização" });
    expect((await client.next((f) => f.type === "message.ack" && f.clientId === fresh)).message.seq).toBe(5);
    await client.close();
  });

  it("issue 13.4: the list, unread counts, call history and search are there after the upgrade", async () => {
    const b = await login(server.base, "acme", "bruno");
    const { client, inbox } = await openHub(server.wsBase, "acme", b.body.token);
    const dm = inbox.conversations.find((c: Json) => c.chatId === "dm.ana.bruno");
    expect(dm).toMatchObject({ peerId: "ana", unread: 3 });
    client.send({ type: "calls.fetch", filter: "all" });
    const calls = await client.nextOfType("calls.page");
    expect(calls.entries.map((e: Json) => e.callId)).toEqual(["chamada-antiga-1@pbx"]);
    await expect
      .poll(
        async () => {
          client.send({ type: "search.query", q: "trimestral" });
          const res = await client.next((f) => f.type === "search.results" && f.q === "trimestral");
          return res.hits.map((h: Json) => h.seq);
        },
        { timeout: 15_000 },
      )
      .toEqual([2]);
    await client.close();
  });
});
