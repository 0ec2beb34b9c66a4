/**
 * Rich messaging against the real runtime (R9 attachments and voice notes,
 * R10 reply / forward / delete-own, R5 "Mídias"/"Documentos"): uploads into R2
 * through the chat room, downloads through signed per-member links, the upload limit,
 * the headers that keep hostile files inert, and the server-side checks on
 * delete, reply and forward. The server runs with a 256 KiB upload limit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cid, openChat, openHub, provision, putUser, userBody, type Client, type Json } from "../support/clients";
import { download, fetchFile, r2Blobs, someBytes, startTestServerWith, upload } from "../support/files";
import type { TestServer } from "../support/server";

const LIMIT = 256 * 1024;
let server: TestServer;
let tokens: Record<string, string>;
let globex: Record<string, string>;
const DM = "acme.dm.ana.bruno";
const ANA_CARLA = "acme.dm.ana.carla";

beforeAll(async () => {
  server = await startTestServerWith({ CONVERSAS_MAX_UPLOAD_BYTES: String(LIMIT) });
  tokens = await provision(server.base, server.adminKey!, "acme", ["ana", "bruno", "carla", "davi", "eva"]);
  globex = await provision(server.base, server.adminKey!, "globex", ["ana"]);
});

afterAll(async () => {
  await server?.stop();
});

const ackOf = (c: Client, clientId: string) =>
  c.next((f) => (f.type === "message.ack" || f.type === "error") && f.clientId === clientId, 10_000, `ack ${clientId}`);

/** Sends a frame with a fresh clientId and waits for its ack (or error). */
async function sendAndWait(c: Client, frame: Json): Promise<Json> {
  const clientId = cid();
  c.send({ type: "message.send", clientId, ...frame });
  return ackOf(c, clientId);
}

/** Uploads as `user` into `room` and sends the file as a message; returns the stored message. */
async function sendFile(c: Client, room: string, user: string, bytes: Uint8Array, name: string, type: string, extra: Json = {}) {
  const up = await upload(server.base, room, tokens[user]!, bytes, name, type);
  expect(up.status, up.text).toBe(201);
  const ack = await sendAndWait(c, { fileId: up.body.attachment.fileId, ...extra });
  expect(ack.type, JSON.stringify(ack)).toBe("message.ack");
  return ack.message as Json;
}

