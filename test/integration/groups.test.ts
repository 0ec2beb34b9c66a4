/**
 * Groups against the real runtime over real sockets (R13–R19): creation
 * through the HTTP API, the roles and membership rules enforced in the chat room
 * (members trying admin actions, removed people trying to read, post, reconnect
 * or fetch files, outsiders trying to get in), concurrent admin actions, the heir
 * when the last admin leaves, a group that everyone left, the members' lists
 * updating live on every change, and (last, as it restarts the server) a group
 * surviving a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cid, connect, http, openChat, openHub, provision, putUser, roomUrl, userBody, type Client, type Json } from "../support/clients";
import { download, fetchFile, someBytes, upload } from "../support/files";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let tokens: Record<string, string>;
let globex: Record<string, string>;
const open_: Client[] = [];

beforeAll(async () => {
  server = await startTestServer();
  tokens = await provision(server.base, server.adminKey!, "acme", ["ana", "bruno", "carla", "davi", "eva", "fabio"]);
  globex = await provision(server.base, server.adminKey!, "globex", ["ana"]);
});

afterAll(async () => {
  await Promise.allSettled(open_.map((c) => c.close(1000)));
  await server?.stop();
});

const room = (chatId: string) => `acme.${chatId}`;

function createGroup(token: string | null, body: unknown, tenant = "acme") {
  return http(`${server.base}/api/tenants/${tenant}/groups`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function newGroup(creator: string, members: string[], name = "Equipe"): Promise<{ chatId: string; group: Json }> {
  const res = await createGroup(tokens[creator]!, { name, members });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function chat(user: string, chatId: string): Promise<{ client: Client; ready: Json }> {
  const r = await openChat(server.wsBase, room(chatId), tokens[user]!);
  open_.push(r.client);
  return r;
}

async function inboxOf(user: string): Promise<{ client: Client; snapshot: Json }> {
  const { client, inbox } = await openHub(server.wsBase, "acme", tokens[user]!);
  open_.push(client);
  return { client, snapshot: inbox };
}

/** Opens a socket that the room must refuse; returns the error frame and the close code. */
async function refusedChat(user: string, chatId: string): Promise<{ error: Json; code: number }> {
  const r = await connect(roomUrl(server.wsBase, "chat", room(chatId)), tokens[user]!);
  if (!("client" in r)) throw new Error(`upgrade refused with ${r.status}`);
  const error = await r.client.nextOfType("error");
  return { error, code: (await r.client.closed).code };
}

const updated = (c: Client, pred: (g: Json) => boolean = () => true) =>
  c.next((f) => f.type === "group.updated" && pred(f.group), 10_000, "group.updated");
const systemLine = (c: Client, kind: string) =>
  c.next((f) => f.type === "message.new" && f.message.system?.kind === kind, 10_000, `system ${kind}`);
const roleOf = (g: Json, user: string) => g.members.find((m: Json) => m.userId === user)?.role;

async function say(c: Client, text: string): Promise<Json> {
  const clientId = cid();
  c.send({ type: "message.send", clientId, text });
  return c.next((f) => (f.type === "message.ack" || f.type === "error") && f.clientId === clientId, 10_000, "ack");
}

