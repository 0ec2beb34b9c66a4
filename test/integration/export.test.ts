/**
 * Export (LGPD, issue 18.5) against the real runtime: one user's data (their
 * messages, their files' list, their call history, their profile) and one chat
 * (the log, the files' manifest with signed links, the files themselves) as a
 * zip streamed through the API; who may ask for them (a company's admins, for
 * that company only); links that work without a session but only as signed.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { startTestServer, stopAfterFile, type TestServer } from "../support/server";
import { http, provision, type Http } from "../support/clients";
import { fetchZip, fillAcme, jsonOf, newCompany, type fillDm, type fillGroup } from "../support/company";

let server: TestServer;
let tokens: Record<string, string>;
let acmeKey: string;
let globexKey: string;
let dm: Awaited<ReturnType<typeof fillDm>>;
let group: Awaited<ReturnType<typeof fillGroup>>;
const platform = () => server.adminKey!;
const api = (path: string, key: string | null, init: RequestInit = {}): Promise<Http> =>
  http(`${server.base}/api${path}`, {
    ...init,
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
  });

beforeAll(async () => {
  server = await startTestServer();
  acmeKey = await newCompany(server.base, platform(), "acme", "acme");
  globexKey = await newCompany(server.base, platform(), "globex", "globex");
  ({ tokens, dm, group } = await fillAcme(server, platform(), "call-1"));
  await provision(server.base, platform(), "globex", ["gina"]);
});

stopAfterFile(() => server);

describe("issue 18.5 export of a chat", () => {
  it("18.5: a chat's archive holds its log, its members and cursors, the files' manifest with signed links, and the files", async () => {
    const zip = await fetchZip(`${server.base}/api/tenants/acme/export/chats/${dm.chatId}`, acmeKey);
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    expect(zip.headers.get("content-disposition")).toMatch(/attachment/);
    expect(jsonOf(zip.files, "manifest.json")).toMatchObject({
      format: "conversas-export",
      version: 1,
      kind: "chat",
      tenant: "acme",
      id: dm.chatId,
    });
    const head = jsonOf(zip.files, "chat.json");
    expect(head).toMatchObject({
      exists: true,
      kind: "direct",
      members: ["ana", "bruno"],
      lastSeq: dm.messages.length,
      base: { seq: 0, ord: 0 },
    });
    const messages = jsonOf(zip.files, "messages.json");
    expect(messages.map((m: any) => m.text)).toEqual(dm.messages.map((m) => m.text));
    const files = jsonOf(zip.files, "files.json");
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ uploaderId: "ana", usedBySeq: 3, path: `files/${dm.fileId}`, attachment: { name: "relatório.txt" } });
    expect(Buffer.from(zip.files[`files/${dm.fileId}`]!)).toEqual(Buffer.from(dm.fileBytes));
    // The signed link works without any session, as a download; tampered, it does not.
    const link = await fetch(files[0].link);
    expect(link.status).toBe(200);
    expect(link.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(Buffer.from(await link.arrayBuffer())).toEqual(Buffer.from(dm.fileBytes));
    const url = new URL(files[0].link);
    url.searchParams.set("x", String(Number(url.searchParams.get("x")) + 1000));
    expect((await fetch(url)).status).toBe(401);
    const other = new URL(files[0].link.replace(dm.chatId, group.chatId));
    expect((await fetch(other)).status).toBe(401);
    // Without the bytes: the manifest only.
    const light = await fetchZip(`${server.base}/api/tenants/acme/export/chats/${dm.chatId}?files=0`, acmeKey);
    expect(Object.keys(light.files).some((n) => n.startsWith("files/"))).toBe(false);
  });

  it("18.5: a long chat comes out whole, in order, across the pages the archive is streamed in", async () => {
    const now = Date.now();
    const messages = Array.from({ length: 1234 }, (_, i) => ({
      id: `dm.bruno.carla:${i + 1}`,
      seq: i + 1,
      chatId: "dm.bruno.carla",
      clientId: `importado-${i + 1}`,
      senderId: i % 2 ? "bruno" : "carla",
      text: `mensagem ${i + 1}`,
      createdAt: now - 10_000 + i,
    }));
    const imported = await api("/tenants/acme/chats/dm.bruno.carla/import", platform(), {
      method: "POST",
      body: JSON.stringify({ messages }),
    });
    expect(imported.body).toEqual({ lastSeq: 1234, imported: 1234 });
    const zip = await fetchZip(`${server.base}/api/tenants/acme/export/chats/dm.bruno.carla`, acmeKey);
    const out = jsonOf(zip.files, "messages.json");
    expect(out).toHaveLength(1234);
    expect(out.map((m: any) => m.seq)).toEqual(messages.map((m) => m.seq));
    expect(out[1233].text).toBe("mensagem 1234");
    const bruno = await fetchZip(`${server.base}/api/tenants/acme/export/users/bruno`, acmeKey);
    expect(jsonOf(bruno.files, "messages/dm.bruno.carla.json")).toHaveLength(617);
  });

  it("18.5: a group's archive has its group facts and every member's message", async () => {
    const zip = await fetchZip(`${server.base}/api/tenants/acme/export/chats/${group.chatId}`, platform());
    const head = jsonOf(zip.files, "chat.json");
    expect(head.group).toMatchObject({ name: "Projeto Ômega", createdBy: "carla" });
    expect(jsonOf(zip.files, "messages.json").filter((m: any) => !m.system)).toHaveLength(3);
  });

  it("18.5: only the company's admins export its chats: another company's key, a member's session, no key are refused; an unknown chat is a 404", async () => {
    const url = `${server.base}/api/tenants/acme/export/chats/${dm.chatId}`;
    expect((await fetchZip(url, globexKey)).status).toBe(403);
    expect((await fetchZip(url, tokens.ana!)).status).toBe(403);
    expect((await fetch(url)).status).toBe(401);
    expect((await fetchZip(`${server.base}/api/tenants/globex/export/chats/${dm.chatId}`, acmeKey)).status).toBe(403);
    // globex's admin asking for "its" copy of acme's chat id reaches globex's own (empty) room: nothing of acme.
    expect((await fetchZip(`${server.base}/api/tenants/globex/export/chats/${dm.chatId}`, globexKey)).status).toBe(404);
    expect((await fetchZip(`${server.base}/api/tenants/acme/export/chats/g.zzzzzzzzzzzzzzzz`, acmeKey)).status).toBe(404);
    // A DM nobody opened stays unmade: an export does not create it.
    expect((await fetchZip(`${server.base}/api/tenants/acme/export/chats/dm.ana.carla`, acmeKey)).status).toBe(404);
    expect((await fetchZip(`${server.base}/api/tenants/acme/export/chats/dm.ana.carla`, acmeKey)).status).toBe(404);
    const bad = await fetchZip(`${server.base}/api/tenants/acme/export/chats/nada`, acmeKey);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ code: "invalid_body", field: "chatId" });
  });
});

describe("issue 18.5 export of a user's data", () => {
  it("18.5: a user's archive has their profile, only their own messages per chat, their files' list and their calls", async () => {
    const zip = await fetchZip(`${server.base}/api/tenants/acme/export/users/ana`, acmeKey);
    expect(zip.status).toBe(200);
    expect(jsonOf(zip.files, "manifest.json")).toMatchObject({ kind: "user", tenant: "acme", id: "ana" });
    const profile = jsonOf(zip.files, "profile.json");
    expect(profile).toMatchObject({ id: "ana", login: "ana", email: "ana@example.com" });
    expect(JSON.stringify(profile)).not.toMatch(/pbkdf2|hash|sessionVersion/);
    const mine = jsonOf(zip.files, `messages/${dm.chatId}.json`);
    expect(mine.map((m: any) => m.text)).toEqual(["olá bruno, aqui é ana", "segue o relatório", "de nada"]);
    expect(mine.every((m: any) => m.senderId === "ana")).toBe(true);
    expect(jsonOf(zip.files, `messages/${group.chatId}.json`).map((m: any) => m.text)).toEqual(["mensagem de ana no grupo"]);
    expect(jsonOf(zip.files, "files.json")).toEqual([
      expect.objectContaining({ chatId: dm.chatId, fileId: dm.fileId, name: "relatório.txt" }),
    ]);
    expect(jsonOf(zip.files, "calls.json")).toEqual([expect.objectContaining({ callId: "call-1" })]);
    // Exports are audited.
    const trail = await api("/tenants/acme/audit?prefix=export.", platform());
    expect(trail.body.events.map((e: any) => `${e.action}:${e.target}`)).toContain("export.user:ana");
  });

  it("18.5: another company's key or a member's session cannot export a user; an unknown user is a 404", async () => {
    expect((await fetchZip(`${server.base}/api/tenants/acme/export/users/ana`, globexKey)).status).toBe(403);
    expect((await fetchZip(`${server.base}/api/tenants/acme/export/users/ana`, tokens.bruno!)).status).toBe(403);
    expect((await fetchZip(`${server.base}/api/tenants/acme/export/users/ninguem`, acmeKey)).status).toBe(404);
  });
});
