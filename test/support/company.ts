/**
 * A small company with some history, for the operator's tests (issue 18:
 * export, erasure, retention, backups): a DM with text, a reply and a file, a
 * group, and call records, all made through the public API and the rooms'
 * sockets as the app makes them.
 */
import { unzipSync } from "fflate";
import { issueServiceToken } from "../../party/domain/session";
import { cid, http, openChat, provision, type Client, type Json } from "./clients";
import { upload } from "./files";

/** Creates company `id` (named `name`) with the platform key, and hands back a new key of its own (`keyBody`: its label…). */
export async function newCompany(base: string, platformKey: string, id: string, name: string, keyBody: Json = {}): Promise<string> {
  const headers = { authorization: `Bearer ${platformKey}`, "content-type": "application/json" };
  const put = await http(`${base}/api/tenants/${id}`, { method: "PUT", headers, body: JSON.stringify({ name }) });
  if (put.status !== 201) throw new Error(`company ${id}: ${put.status} ${put.text}`);
  const key = await http(`${base}/api/tenants/${id}/keys`, { method: "POST", headers, body: JSON.stringify(keyBody) });
  if (typeof key.body?.key !== "string") throw new Error(`key of ${id}: ${key.status} ${key.text}`);
  return key.body.key as string;
}

/** Sends a message and waits for its ack; returns the stored message. */
export async function send(client: Client, frame: Record<string, unknown>): Promise<Json> {
  const clientId = cid();
  client.send({ type: "message.send", clientId, ...frame });
  const ack = await client.next(
    (f) => (f.type === "message.ack" || f.type === "error") && f.clientId === clientId,
    15_000,
    `ack ${clientId}`,
  );
  if (ack.type !== "message.ack") throw new Error(`send refused: ${JSON.stringify(ack)}`);
  return ack.message;
}

/** A DM with text, a file and a reply (from both sides), returning what was stored. */
export async function fillDm(
  base: string,
  wsBase: string,
  tenant: string,
  tokens: Record<string, string>,
  a: string,
  b: string,
): Promise<{ room: string; chatId: string; messages: Json[]; fileId: string; fileBytes: Uint8Array }> {
  const chatId = a < b ? `dm.${a}.${b}` : `dm.${b}.${a}`;
  const room = `${tenant}.${chatId}`;
  const { client: ca } = await openChat(wsBase, room, tokens[a]!);
  const { client: cb } = await openChat(wsBase, room, tokens[b]!);
  const fileBytes = new TextEncoder().encode(`relatório de ${a}\n`.repeat(50));
  const up = await upload(base, room, tokens[a]!, fileBytes, "relatório.txt", "text/plain");
  if (up.status !== 201) throw new Error(`upload: ${up.status} ${up.text}`);
  const fileId = up.body.attachment.fileId as string;
  const messages = [
    await send(ca, { text: `olá ${b}, aqui é ${a}` }),
    await send(cb, { text: `oi ${a}` }),
    await send(ca, { text: "segue o relatório", fileId }),
  ];
  messages.push(await send(cb, { text: "obrigado pelo relatório", replyTo: messages[2]!.seq }));
  messages.push(await send(ca, { text: "de nada" }));
  await ca.close();
  await cb.close();
  return { room, chatId, messages, fileId, fileBytes };
}

/** A group made through the API, with one message from each member. */
export async function fillGroup(base: string, wsBase: string, tenant: string, tokens: Record<string, string>, members: string[]) {
  const [creator, ...others] = members;
  const res = await http(`${base}/api/tenants/${tenant}/groups`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens[creator!]}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Projeto Ômega", members: others }),
  });
  if (res.status !== 201) throw new Error(`group: ${res.status} ${res.text}`);
  const chatId = res.body.chatId as string;
  const room = `${tenant}.${chatId}`;
  for (const m of members) {
    const { client } = await openChat(wsBase, room, tokens[m]!);
    await send(client, { text: `mensagem de ${m} no grupo` });
    await client.close();
  }
  return { chatId, room };
}

/** A call that `from` (2001) made to `to` (2002), answered and hung up by the caller, as the sip-proxy reports it. */
export function answeredCall(
  callId: string,
  tenant: string,
  [from, to]: [string, string],
  times: { startedAt: number; answeredAt: number; endedAt: number },
) {
  const parties = [from, to].map((userId, i) => ({ userId, direction: i === 0 ? "outbound" : "inbound" }));
  const [caller, callee] = [from, to].map((userId, i) => ({ userId, number: `200${i + 1}` }));
  return { callId, tenant, caller, callee, parties, answered: true, ...times, endReason: "caller-hangup" };
}

/** A finished call between two users, as the sip-proxy reports it (service token). */
export async function reportCall(base: string, sessionSecret: string, tenant: string, from: string, to: string, callId: string) {
  const now = Date.now();
  const record = answeredCall(callId, tenant, [from, to], { startedAt: now - 60_000, answeredAt: now - 55_000, endedAt: now - 1000 });
  for (const userId of [from, to]) {
    const res = await http(`${base}/api/tenants/${tenant}/users/${userId}/call-records`, {
      method: "POST",
      headers: { "x-conversas-service": await issueServiceToken(sessionSecret), "content-type": "application/json" },
      body: JSON.stringify(record),
    });
    if (res.status !== 200) throw new Error(`call record: ${res.status} ${res.text}`);
  }
  return record;
}

/**
 * The operators' test company "acme" on `server`: ana, bruno and carla signed in
 * (their tokens), the DM of ana and bruno (fillDm), a group of the three
 * (fillGroup) and a call from ana to bruno (`callId`).
 */
export async function fillAcme(
  server: { base: string; wsBase: string; secrets: Record<string, string> },
  adminKey: string,
  callId: string,
) {
  const tokens = await provision(server.base, adminKey, "acme", ["ana", "bruno", "carla"]);
  const dm = await fillDm(server.base, server.wsBase, "acme", tokens, "ana", "bruno");
  const group = await fillGroup(server.base, server.wsBase, "acme", tokens, ["carla", "ana", "bruno"]);
  await reportCall(server.base, server.secrets.CONVERSAS_SESSION_SECRET!, "acme", "ana", "bruno", callId);
  return { tokens, dm, group };
}

/** Downloads an archive through the API and opens it: member name → bytes. */
export async function fetchZip(
  url: string,
  key: string,
): Promise<{ status: number; files: Record<string, Uint8Array>; headers: Headers; text: string }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (res.status !== 200) return { status: res.status, files: {}, headers: res.headers, text: new TextDecoder().decode(bytes) };
  return { status: 200, files: unzipSync(bytes), headers: res.headers, text: "" };
}

export function jsonOf(files: Record<string, Uint8Array>, name: string): any {
  const bytes = files[name];
  if (!bytes) throw new Error(`archive has no ${name}: ${Object.keys(files).join(", ")}`);
  return JSON.parse(new TextDecoder().decode(bytes));
}