describe("R13/R14 creating a group", () => {
  it("R13: the creator is admin, the others members, the log opens with 'created' and 'added', and every member's list shows it live", async () => {
    const brunoInbox = await inboxOf("bruno");
    const carlaInbox = await inboxOf("carla");
    const { chatId, group } = await newGroup("ana", ["bruno", "carla"], "  Suporte   N2 ");
    expect(chatId).toMatch(/^g\.[a-z0-9]{16}$/);
    expect(group.name).toBe("Suporte N2");
    expect(group.members.map((m: Json) => [m.userId, m.role])).toEqual([
      ["ana", "admin"],
      ["bruno", "member"],
      ["carla", "member"],
    ]);
    for (const inbox of [brunoInbox.client, carlaInbox.client]) {
      const up = await inbox.next((f) => f.type === "inbox.update" && f.conversation.chatId === chatId);
      expect(up.conversation).toMatchObject({ kind: "group", name: "Suporte N2", imageFileId: null });
      expect(up.conversation.lastMessage.seq).toBe(2);
    }
    const { ready } = await chat("carla", chatId);
    expect(ready.group).toEqual(group);
    expect(ready.members).toEqual(["ana", "bruno", "carla"]);
    expect(ready.messages.map((m: Json) => m.system)).toEqual([
      { kind: "created", actor: "ana", name: "Suporte N2" },
      { kind: "added", actor: "ana", targets: ["bruno", "carla"] },
    ]);
    expect(ready.messages.every((m: Json) => m.text === "" && m.senderId === "ana")).toBe(true);
  });

  it("R13: a group without a name, without members, with a 500-character name or with unknown people is refused naming the field", async () => {
    const cases: [unknown, string][] = [
      [{ name: "", members: ["bruno"] }, "name"],
      [{ name: "    ", members: ["bruno"] }, "name"],
      [{ members: ["bruno"] }, "name"],
      [{ name: "x".repeat(500), members: ["bruno"] }, "name"],
      [{ name: "x".repeat(101), members: ["bruno"] }, "name"],
      [{ name: "Equipe", members: [] }, "members"],
      [{ name: "Equipe", members: ["ana"] }, "members"],
      [{ name: "Equipe" }, "members"],
      [{ name: "Equipe", members: ["ninguem"] }, "members"],
      [{ name: "Equipe", members: ["Bruno!"] }, "members.0"],
    ];
    for (const [body, field] of cases) {
      const res = await createGroup(tokens.ana!, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.field, JSON.stringify(body)).toBe(field);
    }
    expect((await createGroup(tokens.ana!, "{not json")).status).toBe(400);
  });

  it("R13: only a signed-in user of that tenant creates, and disabled people cannot be added", async () => {
    expect((await createGroup(null, { name: "Equipe", members: ["bruno"] })).status).toBe(401);
    expect((await createGroup(globex.ana!, { name: "Equipe", members: ["bruno"] })).status).toBe(403);
    expect((await putUser(server.base, server.adminKey!, "acme", "fabio", userBody("fabio", { enabled: false }))).status).toBe(200);
    const res = await createGroup(tokens.ana!, { name: "Equipe", members: ["bruno", "fabio"] });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe("members");
  });

  it("R13: nobody but the edge creates a group room: a direct POST into the room is refused", async () => {
    const { chatId } = await newGroup("ana", ["bruno"]);
    for (const target of [chatId, "g.yyyyyyyyyyyyyyyy"]) {
      for (const path of ["/group/create", "/rpc", ""]) {
        const res = await http(`${server.base}/parties/chat/${room(target)}${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${tokens.eva}`, "content-type": "application/json" },
          body: JSON.stringify({ route: "chat.createGroup", creator: "eva", name: "Meu", members: ["eva", "davi"] }),
        });
        expect([403, 404], `${target}${path}`).toContain(res.status);
      }
    }
    expect((await refusedChat("eva", "g.yyyyyyyyyyyyyyyy")).error.code).toBe("not_found");
    expect((await refusedChat("eva", chatId)).code).toBe(4003);
    expect((await refusedChat("eva", "g.zzzzzzzzzzzzzzzz")).error.code).toBe("not_found");
  });
});

