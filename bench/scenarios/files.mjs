/**
 * Scenario: attachments (R9). (1) A uploads a large file over HTTP into the chat
 * room and sends it; measured from the start of the upload until B has the
 * `message.new` (time to visible), then B downloads it. (2) A chat is filled with
 * many small attachments, then opening it (open→`chat.ready`) and the first
 * "Mídias" page (`gallery.fetch`) are timed: neither should grow with the count.
 * Runs on the real server only (the ws baseline has no files). A download asks
 * the room for the file's signed link first (`POST …/files/links`), as the app
 * does, and the measured download includes that request.
 */
import { randomBytes } from "node:crypto";
import { nextClientId, openChat } from "../client.mjs";
import { directRoomId } from "../conversas.mjs";
import { summarize } from "../stats.mjs";

const USERS = { a: "fabio", b: "gina", c: "hugo" };

/**
 * @param {string} base  @param {string} roomId  @param {string} token
 * @param {Uint8Array} bytes  @param {string} name  @param {string} type
 */
async function upload(base, roomId, token, bytes, name, type) {
  const res = await fetch(`${base}/parties/chat/${roomId}/files`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": type, "x-file-name": encodeURIComponent(name) },
    body: bytes,
  });
  if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
  return /** @type {{ attachment: { fileId: string } }} */ (await res.json()).attachment;
}

/**
 * A member's download: the signed link, then the bytes.
 * @param {string} base  @param {string} roomId  @param {string} token  @param {string} fileId
 */
async function download(base, roomId, token, fileId) {
  const res = await fetch(`${base}/parties/chat/${roomId}/files/links`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ fileIds: [fileId] }),
  });
  if (res.status !== 200) throw new Error(`file link: ${res.status} ${await res.text()}`);
  const link = /** @type {{ links: Record<string, string> }} */ (await res.json()).links[fileId];
  if (!link) throw new Error(`no link for ${fileId}`);
  return fetch(`${base}${link}`);
}

/**
 * @param {{ target: import("../conversas.mjs").Target, bigBytes: number, bigReps: number,
 *   manyCount: number, manyInFlight: number, reps: number, timeoutMs: number, closeGraceMs: number }} p
 */
export async function measureFiles(p) {
  const t = p.target;
  await t.users(Object.values(USERS));
  const base = t.server.base;
  /** @type {Record<string, string>} */
  const tokens = {};
  for (const id of Object.values(USERS)) tokens[id] = await t.token(id);
  const room = (/** @type {string} */ x, /** @type {string} */ y) => directRoomId(x, y, t.tenant);
  const url = (/** @type {string} */ r, /** @type {string} */ user) => t.chat(user, r);

  // (1) a large file, upload → visible at B, then B's download.
  const pair = room(USERS.a, USERS.b);
  const a = await openChat(await url(pair, USERS.a), p.timeoutMs);
  const b = await openChat(await url(pair, USERS.b), p.timeoutMs);
  /** @type {number[]} */
  const visible = [];
  /** @type {number[]} */
  const uploadMs = [];
  /** @type {number[]} */
  const downloadMs = [];
  try {
    for (let i = 0; i < p.bigReps; i++) {
      const bytes = randomBytes(p.bigBytes);
      const clientId = nextClientId();
      const t0 = performance.now();
      const attachment = await upload(base, pair, /** @type {string} */ (tokens[USERS.a]), bytes, `video-${i}.mp4`, "video/mp4");
      uploadMs.push(performance.now() - t0);
      const seen = b.peer.waitFor((f) => f.type === "message.new" && f.message.clientId === clientId, p.timeoutMs, "message.new");
      a.peer.send({ type: "message.send", clientId, fileId: attachment.fileId });
      await seen;
      visible.push(performance.now() - t0);
      const t1 = performance.now();
      const res = await download(base, pair, /** @type {string} */ (tokens[USERS.b]), attachment.fileId);
      const got = await res.arrayBuffer();
      if (res.status !== 200 || got.byteLength !== p.bigBytes) throw new Error(`download: ${res.status}, ${got.byteLength} bytes`);
      downloadMs.push(performance.now() - t1);
    }
  } finally {
    await Promise.all([a.peer.close(p.closeGraceMs), b.peer.close(p.closeGraceMs)]);
  }

  // (2) a chat with many attachments: fill (uploads + sends, pipelined), then open and gallery.
  const many = room(USERS.a, USERS.c);
  const filler = await openChat(await url(many, USERS.a), p.timeoutMs);
  const fillStart = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < p.manyCount) {
      const i = next++;
      const image = i % 2 === 0;
      const bytes = randomBytes(1024);
      const name = image ? `foto-${i}.jpg` : `doc-${i}.pdf`;
      const attachment = await upload(
        base,
        many,
        /** @type {string} */ (tokens[USERS.a]),
        bytes,
        name,
        image ? "image/jpeg" : "application/pdf",
      );
      const clientId = nextClientId();
      const ack = filler.peer.waitFor((f) => f.type === "message.ack" && f.clientId === clientId, p.timeoutMs, "ack");
      filler.peer.send({ type: "message.send", clientId, fileId: attachment.fileId });
      await ack;
    }
  };
  try {
    await Promise.all(Array.from({ length: p.manyInFlight }, worker));
  } finally {
    await filler.peer.close(p.closeGraceMs);
  }
  const fillSeconds = (performance.now() - fillStart) / 1000;

  const holder = await openChat(await url(many, USERS.c), p.timeoutMs);
  /** @type {number[]} */
  const openMs = [];
  /** @type {number[]} */
  const galleryMs = [];
  let galleryItems = 0;
  try {
    for (let i = 0; i < p.reps; i++) {
      const { peer, ms } = await openChat(await url(many, USERS.c), p.timeoutMs);
      openMs.push(ms);
      await peer.close(p.closeGraceMs);
    }
    for (let i = 0; i < p.reps; i++) {
      const kind = i % 2 === 0 ? "media" : "documents";
      const page = holder.peer.waitFor((f) => f.type === "gallery.page" && f.kind === kind, p.timeoutMs, "gallery.page");
      const t0 = performance.now();
      holder.peer.send({ type: "gallery.fetch", kind, limit: 50 });
      galleryItems = (await page).items.length;
      galleryMs.push(performance.now() - t0);
    }
  } finally {
    await holder.peer.close(p.closeGraceMs);
  }

  return {
    big: { bytes: p.bigBytes, uploadMs: summarize(uploadMs), uploadToVisibleMs: summarize(visible), downloadMs: summarize(downloadMs) },
    many: {
      count: p.manyCount,
      fillSeconds: Math.round(fillSeconds * 1000) / 1000,
      attachmentsPerSec: Math.round(p.manyCount / fillSeconds),
      openToReadyMs: summarize(openMs),
      galleryFetchMs: summarize(galleryMs),
      galleryPageSize: galleryItems,
    },
  };
}