describe("R9 upload and download", () => {
  it("R9: a member uploads a picture, sends it, and the other member downloads the same bytes inline", async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const { client: bruno } = await openChat(server.wsBase, DM, tokens.bruno!);
    const bytes = someBytes(40_000, "\x89PNG\r\n\x1a\n");
    const message = await sendFile(ana, DM, "ana", bytes, "foto da reunião.png", "image/png", { text: "olha" });
    expect(message.attachment).toMatchObject({ name: "foto da reunião.png", size: 40_000, contentType: "image/png", kind: "image" });
    expect(message.text).toBe("olha");
    const live = await bruno.nextOfType("message.new");
    expect(live.message).toEqual(message);
    const got = await fetchFile(server.base, DM, message.attachment.fileId, tokens.bruno!);
    expect(got.status).toBe(200);
    expect(Buffer.compare(got.bytes, Buffer.from(bytes))).toBe(0);
    expect(got.headers.get("content-type")).toBe("image/png");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(got.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
    expect(got.headers.get("content-disposition")).toMatch(/^inline; .*filename\*=UTF-8''foto%20da%20reuni%C3%A3o\.png$/);
    const asDownload = await fetchFile(server.base, DM, message.attachment.fileId, tokens.bruno!, { download: true });
    expect(asDownload.headers.get("content-disposition")).toMatch(/^attachment;/);
    // Players seek with byte ranges.
    const part = await fetchFile(server.base, DM, message.attachment.fileId, tokens.bruno!, {
      init: { headers: { range: "bytes=100-199" } },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 100-199/40000");
    expect(Buffer.compare(part.bytes, Buffer.from(bytes.subarray(100, 200)))).toBe(0);
    await Promise.all([ana.close(), bruno.close()]);
  });

  it("R9: a non-member, a user of another tenant and a caller without a valid token never get the bytes", async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const message = await sendFile(ana, DM, "ana", someBytes(1000), "segredo.pdf", "application/pdf");
    const id = message.attachment.fileId as string;
    const outsiders = [
      { who: "carla (same tenant, not a member)", token: tokens.carla!, status: 403 },
      { who: "globex's ana (another tenant)", token: globex.ana!, status: 403 },
      { who: "no token", token: null, status: 401 },
      { who: "forged token", token: tokens.ana! + "x", status: 401 },
    ];
    for (const o of outsiders) {
      const got = await fetchFile(server.base, DM, id, o.token);
      expect(got.status, o.who).toBe(o.status);
      expect(got.bytes.toString(), o.who).not.toContain("%PDF");
    }
    // Bruno's own link works; edited in any part — another file, another user, a later expiry, the signature — it does not.
    const own = await fetchFile(server.base, DM, id, tokens.bruno!);
    expect(own.status).toBe(200);
    const link = new URL(own.url!);
    const tamper = (key: string, value: string) => {
      const u = new URL(link);
      u.searchParams.set(key, value);
      return u.toString();
    };
    for (const [what, url] of [
      ["user", tamper("u", "carla")],
      ["session", tamper("k", "outrasessao0000000000")],
      ["expiry", tamper("e", String(Number(link.searchParams.get("e")) + 3_600_000))],
      ["signature", tamper("s", "A".repeat(43))],
      ["file", link.toString().replace(id, "AAAAAAAAAAAAAAAAAAAAAA")],
      ["no signature", link.toString().replace(/&s=[^&]+/, "")],
    ] as const) {
      const got = await download(url);
      expect(got.status, what).toBe(401);
      expect(got.bytes.toString(), what).not.toContain("%PDF");
      expect(got.headers.get("content-type"), what).toMatch(/^application\/json/);
    }
    // An unknown file id is 404, and so is a file uploaded but not yet sent, for anyone but its uploader.
    expect((await fetchFile(server.base, DM, "AAAAAAAAAAAAAAAAAAAAAA", tokens.bruno!)).status).toBe(404);
    const pending = await upload(server.base, DM, tokens.ana!, someBytes(500), "rascunho.txt", "text/plain");
    expect((await fetchFile(server.base, DM, pending.body.attachment.fileId, tokens.bruno!)).status).toBe(404);
    expect((await fetchFile(server.base, DM, pending.body.attachment.fileId, tokens.ana!)).status).toBe(200);
    // Nor may an outsider upload into the chat.
    expect((await upload(server.base, DM, tokens.carla!, someBytes(100), "x.png", "image/png")).status).toBe(403);
    expect((await upload(server.base, DM, null, someBytes(100), "x.png", "image/png")).status).toBe(401);
    await ana.close();
  });

  it("R9/R1: a member who was disabled no longer gets the chat's files with their old token", async () => {
    const room = "acme.dm.ana.eva";
    const { client: ana } = await openChat(server.wsBase, room, tokens.ana!);
    const m = await sendFile(ana, room, "ana", someBytes(600), "ata.pdf", "application/pdf");
    const before = await fetchFile(server.base, room, m.attachment.fileId, tokens.eva!);
    expect(before.status).toBe(200);
    const link = before.url!;
    const off = await putUser(server.base, server.adminKey!, "acme", "eva", userBody("eva", { enabled: false }));
    expect(off.status).toBe(200);
    const after = await fetchFile(server.base, room, m.attachment.fileId, tokens.eva!);
    expect(after.status).toBe(401);
    expect(after.bytes.length).toBeLessThan(600);
    // A link she had asked for before dies with her session too.
    expect((await download(link)).status).toBe(401);
    expect((await upload(server.base, room, tokens.eva!, someBytes(10), "x.txt", "text/plain")).status).toBe(401);
    await ana.close();
  });

  it("R9: an upload over the limit gets 413 and leaves nothing in R2; one without Content-Length is refused", async () => {
    const { client, ready } = await openChat(server.wsBase, DM, tokens.ana!);
    expect(ready.maxUploadBytes).toBe(LIMIT);
    await client.close();
    const before = r2Blobs(server.persist).length;
    const big = await upload(server.base, DM, tokens.ana!, someBytes(LIMIT + 1), "grande.mp4", "video/mp4");
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: "too_large" });
    const streamed = await fetch(`${server.base}/parties/chat/${DM}/files`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.ana}`, "content-type": "video/mp4", "x-file-name": "stream.mp4" },
      body: new ReadableStream({
        start(c) {
          c.enqueue(someBytes(1000));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(411);
    await streamed.text();
    expect(r2Blobs(server.persist).length).toBe(before);
    const exact = await upload(server.base, DM, tokens.ana!, someBytes(LIMIT), "no-limite.bin");
    expect(exact.status).toBe(201);
    expect(r2Blobs(server.persist).length).toBe(before + 1);
  });

  it("R9: HTML and SVG files with script are served as downloads, never rendered, never sniffed", async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const html = await sendFile(ana, DM, "ana", new TextEncoder().encode("<script>alert(1)</script>"), "pagina.html", "text/html");
    const svg = await sendFile(
      ana,
      DM,
      "ana",
      new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'),
      "desenho.svg",
      "image/svg+xml",
    );
    for (const m of [html, svg]) {
      expect(m.attachment.contentType).toBe("application/octet-stream");
      expect(m.attachment.kind).toBe("document");
      const got = await fetchFile(server.base, DM, m.attachment.fileId, tokens.bruno!);
      expect(got.status).toBe(200);
      expect(got.headers.get("content-type")).toBe("application/octet-stream");
      expect(got.headers.get("content-disposition")).toMatch(/^attachment; filename="[^"]+"; filename\*=UTF-8''/);
      expect(got.headers.get("x-content-type-options")).toBe("nosniff");
      expect(got.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
    }
    await ana.close();
  });

  it("R9: a hostile file name comes back without markup, in the message and in the header", async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const hostile = `"><img src=x onerror=alert(1)>.png`;
    const m = await sendFile(ana, DM, "ana", someBytes(200), hostile, "image/png");
    expect(m.attachment.name).not.toMatch(/[<>"]/);
    expect(m.attachment.name).toMatch(/\.png$/);
    const got = await fetchFile(server.base, DM, m.attachment.fileId, tokens.bruno!);
    const disposition = got.headers.get("content-disposition")!;
    expect(disposition).not.toMatch(/[<>]/);
    expect(disposition.match(/"/g)).toHaveLength(2);
    const traversal = await sendFile(ana, DM, "ana", someBytes(50), "../../etc/passwd", "text/plain");
    expect(traversal.attachment.name).toBe("passwd");
    await ana.close();
  });

  it("R9: a send may carry only the sender's own, unused upload; a voice note keeps its duration", async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const { client: bruno } = await openChat(server.wsBase, DM, tokens.bruno!);
    const up = await upload(server.base, DM, tokens.ana!, someBytes(3000), "nota.webm", "audio/webm;codecs=opus");
    const stolen = await sendAndWait(bruno, { fileId: up.body.attachment.fileId });
    expect(stolen).toMatchObject({ type: "error", code: "forbidden", field: "fileId" });
    const voice = await sendAndWait(ana, { fileId: up.body.attachment.fileId, voice: { durationMs: 4200 } });
    expect(voice.message.attachment).toMatchObject({ kind: "voice", durationMs: 4200, contentType: "audio/webm" });
    const reused = await sendAndWait(ana, { fileId: up.body.attachment.fileId });
    expect(reused).toMatchObject({ type: "error", code: "forbidden", field: "fileId" });
    const missing = await sendAndWait(ana, { fileId: "AAAAAAAAAAAAAAAAAAAAAA" });
    expect(missing).toMatchObject({ type: "error", code: "not_found", field: "fileId" });
    await Promise.all([ana.close(), bruno.close()]);
  });
});

describe("R10 delete own", () => {
  it("R10: deleting one's own file message reaches both members live and removes the file from R2", async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const { client: bruno } = await openChat(server.wsBase, DM, tokens.bruno!);
    const m = await sendFile(ana, DM, "ana", someBytes(77_777), "planilha.xlsx", "application/vnd.ms-excel");
    await bruno.next((f) => f.type === "message.new" && f.message.seq === m.seq);
    const blobs = r2Blobs(server.persist);
    expect(blobs).toContain(77_777);
    ana.send({ type: "message.delete", seq: m.seq });
    const [forAna, forBruno] = await Promise.all([ana.nextOfType("message.updated"), bruno.nextOfType("message.updated")]);
    expect(forBruno).toEqual(forAna);
    expect(forAna.message).toMatchObject({ seq: m.seq, senderId: "ana", createdAt: m.createdAt, text: "", deleted: true });
    expect(forAna.message.attachment).toBeUndefined();
    expect((await fetchFile(server.base, DM, m.attachment.fileId, tokens.bruno!)).status).toBe(404);
    expect((await fetchFile(server.base, DM, m.attachment.fileId, tokens.ana!)).status).toBe(404);
    expect(r2Blobs(server.persist)).not.toContain(77_777);
    // A fresh socket sees the deletion too.
    const { client: later, ready } = await openChat(server.wsBase, DM, tokens.bruno!);
    expect(ready.messages.find((x: Json) => x.seq === m.seq)).toMatchObject({ deleted: true, text: "" });
    await Promise.all([ana.close(), bruno.close(), later.close()]);
  });

  it('R10/R6: deleting the chat\'s last message turns both inbox previews into "Mensagem apagada"', async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const inboxes = (await Promise.all(["ana", "bruno"].map((u) => openHub(server.wsBase, "acme", tokens[u]!)))).map((h) => h.client);
    const m = (await sendAndWait(ana, { text: "vou apagar" })).message;
    for (const inbox of inboxes) await inbox.next((f) => f.type === "inbox.update" && f.conversation.lastMessage?.seq === m.seq);
    ana.send({ type: "message.delete", seq: m.seq });
    for (const inbox of inboxes) {
      const preview = await inbox.next(
        (f) => f.type === "inbox.update" && f.conversation.lastMessage?.seq === m.seq && f.conversation.lastMessage.deleted,
        10_000,
        "inbox preview of the deletion",
      );
      expect(preview.conversation.lastMessage).toMatchObject({ text: "Mensagem apagada", senderId: "ana", deleted: true });
    }
    await Promise.all([ana.close(), ...inboxes.map((i) => i.close())]);
  });

  it("R10: deleting someone else's message is refused and changes nothing", async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const { client: bruno } = await openChat(server.wsBase, DM, tokens.bruno!);
    const m = (await sendAndWait(ana, { text: "não apague" })).message;
    bruno.send({ type: "message.delete", seq: m.seq });
    expect(await bruno.nextOfType("error")).toMatchObject({ code: "forbidden", field: "seq" });
    bruno.send({ type: "message.delete", seq: 999_999 });
    expect(await bruno.nextOfType("error")).toMatchObject({ code: "not_found" });
    const { client: later, ready } = await openChat(server.wsBase, DM, tokens.ana!);
    expect(ready.messages.find((x: Json) => x.seq === m.seq)).toEqual(m);
    expect(ana.frames.some((f) => f.type === "message.updated" && f.message.seq === m.seq)).toBe(false);
    await Promise.all([ana.close(), bruno.close(), later.close()]);
  });
});

