/**
 * Issue 13.5 against the real runtime: rooms hibernate. With sockets open and
 * nothing happening, workerd evicts idle rooms after ten seconds, keeping their
 * sockets connected; the next event starts the room again from its tables and
 * its sockets' attachments (counted by `roomStarts` in /api/metrics). After
 * that, live delivery, the members' lists, presence, search and the call
 * history behave exactly as before.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { cid, http, openChat, openHub, provision, type Client, type Json } from "../support/clients";

let server: TestServer;
let tokens: Record<string, string>;
const sockets: Client[] = [];

beforeAll(async () => {
  server = await startTestServer();
  tokens = await provision(server.base, server.adminKey!, "acme", ["ana", "bruno", "carla"]);
});

afterAll(async () => {
  await Promise.allSettled(sockets.map((s) => s.close(1000)));
  await server?.stop();
});

const metrics = async (reset = false) =>
  (await http(`${server.base}/api/metrics${reset ? "?reset=1" : ""}`, { headers: { authorization: `Bearer ${server.adminKey}` } }))
    .body as Json;

describe("issue 13.5 hibernation", () => {
  it("issue 13.5: after the rooms hibernated with sockets open, messages, lists, presence, search and calls work as before", async () => {
    const { client: anaChat } = await openChat(server.wsBase, "acme.dm.ana.bruno", tokens.ana!);
    const { client: brunoChat } = await openChat(server.wsBase, "acme.dm.ana.bruno", tokens.bruno!);
    const { client: brunoHub } = await openHub(server.wsBase, "acme", tokens.bruno!);
    const { client: carlaHub } = await openHub(server.wsBase, "acme", tokens.carla!);
    sockets.push(anaChat, brunoChat, brunoHub, carlaHub);
    const first = cid();
    anaChat.send({ type: "message.send", clientId: first, text: "antes de hibernar" });
    await brunoChat.next((f) => f.type === "message.new" && f.message.clientId === first);
    await brunoHub.next((f) => f.type === "inbox.update" && f.conversation.unread === 1);
    await metrics(true);

    // Nothing happens for longer than workerd's idle eviction (10 s).
    await new Promise((r) => setTimeout(r, 13_000));

    const second = cid();
    anaChat.send({ type: "message.send", clientId: second, text: "depois de acordar: relatório" });
    const ack = await anaChat.next((f) => f.type === "message.ack" && f.clientId === second, 15_000);
    expect(ack.message.seq).toBe(2);
    await brunoChat.next((f) => f.type === "message.new" && f.message.clientId === second, 15_000);
    const update = await brunoHub.next((f) => f.type === "inbox.update" && f.conversation.lastMessage?.seq === 2, 15_000);
    expect(update.conversation).toMatchObject({ unread: 2, peerId: "ana" });
    // The chat and the hub both started again (they had been evicted, their sockets kept).
    expect((await metrics()).roomStarts).toBeGreaterThanOrEqual(2);

    // Presence: bruno's tab closes; carla, on the woken hub, sees him go.
    brunoHub.send({ type: "presence.leave" });
    await brunoHub.close();
    expect(await carlaHub.next((f) => f.type === "presence.update" && f.userId === "bruno" && !f.online, 10_000)).toBeTruthy();
    // Search and the call history through a woken hub and user room.
    await expect
      .poll(
        async () => {
          carlaHub.send({ type: "search.query", q: "relatorio" });
          return (await carlaHub.next((f) => f.type === "search.results" && f.q === "relatorio")).hits.length;
        },
        { timeout: 10_000 },
      )
      .toBe(0);
    const { client: anaHub } = await openHub(server.wsBase, "acme", tokens.ana!);
    sockets.push(anaHub);
    anaHub.send({ type: "search.query", q: "relatorio" });
    expect((await anaHub.next((f) => f.type === "search.results")).hits.map((h: Json) => h.seq)).toEqual([2]);
    anaHub.send({ type: "calls.fetch", filter: "all" });
    expect(await anaHub.nextOfType("calls.page")).toMatchObject({ entries: [] });
  }, 60_000);
});
