/**
 * Backups (issue 18.9) against the real runtime: `npm run backup`'s export of a
 * whole company to a folder, a wipe (a new deployment: fresh state folder, other
 * secrets), `npm run restore` into it, and a second backup that must equal the
 * first; and the restored company works: passwords, lists with their unread
 * counts, search, files, call history.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupCompany } from "../../scripts/backup.mjs";
import { restoreCompany } from "../../scripts/restore.mjs";
import { startTestServer, type TestServer } from "../support/server";
import { http, login, openChat, openHub, provision, type Json } from "../support/clients";
import { fetchFile } from "../support/files";
import { fillDm, fillGroup, reportCall, send } from "../support/company";
import { tempDir } from "../../tools/dev/runtime.mjs";

let first: TestServer;
let second: TestServer | null = null;
const folders = { before: tempDir("conversas-backup-"), after: tempDir("conversas-backup-") };
let dm: Awaited<ReturnType<typeof fillDm>>;

/** Every file of a backup folder, with what legitimately differs between two backups taken out. */
function snapshot(dir: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const rel = relative(dir, path);
        const bytes = readFileSync(path);
        if (!rel.endsWith(".json") || rel.includes("/files/")) out[rel] = bytes.toString("base64");
        else
          out[rel] = JSON.parse(bytes.toString("utf8"), (k, v) => {
            if (k === "exportedAt") return undefined;
            if (k === "link") return typeof v === "string" ? new URL(v).pathname : v;
            return v;
          });
      }
    }
  };
  walk(dir);
  // The company's record is made anew by the restore: its dates are the restore's.
  const company = (out["backup.json"] as { company: Record<string, unknown> }).company;
  delete company.createdAt;
  delete company.updatedAt;
  return out;
}

beforeAll(async () => {
  first = await startTestServer();
  const key = first.adminKey!;
  await http(`${first.base}/api/tenants/acme`, {
    method: "PUT",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Acme Ltda" }),
  });
  const tokens = await provision(first.base, key, "acme", ["ana", "bruno", "carla"]);
  await http(`${first.base}/api/tenants/acme/users/carla`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ admin: true, department: "Diretoria" }),
  });
  dm = await fillDm(first.base, first.wsBase, "acme", tokens, "ana", "bruno");
  await fillGroup(first.base, first.wsBase, "acme", tokens, ["carla", "ana", "bruno"]);
  const { client } = await openChat(first.wsBase, "acme.dm.bruno.carla", tokens.carla!);
  await send(client, { text: "mensagem só para o bruno" });
  await client.close();
  const { client: reader } = await openChat(first.wsBase, dm.room, tokens.bruno!);
  reader.send({ type: "read.mark", seq: 3 });
  await reader.close();
  await reportCall(first.base, first.secrets.CONVERSAS_SESSION_SECRET!, "acme", "ana", "bruno", "call-backup-1");
  // A user who was disabled keeps their history, and comes back disabled.
  await http(`${first.base}/api/tenants/acme/users/carla`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ enabled: false }),
  });
});

afterAll(async () => {
  await first?.stop();
  await second?.stop();
});

describe("issue 18.9 backups", () => {
  it("18.9: backup, wipe, restore into an empty deployment, backup again: the same company", async () => {
    const done = await backupCompany({ base: first.base, key: first.adminKey!, tenant: "acme", out: folders.before });
    expect(done).toEqual({ users: 3, chats: 3 });
    const before = snapshot(folders.before);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining([
        "backup.json",
        "users.json",
        `chats/${dm.chatId}/messages.json`,
        `chats/${dm.chatId}/files/${dm.fileId}`,
        "users/ana/calls.json",
      ]),
    );
    await first.stop();

    // The wipe: another deployment, with nothing in it and secrets of its own.
    second = await startTestServer();
    expect(
      (await http(`${second.base}/api/tenants/acme/users/ana`, { headers: { authorization: `Bearer ${second.adminKey}` } })).status,
    ).toBe(404);
    const restored = await restoreCompany({ base: second.base, key: second.adminKey!, from: folders.before });
    expect(restored).toMatchObject({ users: 3, chats: 3, files: 1 });
    await backupCompany({ base: second.base, key: second.adminKey!, tenant: "acme", out: folders.after });
    const after = snapshot(folders.after);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const name of Object.keys(before)) expect(after[name], name).toEqual(before[name]);
  });

  it("18.9: the restored company works: passwords, lists with their unread counts, search, files, call history", async () => {
    const s = second!;
    const ana = await login(s.base, "acme", "ana");
    expect(ana.status).toBe(200);
    expect((await login(s.base, "acme", "carla")).status).toBe(401);
    const bruno = (await login(s.base, "acme", "bruno")).body.token as string;
    const { client, inbox } = await openHub(s.wsBase, "acme", bruno);
    const byChat = new Map<string, Json>(inbox.conversations.map((c: Json) => [c.chatId, c]));
    expect([...byChat.keys()].sort()).toEqual(expect.arrayContaining([dm.chatId, "dm.bruno.carla"]));
    expect(byChat.get(dm.chatId)).toMatchObject({ unread: 1, lastMessage: { text: "de nada" } });
    expect(byChat.get("dm.bruno.carla")).toMatchObject({ unread: 1 });
    client.send({ type: "search.query", q: "relatório" });
    const hits = await client.next((f) => f.type === "search.results", 15_000);
    expect(hits.hits.length).toBeGreaterThanOrEqual(2);
    await client.close();
    const file = await fetchFile(s.base, dm.room, dm.fileId, bruno);
    expect(file.status).toBe(200);
    expect(Buffer.from(file.bytes)).toEqual(Buffer.from(dm.fileBytes));
    const { client: chat, ready } = await openChat(s.wsBase, dm.room, bruno);
    expect(ready.lastSeq).toBe(5);
    const next = await send(chat, { text: "continua depois da restauração" });
    expect(next.seq).toBe(6);
    await chat.close();
  });

  it("18.9: backups and restores take the platform key; a company key cannot", async () => {
    const s = second!;
    const companyKey = (
      await http(`${s.base}/api/tenants/acme/keys`, { method: "POST", headers: { authorization: `Bearer ${s.adminKey}` }, body: "{}" })
    ).body.key;
    expect((await http(`${s.base}/api/tenants/acme/backup`, { headers: { authorization: `Bearer ${companyKey}` } })).status).toBe(401);
    const res = await http(`${s.base}/api/tenants/acme/restore/users`, {
      method: "POST",
      headers: { authorization: `Bearer ${companyKey}`, "content-type": "application/json" },
      body: JSON.stringify({ users: [] }),
    });
    expect(res.status).toBe(401);
  });
});
