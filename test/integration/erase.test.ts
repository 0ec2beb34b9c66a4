/**
 * Erasing a user's data on request (issue 18.7) against the real runtime: their
 * messages become "Mensagem apagada" as a delete of one's own does (replies lose
 * their quote, search forgets the words), their files go, their call history
 * goes, and the person is anonymised (no name, e-mail, login, password; disabled;
 * every session ended) while the history keeps its shape. Irreversible, so the
 * request repeats the user's id; only the company's admins may ask.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { startTestServer, stopAfterFile, type TestServer } from "../support/server";
import { http, login, openChat, openHub, type Http, type Json } from "../support/clients";
import { fetchFile } from "../support/files";
import { fetchZip, fillAcme, jsonOf, type fillDm, type fillGroup } from "../support/company";

let server: TestServer;
let tokens: Record<string, string>;
let dm: Awaited<ReturnType<typeof fillDm>>;
let group: Awaited<ReturnType<typeof fillGroup>>;
const platform = () => server.adminKey!;
const erase = (userId: string, key: string | null, body: unknown = { confirm: userId }): Promise<Http> =>
  http(`${server.base}/api/tenants/acme/users/${userId}/erase`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });

async function search(user: string, q: string): Promise<Json[]> {
  const { client } = await openHub(server.wsBase, "acme", tokens[user]!);
  client.send({ type: "search.query", q });
  const res = await client.next((f) => f.type === "search.results" || f.type === "error", 15_000, `search ${q}`);
  await client.close();
  return res.hits;
}

beforeAll(async () => {
  server = await startTestServer();
  await http(`${server.base}/api/tenants/globex`, {
    method: "PUT",
    headers: { authorization: `Bearer ${platform()}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Globex" }),
  });
  ({ tokens, dm, group } = await fillAcme(server, platform(), "call-ana-bruno"));
});

stopAfterFile(() => server);

describe("issue 18.7 erasing a user's data", () => {
  it("18.7: refused without the repeated id, for another company's key or a member's session; nothing changes", async () => {
    const globexKey = (
      await http(`${server.base}/api/tenants/globex/keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${platform()}` },
        body: "{}",
      })
    ).body.key;
    for (const [key, body, status] of [
      [platform(), {}, 400],
      [platform(), { confirm: "bruno" }, 400],
      [globexKey, { confirm: "ana" }, 403],
      [tokens.bruno!, { confirm: "ana" }, 403],
      [null, { confirm: "ana" }, 401],
    ] as const) {
      const res = await erase("ana", key, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
    expect((await erase("ninguem", platform())).status).toBe(404);
    expect((await login(server.base, "acme", "ana")).status).toBe(200);
    expect((await search("bruno", "aqui")).length).toBe(1);
  });

  it("18.7: the messages become 'Mensagem apagada', files and calls go, the person is anonymised and signed out; irreversible", async () => {
    const { client: watcher } = await openChat(server.wsBase, dm.room, tokens.bruno!);
    const res = await erase("ana", platform());
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ messages: 4, files: 1, calls: 1, user: { id: "ana", erased: true, enabled: false } });
    // Open chats hear it at once, as for a delete.
    const updated = await watcher.next((f) => f.type === "message.updated" && f.message.seq === 1, 10_000, "message.updated");
    expect(updated.message).toMatchObject({ senderId: "ana", text: "", deleted: true });
    await watcher.close();

    const { ready } = await openChat(server.wsBase, dm.room, tokens.bruno!);
    const bySeq = new Map<number, Json>(ready.messages.map((m: Json) => [m.seq, m]));
    for (const seq of [1, 3, 5]) expect(bySeq.get(seq)).toMatchObject({ senderId: "ana", text: "", deleted: true });
    expect(bySeq.get(3)!.attachment).toBeUndefined();
    expect(bySeq.get(2)).toMatchObject({ senderId: "bruno", text: "oi ana" });
    expect(bySeq.get(4)!.replyTo).toMatchObject({ seq: 3, deleted: true, snippet: "" });
    const { ready: inGroup } = await openChat(server.wsBase, group.room, tokens.carla!);
    expect(inGroup.messages.filter((m: Json) => m.senderId === "ana" && !m.system).every((m: Json) => m.deleted)).toBe(true);
    expect((await fetchFile(server.base, dm.room, dm.fileId, tokens.bruno!)).status).toBe(404);
    expect(await search("bruno", "aqui")).toEqual([]);
    expect((await search("bruno", "obrigado")).length).toBe(1);

    // The person: nothing left, no way in.
    const profile = await http(`${server.base}/api/tenants/acme/users/ana`, { headers: { authorization: `Bearer ${platform()}` } });
    expect(profile.body).toMatchObject({
      id: "ana",
      name: "Usuário removido",
      email: "",
      department: "",
      extension: null,
      enabled: false,
      erased: true,
      localLogin: false,
    });
    expect(profile.body.login).not.toBe("ana");
    expect((await login(server.base, "acme", "ana")).status).toBe(401);
    expect((await http(`${server.base}/api/tenants/acme/me`, { headers: { authorization: `Bearer ${tokens.ana}` } })).status).toBe(401);
    const contacts = await http(`${server.base}/api/tenants/acme/contacts`, { headers: { authorization: `Bearer ${tokens.bruno}` } });
    expect(contacts.body.users.map((u: Json) => u.id)).not.toContain("ana");
    // Their archive now has nothing of them but the blanks; bruno keeps his side of the call.
    const zip = await fetchZip(`${server.base}/api/tenants/acme/export/users/ana`, platform());
    expect(jsonOf(zip.files, "calls.json")).toEqual([]);
    expect(jsonOf(zip.files, `messages/${dm.chatId}.json`).every((m: Json) => m.deleted && m.text === "")).toBe(true);
    expect(jsonOf(zip.files, "files.json")).toEqual([]);
    const brunoZip = await fetchZip(`${server.base}/api/tenants/acme/export/users/bruno`, platform());
    expect(jsonOf(brunoZip.files, "calls.json")).toHaveLength(1);
    // The PATCH that would bring the person back is refused; erasing again finds nothing more.
    const back = await http(`${server.base}/api/tenants/acme/users/ana`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${platform()}`, "content-type": "application/json" },
      body: JSON.stringify({ enabled: true }),
    });
    expect(back.status).toBe(404);
    const revive = await http(`${server.base}/api/tenants/acme/users/ana`, {
      method: "PUT",
      headers: { authorization: `Bearer ${platform()}`, "content-type": "application/json" },
      body: JSON.stringify({
        login: "ana",
        name: "Ana",
        email: "ana@example.com",
        department: "",
        modules: ["conversas"],
        enabled: true,
        password: "senha-forte-123",
      }),
    });
    expect(revive.status).toBe(404);
    expect((await login(server.base, "acme", "ana")).status).toBe(401);
    const again = await erase("ana", platform());
    expect(again.body).toMatchObject({ messages: 0, files: 0 });
    const trail = await http(`${server.base}/api/tenants/acme/audit?action=user.erase`, {
      headers: { authorization: `Bearer ${platform()}` },
    });
    expect(trail.body.events[0]).toMatchObject({ action: "user.erase", target: "ana", actorKind: "platform", ok: true });
  });
});