describe("R10 reply", () => {
  it("R10: a reply stores a frozen quote of the original; replying to a missing or deleted message is refused", async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const { client: bruno } = await openChat(server.wsBase, DM, tokens.bruno!);
    const original = (await sendAndWait(ana, { text: "Podemos falar às 15h?" })).message;
    const reply = await sendAndWait(bruno, { text: "Sim!", replyTo: original.seq });
    expect(reply.message.replyTo).toEqual({ seq: original.seq, senderId: "ana", snippet: "Podemos falar às 15h?" });
    const file = await sendFile(ana, DM, "ana", someBytes(300), "contrato.pdf", "application/pdf");
    const toFile = await sendAndWait(bruno, { text: "recebido", replyTo: file.seq });
    expect(toFile.message.replyTo).toEqual({ seq: file.seq, senderId: "ana", snippet: "contrato.pdf", attachmentKind: "document" });
    expect(await sendAndWait(bruno, { text: "?", replyTo: 999_999 })).toMatchObject({ type: "error", code: "not_found", field: "replyTo" });
    ana.send({ type: "message.delete", seq: original.seq });
    await ana.nextOfType("message.updated");
    expect(await sendAndWait(bruno, { text: "?", replyTo: original.seq })).toMatchObject({ type: "error", field: "replyTo" });
    await Promise.all([ana.close(), bruno.close()]);
  });
});