describe("R15/R16 roles and changes", () => {
  it("R15: a member trying admin actions is refused and nothing changes; any member may add, rename and post", async () => {
    const { chatId } = await newGroup("ana", ["bruno", "carla"]);
    const { client: ana } = await chat("ana", chatId);
    const { client: bruno } = await chat("bruno", chatId);
    for (const frame of [
      { type: "group.remove", userId: "carla" },
      { type: "group.role", userId: "carla", role: "admin" },
      { type: "group.role", userId: "bruno", role: "admin" },
      { type: "group.role", userId: "ana", role: "member" },
    ]) {
      bruno.send(frame);
      expect((await bruno.nextOfType("error")).code, JSON.stringify(frame)).toBe("forbidden");
    }
    bruno.send({ type: "group.add", userIds: ["davi"] });
    const added = await updated(ana);
    expect(added.group.members.map((m: Json) => [m.userId, m.role])).toEqual([
      ["ana", "admin"],
      ["bruno", "member"],
      ["carla", "member"],
      ["davi", "member"],
    ]);
    expect((await systemLine(ana, "added")).message.system).toEqual({ kind: "added", actor: "bruno", targets: ["davi"] });
    // No refused command wrote anything: the only lines after creation are bruno's "added".
    const { ready } = await chat("davi", chatId);
    expect(ready.messages.map((m: Json) => m.system?.kind)).toEqual(["created", "added", "added"]);
    bruno.send({ type: "group.rename", name: "x".repeat(500) });
    expect(await bruno.nextOfType("error")).toMatchObject({ code: "invalid_frame", field: "name" });
    bruno.send({ type: "group.rename", name: "   " });
    expect(await bruno.nextOfType("error")).toMatchObject({ code: "invalid_frame", field: "name" });
    const anaInbox = await inboxOf("ana");
    bruno.send({ type: "group.rename", name: "Plantão" });
    expect((await updated(ana, (g) => g.name === "Plantão")).group.name).toBe("Plantão");
    const up = await anaInbox.client.next(
      (f) => f.type === "inbox.update" && f.conversation.chatId === chatId && f.conversation.name === "Plantão",
    );
    expect(up.conversation.kind).toBe("group");
    expect((await say(bruno, "oi grupo")).type).toBe("message.ack");
  });

  it("R15: an admin promotes and demotes; the last admin cannot demote themselves; members delete only their own messages", async () => {
    const { chatId } = await newGroup("ana", ["bruno"]);
    const { client: ana } = await chat("ana", chatId);
    const { client: bruno } = await chat("bruno", chatId);
    ana.send({ type: "group.role", userId: "ana", role: "member" });
    expect(await ana.nextOfType("error")).toMatchObject({ code: "invalid_frame", field: "userId" });
    ana.send({ type: "group.role", userId: "bruno", role: "admin" });
    expect(roleOf((await updated(bruno)).group, "bruno")).toBe("admin");
    expect((await systemLine(bruno, "promoted")).message.system).toEqual({ kind: "promoted", actor: "ana", target: "bruno" });
    bruno.send({ type: "group.role", userId: "ana", role: "member" });
    expect(roleOf((await updated(ana, (g) => roleOf(g, "ana") === "member")).group, "ana")).toBe("member");
    const mine = (await say(ana, "minha")).message;
    bruno.send({ type: "message.delete", seq: mine.seq });
    expect((await bruno.nextOfType("error")).code).toBe("forbidden");
    bruno.send({ type: "message.delete", seq: 1 });
    expect((await bruno.nextOfType("error")).code).toBe("forbidden");
    ana.send({ type: "message.delete", seq: mine.seq });
    expect((await bruno.nextOfType("message.updated")).message.deleted).toBe(true);
  });

  it("R15: two admins removing each other at the same moment leave one of them, still an admin, and everyone agrees", async () => {
    const { chatId } = await newGroup("ana", ["bruno", "carla"]);
    const { client: ana } = await chat("ana", chatId);
    const { client: bruno } = await chat("bruno", chatId);
    const { client: carla } = await chat("carla", chatId);
    ana.send({ type: "group.role", userId: "bruno", role: "admin" });
    await updated(carla);
    ana.send({ type: "group.remove", userId: "bruno" });
    bruno.send({ type: "group.remove", userId: "ana" });
    const first = await updated(carla);
    const closes = await Promise.race([
      Promise.any([ana.closed, bruno.closed]),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error("nobody was removed")), 10_000)),
    ]);
    expect(closes.code).toBe(4003);
    await new Promise((r) => setTimeout(r, 500));
    const survivors = first.group.members.map((m: Json) => m.userId);
    expect(survivors).toHaveLength(2);
    expect(survivors).toContain("carla");
    const winner = survivors.find((u: string) => u !== "carla");
    const loser = winner === "ana" ? "bruno" : "ana";
    expect(roleOf(first.group, winner)).toBe("admin");
    // The second remove was refused; no second change reached anyone.
    expect(carla.frames.filter((f) => f.type === "group.updated")).toHaveLength(2);
    const { ready } = await chat(winner, chatId);
    expect(ready.group).toEqual(first.group);
    expect((await refusedChat(loser, chatId)).code).toBe(4003);
  });
});

