/**
 * R9 against the real runtime: an upload nobody sends is not kept for ever.
 * Uploads no message took within CONVERSAS_UPLOAD_TTL_MS (1.5 s here, a day by
 * default) are removed — record and bytes — by the room's alarm; a sent file and
 * a fresh upload stay.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { cid, openChat, provision, type Client, type Json } from "../support/clients";
import { fetchFile, r2Blobs, someBytes, startTestServerWith, upload } from "../support/files";
import type { TestServer } from "../support/server";

const TTL = 1500;
const DM = "acme.dm.ana.bruno";
let server: TestServer;
let tokens: Record<string, string>;
const sockets: Client[] = [];

beforeAll(async () => {
  server = await startTestServerWith({ CONVERSAS_UPLOAD_TTL_MS: String(TTL) });
  tokens = await provision(server.base, server.adminKey!, "acme", ["ana", "bruno"]);
});

afterAll(async () => {
  await Promise.all(sockets.map((s) => s.close()));
  await server?.stop();
});

async function uploaded(name: string): Promise<string> {
  const res = await upload(server.base, DM, tokens.ana!, someBytes(20_000), name, "application/pdf");
  expect(res.status, res.text).toBe(201);
  return res.body.attachment.fileId;
}

async function send(c: Client, frame: Json): Promise<Json> {
  const clientId = cid();
  c.send({ type: "message.send", clientId, ...frame });
  return c.next((f) => (f.type === "message.ack" || f.type === "error") && f.clientId === clientId);
}

it("R9: an upload nobody sent goes after the TTL, with its bytes; sent files and fresh uploads stay", async () => {
  const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
  sockets.push(ana);
  const abandoned = await uploaded("rascunho.pdf");
  const sent = await uploaded("contrato.pdf");
  expect((await send(ana, { fileId: sent })).type).toBe("message.ack");
  const before = r2Blobs(server.persist).length;
  await new Promise((r) => setTimeout(r, TTL + 300));
  const fresh = await uploaded("novo.pdf");
  // (The abandoned upload goes by the room's own alarm, set when it arrived; nothing has to come later.)

  await expect.poll(async () => (await fetchFile(server.base, DM, abandoned, tokens.ana!)).status, { timeout: 10_000 }).toBe(404);
  expect(await send(ana, { fileId: abandoned })).toMatchObject({ type: "error", code: "not_found" });
  expect((await fetchFile(server.base, DM, sent, tokens.bruno!)).status).toBe(200);
  expect((await fetchFile(server.base, DM, fresh, tokens.ana!)).status).toBe(200);
  // The abandoned bytes left R2 (the fresh upload added one blob).
  await expect.poll(() => r2Blobs(server.persist).length, { timeout: 10_000 }).toBe(before);
});