describe("R10 delete and the replies to it", () => {
  it("R10: deleting a message blanks the quote in every reply to it, live and in history", async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const { client: bruno } = await openChat(server.wsBase, DM, tokens.bruno!);
    const original = (await sendAndWait(ana, { text: "senha do cofre: 1234" })).message;
    const r1 = (await sendAndWait(bruno, { text: "anotado", replyTo: original.seq })).message;
    const r2 = (await sendAndWait(ana, { text: "apague depois", replyTo: original.seq })).message;
    expect(r1.replyTo.snippet).toBe("senha do cofre: 1234");
    ana.send({ type: "message.delete", seq: original.seq });
    const updated = await bruno.next((f) => f.type === "message.updated" && f.message.seq === r2.seq, 10_000, "reply updated");
    expect(updated.message.replyTo).toEqual({ seq: original.seq, senderId: "ana", snippet: "", deleted: true });
    expect(updated.message.text).toBe("apague depois");
    const { client: later, ready } = await openChat(server.wsBase, DM, tokens.bruno!);
    const history = JSON.stringify(ready.messages);
    expect(history).not.toContain("senha do cofre");
    expect(ready.messages.find((m: Json) => m.seq === r1.seq).replyTo).toMatchObject({ deleted: true, snippet: "" });
    await Promise.all([ana.close(), bruno.close(), later.close()]);
  });
});