describe("R17/R18 leaving, removal and re-adding", () => {
  it("R17: a removed member's sockets close, the group leaves their list, and they can no longer read, post, reconnect, forward or fetch files", async () => {
    const { chatId } = await newGroup("ana", ["bruno", "carla"]);
    const { client: ana } = await chat("ana", chatId);
    const { client: bruno } = await chat("bruno", chatId);
    const { client: carla } = await chat("carla", chatId);
    const carlaInbox = await inboxOf("carla");
    const before = await upload(server.base, room(chatId), tokens.bruno!, someBytes(3000, "%PDF-"), "escala.pdf", "application/pdf");
    expect(before.status).toBe(201);
    const clientId = cid();
    bruno.send({ type: "message.send", clientId, fileId: before.body.attachment.fileId });
    const fileMsg = (await bruno.next((f) => f.type === "message.ack" && f.clientId === clientId)).message;
    const get = (who: string) => fetchFile(server.base, room(chatId), fileMsg.attachment.fileId, tokens[who]!);
    const carlasLink = await get("carla");
    expect(carlasLink.status).toBe(200);

    ana.send({ type: "group.remove", userId: "carla" });
    const err = await carla.nextOfType("error");
    expect(err).toMatchObject({ code: "forbidden", message: "Você não participa mais deste grupo." });
    expect((await carla.closed).code).toBe(4003);
    expect(await carlaInbox.client.next((f) => f.type === "inbox.remove")).toEqual({ type: "inbox.remove", chatId });
    expect((await systemLine(bruno, "removed")).message.system).toEqual({ kind: "removed", actor: "ana", target: "carla" });

    const again = await refusedChat("carla", chatId);
    expect(again.error.code).toBe("forbidden");
    expect(again.code).toBe(4003);
    expect((await get("carla")).status).toBe(403);
    // The link she had while a member no longer works either.
    expect((await download(carlasLink.url!)).status).toBe(403);
    expect((await get("bruno")).status).toBe(200);
    const up = await upload(server.base, room(chatId), tokens.carla!, someBytes(100), "x.bin");
    expect(up.status).toBe(403);
    // Forwarding from her DM into the group is refused too.
    const { client: dm } = await chat("carla", "dm.ana.carla");
    const sent = (await say(dm, "encaminha isso")).message;
    dm.send({ type: "message.forward", clientId: cid(), seq: sent.seq, to: [chatId] });
    expect(await dm.nextOfType("error")).toMatchObject({ code: "forbidden", field: "to" });
    const fresh = await inboxOf("carla");
    expect(fresh.snapshot.conversations.map((c: Json) => c.chatId)).not.toContain(chatId);
  });

  it("R17: re-added, a member sees the whole history again, including what was said while they were out", async () => {
    const { chatId } = await newGroup("ana", ["bruno", "carla"]);
    const { client: ana } = await chat("ana", chatId);
    const { client: carla } = await chat("carla", chatId);
    await say(carla, "antes de sair");
    carla.send({ type: "group.leave" });
    expect((await carla.closed).code).toBe(4003);
    expect((await systemLine(ana, "left")).message.system).toEqual({ kind: "left", actor: "carla" });
    await say(ana, "enquanto carla estava fora");
    const carlaInbox = await inboxOf("carla");
    expect(carlaInbox.snapshot.conversations.map((c: Json) => c.chatId)).not.toContain(chatId);
    ana.send({ type: "group.add", userIds: ["carla"] });
    const back = await carlaInbox.client.next((f) => f.type === "inbox.update" && f.conversation.chatId === chatId);
    expect(back.conversation.kind).toBe("group");
    const { ready } = await chat("carla", chatId);
    const texts = ready.messages.map((m: Json) => m.text || m.system?.kind);
    expect(texts).toEqual(["created", "added", "antes de sair", "left", "enquanto carla estava fora", "added"]);
  });

  it("R18: when the last admin leaves, the longest-standing member becomes admin, logged as done by the room", async () => {
    const { chatId } = await newGroup("ana", ["bruno"]);
    const { client: ana } = await chat("ana", chatId);
    ana.send({ type: "group.add", userIds: ["carla"] });
    await updated(ana);
    const { client: carla } = await chat("carla", chatId);
    ana.send({ type: "group.leave" });
    const g = (await updated(carla)).group;
    expect(g.members.map((m: Json) => [m.userId, m.role])).toEqual([
      ["bruno", "admin"],
      ["carla", "member"],
    ]);
    expect((await systemLine(carla, "left")).message.senderId).toBe("ana");
    const heir = (await systemLine(carla, "promoted")).message;
    expect(heir.system).toEqual({ kind: "promoted", actor: null, target: "bruno" });
    expect(heir.senderId).toBe("bruno");
  });

  it("R18: a group everyone has left disappears from every list and its room answers as if it never existed", async () => {
    const anaInbox = await inboxOf("ana");
    const brunoInbox = await inboxOf("bruno");
    const { chatId } = await newGroup("ana", ["bruno"]);
    await anaInbox.client.next((f) => f.type === "inbox.update" && f.conversation.chatId === chatId);
    const { client: ana } = await chat("ana", chatId);
    ana.send({ type: "group.remove", userId: "bruno" });
    expect(await brunoInbox.client.next((f) => f.type === "inbox.remove")).toEqual({ type: "inbox.remove", chatId });
    await updated(ana);
    ana.send({ type: "group.leave" });
    expect((await ana.closed).code).toBe(4003);
    expect(await anaInbox.client.next((f) => f.type === "inbox.remove")).toEqual({ type: "inbox.remove", chatId });
    for (const user of ["ana", "bruno"]) {
      const r = await refusedChat(user, chatId);
      expect(r.error.code).toBe("not_found");
      const snap = (await inboxOf(user)).snapshot;
      expect(snap.conversations.map((c: Json) => c.chatId)).not.toContain(chatId);
    }
  });
});

