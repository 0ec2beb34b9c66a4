/**
 * Sends committed together (issue 15) on the real runtime. A burst reaches a
 * client that offers conversas.frames as one WebSocket message per batch, and an
 * older client that does not as one frame each, with the same content.
 *
 * Nothing acknowledged is lost when the runtime dies mid-burst: sends that arrive
 * together share one transaction, and each is acked
 * only once that transaction is durable. Here a sender keeps 64 messages in
 * flight, the whole runtime is killed with SIGKILL while they flow, and started
 * again on the same state: every acknowledged message is in the log exactly once,
 * at the seq its ack gave, with its text; the log has no gap; and sending every
 * message again (the app's retry) stores each missing one once and acks the
 * stored ones with what they already were.
 */
import WebSocket from "ws";
import { afterAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { cid, openChat, provision, roomUrl, type Json } from "../support/clients";

let server: TestServer | undefined;
afterAll(async () => {
  await server?.stop();
});

const DM = "acme.dm.ana.bruno";
const IN_FLIGHT = 64;
const TOTAL = 3000;
const KILL_AFTER_ACKS = 800;

/** Kills the runtime's whole process group at once, as a crash would, and waits until it is gone. */
async function crash(s: TestServer): Promise<void> {
  process.kill(-s.pid, "SIGKILL");
  for (;;) {
    try {
      process.kill(-s.pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The whole log, read back page by page with `history.since`. */
async function wholeLog(wsBase: string, token: string): Promise<Json[]> {
  const { client } = await openChat(wsBase, DM, token);
  const log: Json[] = [];
  for (let after = 0; ;) {
    client.send({ type: "history.since", after, limit: 100 });
    const page = await client.next((f) => f.type === "history.since" && f.after === after);
    log.push(...page.messages);
    if (!page.hasMore || !page.messages.length) break;
    after = page.messages.at(-1).seq;
  }
  await client.close();
  return log;
}

/** A raw socket that keeps every WebSocket message as it came (no unpacking), offering `protocols`. */
async function rawSocket(url: string, protocols: string[]) {
  const ws = new WebSocket(url, protocols);
  const wire: Json[] = [];
  ws.on("message", (d) => wire.push(JSON.parse(d.toString()) as Json));
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  for (let i = 0; i < 200 && !wire.some((f) => f.type === "chat.ready"); i++) await new Promise((r) => setTimeout(r, 25));
  return { ws, wire };
}

describe("issue 15: frames sent together", () => {
  it("a burst reaches a client that offers conversas.frames in fewer messages, and an older client frame by frame, alike", async () => {
    server = await startTestServer();
    const tokens = await provision(server.base, server.adminKey!, "acme", ["ana", "bruno"]);
    const url = roomUrl(server.wsBase, "chat", DM);
    const ana = await rawSocket(url, ["conversas", "conversas.frames", `bearer.${tokens.ana}`]);
    const today = await rawSocket(url, ["conversas", "conversas.frames", `bearer.${tokens.bruno}`]);
    const older = await rawSocket(url, ["conversas", `bearer.${tokens.bruno}`]);
    const ids = Array.from({ length: 200 }, () => cid("junto"));
    for (const clientId of ids) ana.ws.send(JSON.stringify({ type: "message.send", clientId, text: `junto ${clientId}` }));
    const unpack = (wire: Json[]) => wire.flatMap((f) => (f.type === "frames" ? (f.frames as Json[]) : [f]));
    const count = (wire: Json[], type: string) => unpack(wire).filter((f) => f.type === type).length;
    for (let i = 0; i < 400; i++) {
      if (count(ana.wire, "message.ack") === ids.length && [today, older].every((s) => count(s.wire, "message.new") === ids.length)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const acks = unpack(ana.wire).filter((f) => f.type === "message.ack");
    expect(acks.map((f) => f.clientId)).toEqual(ids);
    expect(acks.map((f) => f.message.seq)).toEqual(ids.map((_, i) => i + 1));
    // The sender's 200 acks came in fewer WebSocket messages: sends that arrived together were answered together.
    expect(ana.wire.filter((f) => f.type === "frames").length).toBeGreaterThan(0);
    expect(ana.wire.length).toBeLessThan(ids.length);
    const newOf = (wire: Json[]) => unpack(wire).filter((f) => f.type === "message.new");
    expect(newOf(today.wire)).toEqual(newOf(older.wire));
    expect(newOf(older.wire).map((f) => f.message.clientId)).toEqual(ids);
    expect(older.wire.some((f) => f.type === "frames")).toBe(false);
    for (const s of [ana, today, older]) s.ws.close();
    await server.stop();
    server = undefined;
  }, 120_000);
});

describe("issue 15: group commit under a crash", () => {
  it("SIGKILL mid-burst (64 in flight): every acknowledged message survives once, at its seq; the retry fills the rest", async () => {
    server = await startTestServer();
    const tokens = await provision(server.base, server.adminKey!, "acme", ["ana", "bruno"]);
    const { client: ana } = await openChat(server.wsBase, DM, tokens.ana!);
    const texts = new Map<string, string>();
    const ids = Array.from({ length: TOTAL }, (_, i) => {
      const clientId = cid("rajada");
      texts.set(clientId, `rajada ${i + 1}`);
      return clientId;
    });
    const acked = new Map<string, Json>();
    let next = 0;
    let killed: Promise<void> | null = null;
    const pump = () => {
      while (!killed && next < ids.length && next - acked.size < IN_FLIGHT) {
        const clientId = ids[next++]!;
        ana.send({ type: "message.send", clientId, text: texts.get(clientId) });
      }
    };
    ana.ws.on("message", (data) => {
      const got = JSON.parse(data.toString()) as Json;
      for (const f of got.type === "frames" ? (got.frames as Json[]) : [got]) {
        if (f.type !== "message.ack") continue;
        acked.set(f.clientId, f.message);
        if (acked.size >= KILL_AFTER_ACKS && !killed) killed = crash(server!);
      }
      pump();
    });
    pump();
    await ana.closed;
    await killed;
    const ackedBeforeCrash = new Map(acked);
    expect(ackedBeforeCrash.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(next).toBeLessThan(TOTAL);

    server = await startTestServer({ persist: server.persist, secrets: server.secrets });
    const log = await wholeLog(server.wsBase, tokens.bruno!);
    expect(log.map((m) => m.seq)).toEqual(log.map((_, i) => i + 1));
    const byClient = new Map(log.map((m) => [m.clientId, m]));
    expect(byClient.size).toBe(log.length);
    for (const [clientId, message] of ackedBeforeCrash) expect(byClient.get(clientId), clientId).toEqual(message);

    // The app's retry: everything sent before the crash goes again; what was stored is acked as it was.
    const { client: again } = await openChat(server.wsBase, DM, tokens.ana!);
    const resent = ids.slice(0, next);
    for (const clientId of resent) again.send({ type: "message.send", clientId, text: texts.get(clientId) });
    const answers = await Promise.all(
      resent.map((clientId) => again.next((f) => f.type === "message.ack" && f.clientId === clientId, 30_000, `ack ${clientId}`)),
    );
    for (const a of answers) {
      const before = byClient.get(a.clientId);
      if (before) expect(a.message).toEqual(before);
      else expect(a.message.text).toBe(texts.get(a.clientId));
    }
    await again.close();
    const after = await wholeLog(server.wsBase, tokens.bruno!);
    expect(after.map((m) => m.seq)).toEqual(after.map((_, i) => i + 1));
    expect(new Set(after.map((m) => m.clientId)).size).toBe(after.length);
    expect(after.map((m) => m.clientId).sort()).toEqual([...resent].sort());
  }, 180_000);
});