describe("R10 forward", () => {
  it("R10: forwarding a file into another chat makes a marked copy its members can download, and only they", async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const { client: carla, ready: before } = await openChat(server.wsBase, ANA_CARLA, tokens.carla!);
    const bytes = someBytes(5000, "%PDF-1.4");
    const m = await sendFile(ana, DM, "ana", bytes, "relatorio.pdf", "application/pdf", { text: "o relatório" });
    const clientId = cid();
    ana.send({ type: "message.forward", clientId, seq: m.seq, to: ["dm.ana.carla"] });
    const done = await ana.nextOfType("forward.done");
    expect(done).toEqual({ type: "forward.done", clientId, copies: [{ chatId: "dm.ana.carla", seq: before.lastSeq + 1 }] });
    const copy = (await carla.nextOfType("message.new")).message;
    expect(copy).toMatchObject({ seq: before.lastSeq + 1, senderId: "ana", forwarded: true, text: "o relatório" });
    expect(copy.attachment).toMatchObject({ name: "relatorio.pdf", size: 5000, contentType: "application/pdf", kind: "document" });
    expect(copy.attachment.fileId).not.toBe(m.attachment.fileId);
    const got = await fetchFile(server.base, ANA_CARLA, copy.attachment.fileId, tokens.carla!);
    expect(got.status).toBe(200);
    expect(Buffer.compare(got.bytes, Buffer.from(bytes))).toBe(0);
    expect((await fetchFile(server.base, ANA_CARLA, copy.attachment.fileId, tokens.bruno!)).status).toBe(403);
    // The copy is independent: deleting the original leaves it downloadable.
    ana.send({ type: "message.delete", seq: m.seq });
    await ana.nextOfType("message.updated");
    expect((await fetchFile(server.base, ANA_CARLA, copy.attachment.fileId, tokens.carla!)).status).toBe(200);
    await Promise.all([ana.close(), carla.close()]);
  });

  it("R10: a forward that names a chat the sender is not in is refused whole; nothing is written anywhere", async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const { client: carla, ready: before } = await openChat(server.wsBase, ANA_CARLA, tokens.carla!);
    const m = (await sendAndWait(ana, { text: "encaminhe" })).message;
    for (const to of [
      ["dm.ana.carla", "dm.bruno.carla"],
      ["dm.ana.carla", "dm.ana.zeca"],
      ["dm.ana.carla", "nada"],
    ]) {
      const clientId = cid();
      ana.send({ type: "message.forward", clientId, seq: m.seq, to });
      expect(await ana.nextOfType("error"), to.join()).toMatchObject({ code: "forbidden", field: "to", clientId });
    }
    ana.send({ type: "message.forward", clientId: cid(), seq: 999_999, to: ["dm.ana.carla"] });
    expect(await ana.nextOfType("error")).toMatchObject({ code: "not_found", field: "seq" });
    const { client: check, ready } = await openChat(server.wsBase, ANA_CARLA, tokens.carla!);
    expect(ready.lastSeq).toBe(before.lastSeq);
    expect(carla.frames.some((f) => f.type === "message.new")).toBe(false);
    await Promise.all([ana.close(), carla.close(), check.close()]);
  });

  it("R10: a message can be forwarded into its own chat and to several chats at once", async () => {
    const { client: ana, ready } = await openChat(server.wsBase, DM, tokens.ana!);
    const m = (await sendAndWait(ana, { text: "de novo" })).message;
    const clientId = cid();
    ana.send({ type: "message.forward", clientId, seq: m.seq, to: ["dm.ana.bruno", "dm.ana.carla"] });
    const done = await ana.nextOfType("forward.done");
    expect(done.copies.map((c: Json) => c.chatId)).toEqual(["dm.ana.bruno", "dm.ana.carla"]);
    const here = await ana.next((f) => f.type === "message.new" && f.message.forwarded);
    expect(here.message).toMatchObject({ seq: done.copies[0].seq, text: "de novo", senderId: "ana", forwarded: true });
    expect(here.message.seq).toBeGreaterThan(ready.lastSeq);
    await ana.close();
  });

  it("R10: a retried forward with the same clientId makes no second copy", async () => {
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const m = (await sendAndWait(ana, { text: "uma vez só" })).message;
    const clientId = cid();
    ana.send({ type: "message.forward", clientId, seq: m.seq, to: ["dm.ana.davi"] });
    const first = await ana.nextOfType("forward.done");
    ana.send({ type: "message.forward", clientId, seq: m.seq, to: ["dm.ana.davi"] });
    const second = await ana.nextOfType("forward.done");
    expect(second.copies).toEqual(first.copies);
    const { client: davi, ready } = await openChat(server.wsBase, "acme.dm.ana.davi", tokens.davi!);
    expect(ready.messages.filter((x: Json) => x.text === "uma vez só")).toHaveLength(1);
    await Promise.all([ana.close(), davi.close()]);
  });
});