describe("R19 files in groups", () => {
  it("R19: files sent in a group reach every member; the group image is a member's own upload, then visible to all", async () => {
    const { chatId } = await newGroup("ana", ["bruno", "carla"]);
    const { client: ana } = await chat("ana", chatId);
    const { client: carla } = await chat("carla", chatId);
    const bytes = someBytes(5000, "\x89PNG\r\n\x1a\n");
    const up = await upload(server.base, room(chatId), tokens.ana!, bytes, "logo.png", "image/png");
    expect(up.status).toBe(201);
    const fileId = up.body.attachment.fileId as string;
    // Not used yet: only its uploader may fetch it, and nobody else may make it the group image.
    expect((await fetchFile(server.base, room(chatId), fileId, tokens.carla!)).status).toBe(404);
    carla.send({ type: "group.image", fileId });
    expect(await carla.nextOfType("error")).toMatchObject({ code: "not_found", field: "fileId" });
    ana.send({ type: "group.image", fileId });
    expect((await updated(carla)).group.imageFileId).toBe(fileId);
    expect((await systemLine(carla, "image")).message.system).toEqual({ kind: "image", actor: "ana" });
    const got = await fetchFile(server.base, room(chatId), fileId, tokens.carla!);
    expect(got.status).toBe(200);
    expect(Buffer.compare(got.bytes, Buffer.from(bytes))).toBe(0);

    const doc = await upload(server.base, room(chatId), tokens.carla!, someBytes(2000, "%PDF-"), "ata.pdf", "application/pdf");
    const clientId = cid();
    carla.send({ type: "message.send", clientId, fileId: doc.body.attachment.fileId });
    await carla.next((f) => f.type === "message.ack" && f.clientId === clientId);
    ana.send({ type: "gallery.fetch", kind: "documents" });
    const page = await ana.nextOfType("gallery.page");
    expect(page.items.map((m: Json) => m.attachment.name)).toEqual(["ata.pdf"]);
    expect((await fetchFile(server.base, room(chatId), doc.body.attachment.fileId, tokens.bruno!)).status).toBe(200);
    expect((await fetchFile(server.base, room(chatId), doc.body.attachment.fileId, tokens.davi!)).status).toBe(403);
  });

  it("R19: replies and forwards work in groups: into a group from a DM and out of a group into a DM", async () => {
    const { chatId } = await newGroup("ana", ["bruno", "carla"]);
    const { client: ana } = await chat("ana", chatId);
    const { client: carla } = await chat("carla", chatId);
    const first = (await say(carla, "primeira")).message;
    const clientId = cid();
    ana.send({ type: "message.send", clientId, text: "respondendo", replyTo: first.seq });
    const reply = (await ana.next((f) => f.type === "message.ack" && f.clientId === clientId)).message;
    expect(reply.replyTo).toMatchObject({ seq: first.seq, senderId: "carla", snippet: "primeira" });
    const { client: dm } = await chat("ana", "dm.ana.bruno");
    const inDm = (await say(dm, "do privado")).message;
    const fwd1 = cid();
    dm.send({ type: "message.forward", clientId: fwd1, seq: inDm.seq, to: [chatId] });
    expect((await dm.next((f) => f.type === "forward.done" && f.clientId === fwd1)).copies[0].chatId).toBe(chatId);
    const copy = await carla.next((f) => f.type === "message.new" && f.message.forwarded === true);
    expect(copy.message).toMatchObject({ text: "do privado", senderId: "ana" });
    const fwd2 = cid();
    ana.send({ type: "message.forward", clientId: fwd2, seq: first.seq, to: ["dm.ana.bruno"] });
    await ana.next((f) => f.type === "forward.done" && f.clientId === fwd2);
    expect((await dm.next((f) => f.type === "message.new" && f.message.forwarded === true)).message.text).toBe("primeira");
    ana.send({ type: "message.forward", clientId: cid(), seq: 1, to: ["dm.ana.bruno"] });
    expect(await ana.nextOfType("error")).toMatchObject({ code: "forbidden", field: "seq" });
  });
});

