/**
 * What the newer browser tests share: finding and opening a chat as a person
 * would, the log and its bubbles, sending from the composer; someone who writes
 * from outside the browser (texts and files straight through the chat room, to
 * fill a chat fast); and real images to upload (a PNG encoder).
 */
import { expect } from "vitest";
import type { Page } from "playwright-core";
import { deflateSync } from "node:zlib";
import { DEMO_PASSWORD } from "../../scripts/seed.mjs";
import { cid, login, openChat as openRoom, type Client } from "../support/clients";
import { visible, type browserSuite } from "./support";

type Suite = ReturnType<typeof browserSuite>;

/** The session the page keeps in localStorage (null when signed out). */
export type StoredSession = { token: string; refreshToken: string; expiresAt: number };
export const storedSession = (page: Page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem("conversas.session") ?? "null") as StoredSession | null);
/** The app's own socket is up (the connection pill says so). */
export const connected = (page: Page) => visible(page.getByRole("status").filter({ hasText: "Conectado" }), 20_000);

/** The sockets a page has open now (watched from this call on). */
export function openSockets(page: Page): () => string[] {
  const open = new Set<string>();
  page.on("websocket", (ws) => {
    open.add(ws.url());
    ws.on("close", () => open.delete(ws.url()));
  });
  return () => [...open];
}

export const log = (page: Page) => page.getByRole("log", { name: "Mensagens" });
/**
 * The message whose text (or file name) holds `text`. Looked for in those parts, not the
 * whole bubble: its time follows the text, so "lida 1" sent at 20:15 reads "lida 120:15".
 */
export const bubble = (page: Page, text: string) =>
  log(page).locator("li.msg", { has: page.locator(".msg-text, .doc-name", { hasText: text }) });

/** Opens the 1:1 chat with someone by searching their name, as a user would. */
export async function openChatWith(page: Page, query: string, name: string): Promise<void> {
  await page.getByLabel("Pesquisar", { exact: true }).fill(query);
  await page
    .getByRole("button", { name: new RegExp(name) })
    .first()
    .click();
  await visible(page.getByRole("heading", { name, level: 2 }));
}

/**
 * A chat's row in the conversation list, by the name it shows as its title (the
 * whole title for a string) — never by its preview, where a group shows who wrote
 * last ("Rafael Ângelo: escala.pdf").
 */
export const listRow = (page: Page, name: string | RegExp) =>
  page
    .getByRole("list", { name: "Conversas" })
    .getByRole("button")
    .filter({ has: page.locator(".row-name", { hasText: typeof name === "string" ? new RegExp(`^${escapeRegExp(name)}$`) : name }) });

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Opens a chat from the conversation list, as a user would. */
export const openFromList = (page: Page, name: string | RegExp) => listRow(page, name).click();

/** Types and sends a message, waiting until the server has it. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByLabel("Mensagem", { exact: true });
  // One more than before with this text (a test run again after a failure has sent one already).
  const stored = log(page).locator("li.msg.msg-sent", { hasText: text.split("\n")[0]! });
  const before = await stored.count();
  await box.fill(text);
  await box.press("Enter");
  await visible(stored.nth(before));
}

/** The 1:1 chat id of two demo users. */
export const dm = (a: string, b: string) => ["dm", ...[a, b].sort()].join(".");

/** Someone writing from outside the browser: texts and files through the chat room, acknowledged one by one. */
export async function writer(e2e: Suite, who: string) {
  const res = await login(e2e.app.server.base, "demo", who, DEMO_PASSWORD);
  expect(res.status).toBe(200);
  const token = res.body.token as string;
  const rooms = new Map<string, Client>();
  const room = async (chatId: string) => {
    let client = rooms.get(chatId);
    if (!client) {
      client = e2e.track((await openRoom(e2e.app.server.wsBase, `demo.${chatId}`, token)).client);
      rooms.set(chatId, client);
    }
    return client;
  };
  const sendFrame = async (chatId: string, frame: Record<string, unknown>) => {
    const client = await room(chatId);
    const clientId = cid("e2e");
    client.send({ type: "message.send", clientId, ...frame });
    const ack = await client.next((f) => (f.type === "message.ack" || f.type === "error") && f.clientId === clientId, 15_000, "ack");
    expect(ack.type).toBe("message.ack");
    return ack.message.seq as number;
  };
  return {
    token,
    text: (chatId: string, text: string) => sendFrame(chatId, { text }),
    /** Uploads bytes to the chat and sends them as a message (a voice note with `voiceMs`). */
    async file(chatId: string, bytes: Buffer, name: string, type: string, opts: { caption?: string; voiceMs?: number } = {}) {
      const up = await fetch(`${e2e.app.server.base}/parties/chat/demo.${chatId}/files`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": type, "x-file-name": encodeURIComponent(name) },
        body: new Uint8Array(bytes),
      });
      expect(up.status).toBe(201);
      const { attachment } = (await up.json()) as { attachment: { fileId: string } };
      return sendFrame(chatId, {
        text: opts.caption ?? "",
        fileId: attachment.fileId,
        ...(opts.voiceMs !== undefined ? { voice: { durationMs: opts.voiceMs } } : {}),
      });
    },
  };
}

/** A real PNG (a w×h gradient), so the browser can decode it. */
export function png(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rows.set([(x * 255) / w, (y * 255) / h, 160], y * (w * 3 + 1) + 1 + x * 3);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