describe("R5 gallery and jumping to a message", () => {
  it("R5: media, documents and audio page newest first; deleted ones drop out", async () => {
    const room = "acme.dm.bruno.davi";
    const { client: bruno } = await openChat(server.wsBase, room, tokens.bruno!);
    const media: number[] = [];
    const docs: number[] = [];
    for (let i = 0; i < 5; i++) {
      media.push((await sendFile(bruno, room, "bruno", someBytes(100), `foto${i}.jpg`, "image/jpeg")).seq);
      await sendAndWait(bruno, { text: `texto ${i}` });
      docs.push((await sendFile(bruno, room, "bruno", someBytes(100), `doc${i}.pdf`, "application/pdf")).seq);
    }
    media.push((await sendFile(bruno, room, "bruno", someBytes(100), "video.mp4", "video/mp4")).seq);
    const audio = (await sendFile(bruno, room, "bruno", someBytes(100), "audio.mp3", "audio/mpeg")).seq;
    bruno.send({ type: "message.delete", seq: media[1]! });
    await bruno.nextOfType("message.updated");
    const liveMedia = media.filter((s) => s !== media[1]).reverse();

    bruno.send({ type: "gallery.fetch", kind: "media", limit: 3 });
    const p1 = await bruno.nextOfType("gallery.page");
    expect(p1).toMatchObject({ kind: "media", before: null, hasMore: true });
    expect(p1.items.map((m: Json) => m.seq)).toEqual(liveMedia.slice(0, 3));
    bruno.send({ type: "gallery.fetch", kind: "media", before: p1.items.at(-1).seq, limit: 3 });
    const p2 = await bruno.nextOfType("gallery.page");
    expect(p2.items.map((m: Json) => m.seq)).toEqual(liveMedia.slice(3));
    expect(p2.hasMore).toBe(false);

    bruno.send({ type: "gallery.fetch", kind: "documents" });
    const d = await bruno.nextOfType("gallery.page");
    expect(d.items.map((m: Json) => m.seq)).toEqual([...docs].reverse());
    expect(d.items.every((m: Json) => m.attachment)).toBe(true);
    // Audio files and voice notes have their own list ("Áudios"), where they can be played.
    bruno.send({ type: "gallery.fetch", kind: "audio" });
    const a = await bruno.nextOfType("gallery.page");
    expect(a.items.map((m: Json) => m.seq)).toEqual([audio]);
    await bruno.close();
  });

  it("R10: history.around returns a contiguous page that holds the asked seq", async () => {
    const room = "acme.dm.carla.davi";
    const { client: carla } = await openChat(server.wsBase, room, tokens.carla!);
    for (let i = 0; i < 120; i++) carla.send({ type: "message.send", clientId: cid(), text: `m${i}` });
    await carla.next((f) => f.type === "message.ack" && f.message.text === "m119", 20_000);
    carla.send({ type: "history.around", seq: 40 });
    const page = await carla.nextOfType("history.around");
    const seqs = page.messages.map((m: Json) => m.seq);
    expect(page.seq).toBe(40);
    expect(seqs).toContain(40);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0] + i));
    expect(seqs[0]).toBeLessThan(40);
    expect(seqs.at(-1)).toBeGreaterThan(40);
    expect(page.hasMore).toBe(true);
    await carla.close();
  });
});
