/**
 * Retention (issue 18.6) against the real runtime, with a short "day"
 * (CONVERSAS_RETENTION_DAY_MS=1000): a company's `retentionDays` reaches its
 * chats, their alarms remove what is older — messages, files, the quotes of
 * replies, the search index's words — while seqs go on and unread counts and
 * search stay right; a log that expires whole still continues where it was.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { startTestServer, stopAfterFile, type TestServer } from "../support/server";
import { http, openChat, openHub, provision, type Client, type Json } from "../support/clients";
import { fetchFile, r2Blobs, upload } from "../support/files";
import { fetchZip, jsonOf, send } from "../support/company";

const DAY_MS = 1000;
const DAYS = 4;
let server: TestServer;
let tokens: Record<string, string>;
const platform = () => server.adminKey!;
const room = "acme.dm.ana.bruno";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function unreadOf(user: string): Promise<Json | undefined> {
  const { client, inbox } = await openHub(server.wsBase, "acme", tokens[user]!);
  await client.close();
  return inbox.conversations.find((c: Json) => c.chatId === "dm.ana.bruno");
}

/** Bruno's entry for the chat once his unread count is `n`. */
const unreadReaches = (n: number, what = `unread ${n}`) =>
  waitFor(
    what,
    () => unreadOf("bruno"),
    (c) => c?.unread === n,
  );

async function search(user: string, q: string): Promise<Json[]> {
  const { client } = await openHub(server.wsBase, "acme", tokens[user]!);
  client.send({ type: "search.query", q });
  const res = await client.next((f) => f.type === "search.results" || f.type === "error", 15_000, `search ${q}`);
  await client.close();
  expect(res.type).toBe("search.results");
  return res.hits;
}

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > until) throw new Error(`${what}: not reached in ${ms} ms`);
    await sleep(150);
  }
}

beforeAll(async () => {
  server = await startTestServer({ vars: { CONVERSAS_RETENTION_DAY_MS: String(DAY_MS) } });
  tokens = await provision(server.base, platform(), "acme", ["ana", "bruno"]);
});

stopAfterFile(() => server);

describe("issue 18.6 retention", () => {
  let ana: Client;
  let oldFile: string;

  it("18.6: older messages and their files go in the chat's alarm; seqs go on, unread counts and search stay right", async () => {
    ({ client: ana } = await openChat(server.wsBase, room, tokens.ana!));
    const blobsBefore = r2Blobs(server.persist).length;
    const bytes = new TextEncoder().encode("arquivo antigo ".repeat(100));
    oldFile = (await upload(server.base, room, tokens.ana!, bytes, "antigo.txt", "text/plain")).body.attachment.fileId;
    for (let i = 1; i <= 4; i++) await send(ana, { text: `antiquíssima ${i}` });
    const withFile = await send(ana, { text: "anexo antigo", fileId: oldFile });
    expect(withFile.seq).toBe(5);
    expect(r2Blobs(server.persist).length).toBe(blobsBefore + 1);
    await sleep(DAYS * DAY_MS + 500);
    await send(ana, { text: "recente um", replyTo: withFile.seq });
    await send(ana, { text: "recente dois" });
    expect((await unreadOf("bruno"))!.unread).toBe(7);
    expect((await search("bruno", "antiquíssima")).length).toBe(4);

    const set = await http(`${server.base}/api/tenants/acme/settings`, {
      method: "PUT",
      headers: { authorization: `Bearer ${platform()}`, "content-type": "application/json" },
      body: JSON.stringify({ retentionDays: DAYS }),
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ retentionDays: DAYS });

    const state = await unreadReaches(2, "bruno's unread after retention");
    expect(state!.lastMessage).toMatchObject({ seq: 7, text: "recente dois" });
    const { client: bruno, ready } = await openChat(server.wsBase, room, tokens.bruno!);
    expect(ready.lastSeq).toBe(7);
    expect(ready.messages.map((m: Json) => m.seq)).toEqual([6, 7]);
    expect(ready.hasMore).toBe(false);
    // The reply no longer quotes what is gone.
    expect(ready.messages[0].replyTo).toMatchObject({ seq: 5, deleted: true, snippet: "" });
    expect(await search("bruno", "antiquíssima")).toEqual([]);
    expect((await search("bruno", "recente")).map((h: Json) => h.seq).sort()).toEqual([6, 7]);
    expect((await fetchFile(server.base, room, oldFile, tokens.ana!)).status).toBe(404);
    await waitFor(
      "the file's bytes",
      async () => r2Blobs(server.persist).length,
      (n) => n === blobsBefore,
    );

    // The log goes on from where it was; reading moves the count as before.
    const next = await send(ana, { text: "depois da limpeza" });
    expect(next.seq).toBe(8);
    expect((await unreadReaches(3))!.unread).toBe(3);
    bruno.send({ type: "read.mark", seq: 8 });
    await unreadReaches(0);
    await bruno.close();

    const zip = await fetchZip(`${server.base}/api/tenants/acme/export/chats/dm.ana.bruno`, platform());
    expect(jsonOf(zip.files, "chat.json").base).toEqual({ seq: 5, ord: 5 });
  });

  it("18.6: a log that expires whole keeps its seq and count; what comes next continues it", async () => {
    await sleep(DAYS * DAY_MS + 500);
    // The alarm woke for the next due message without anyone asking.
    const { client: bruno, ready } = await waitFor(
      "an empty log",
      () => openChat(server.wsBase, room, tokens.bruno!),
      (r) => {
        const empty = r.ready.messages.length === 0;
        if (!empty) void r.client.close();
        return empty;
      },
    );
    expect(ready.lastSeq).toBe(8);
    const nine = await send(ana, { text: "recomeço" });
    expect(nine.seq).toBe(9);
    expect((await unreadReaches(1))!.unread).toBe(1);
    await bruno.close();
    await ana.close();
  });

  it("18.6: retentionDays is validated (a whole number of days from 1, or null) and only the company's admins set it", async () => {
    for (const bad of [0, -1, 1.5, "7", 40_000]) {
      const res = await http(`${server.base}/api/tenants/acme/settings`, {
        method: "PUT",
        headers: { authorization: `Bearer ${platform()}`, "content-type": "application/json" },
        body: JSON.stringify({ retentionDays: bad }),
      });
      expect(res.status, String(bad)).toBe(400);
      expect(res.body).toMatchObject({ code: "invalid_body", field: "retentionDays" });
    }
    const member = await http(`${server.base}/api/tenants/acme/settings`, {
      method: "PUT",
      headers: { authorization: `Bearer ${tokens.bruno}`, "content-type": "application/json" },
      body: JSON.stringify({ retentionDays: null }),
    });
    expect(member.status).toBe(403);
    expect((await http(`${server.base}/api/tenants/acme/settings`, { headers: { authorization: `Bearer ${platform()}` } })).body).toEqual({
      retentionDays: DAYS,
    });
  });
});