describe("after a restart (runs last: it restarts the server)", () => {
  it("R18: a group keeps its members, roles, history and removals across a restart, and its log carries on", async () => {
    const { chatId } = await newGroup("ana", ["bruno", "carla"]);
    const { client: ana } = await chat("ana", chatId);
    ana.send({ type: "group.role", userId: "bruno", role: "admin" });
    await updated(ana);
    ana.send({ type: "group.remove", userId: "carla" });
    await updated(ana);
    await say(ana, "antes do reinício");
    const before = (await chat("bruno", chatId)).ready;
    await Promise.allSettled(open_.splice(0).map((c) => c.close(1000)));
    await server.stop();
    server = await startTestServer({ persist: server.persist, secrets: server.secrets, port: server.port });

    const { client: bruno, ready } = await chat("bruno", chatId);
    expect(ready.group).toEqual(before.group);
    expect(ready.lastSeq).toBe(before.lastSeq);
    expect(ready.messages).toEqual(before.messages);
    expect((await refusedChat("carla", chatId)).code).toBe(4003);
    bruno.send({ type: "group.add", userIds: ["carla"] });
    const line = await systemLine(bruno, "added");
    expect(line.message.seq).toBe(before.lastSeq + 1);
    expect((await chat("carla", chatId)).ready.messages.at(-1)).toEqual(line.message);
  });
});
