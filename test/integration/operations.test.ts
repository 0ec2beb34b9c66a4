/**
 * Operating it (issue 18.8) against the real runtime: `GET /api/health` answers
 * without authentication and says nothing sensitive; every request leaves one
 * JSON log line with its request id (also on the answer), tenant, room, user id,
 * level and duration — and no log line ever holds a password, a token, a
 * sign-in link's secret or a message's text.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { cid, http, login, openChat, provision, PASSWORD, type Json } from "../support/clients";

let server: TestServer;
let tokens: Record<string, string>;
const platform = () => server.adminKey!;

/** The worker's JSON lines in the runtime's output. */
function logLines(): Json[] {
  return [...server.log().matchAll(/\{"level":"(?:debug|info|warn|error)".*\}/g)].map((m) => JSON.parse(m[0]));
}

async function linesFor(pred: (line: Json) => boolean): Promise<Json[]> {
  for (let i = 0; i < 50; i++) {
    const found = logLines().filter(pred);
    if (found.length) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no such log line in:\n${server.log().slice(-3000)}`);
}

beforeAll(async () => {
  server = await startTestServer({ logLevel: "log" });
  tokens = await provision(server.base, platform(), "acme", ["ana", "bruno"]);
});

afterAll(async () => {
  await server?.stop();
});

describe("issue 18.8 health", () => {
  it("18.8: GET /api/health is a 200 with the runtime's checks, needs no key, and tells nothing sensitive", async () => {
    const res = await fetch(`${server.base}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({ status: "ok", checks: { config: "ok", rooms: "ok", files: "ok" } });
    expect(typeof body.durationMs).toBe("number");
    const text = JSON.stringify(body);
    for (const secret of Object.values(server.secrets)) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/acme|ana|version|wrangler|workerd/i);
    expect((await http(`${server.base}/api/health`, { method: "POST" })).status).toBe(404);
  });
});

describe("issue 18.8 logs", () => {
  it("18.8: one JSON line per request with its id (as on the answer), tenant, user id, level, status and duration", async () => {
    const res = await fetch(`${server.base}/api/tenants/acme/me`, { headers: { authorization: `Bearer ${tokens.ana}` } });
    const requestId = res.headers.get("x-request-id")!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const [line] = await linesFor((l) => l.event === "request" && l.requestId === requestId);
    expect(line).toMatchObject({ level: "info", method: "GET", path: "/api/tenants/acme/me", status: 200, tenant: "acme", userId: "ana" });
    expect(typeof line!.durationMs).toBe("number");
    expect(typeof line!.at).toBe("string");
    // A room's request names the room.
    const { client } = await openChat(server.wsBase, "acme.dm.ana.bruno", tokens.ana!);
    const [upgrade] = await linesFor((l) => l.event === "request" && l.room === "chat/acme.dm.ana.bruno");
    expect(upgrade).toMatchObject({ status: 101, tenant: "acme" });
    const secretText = `texto secreto ${cid()}`;
    client.send({ type: "message.send", clientId: cid(), text: secretText });
    await client.next((f) => f.type === "message.ack");
    await client.close();
    // A refused sign-in, a sign-in link, an admin call: none of their secrets reach a line.
    await login(server.base, "acme", "ana", "senha-errada-xyz");
    const ok = await login(server.base, "acme", "bruno");
    const link = await http(`${server.base}/api/tenants/acme/links`, {
      method: "POST",
      headers: { authorization: `Bearer ${platform()}`, "content-type": "application/json" },
      body: JSON.stringify({ userId: "ana", to: "/c/dm.ana.bruno" }),
    });
    const linkToken = new URL(link.body.url).pathname.split("/").pop()!;
    await fetch(`${server.base}/l/acme/${linkToken}`);
    await linesFor((l) => l.event === "request" && l.path === "/l/acme/…");
    await linesFor((l) => l.event === "login_failed" && l.login === "ana");
    // The worker's own lines (wrangler dev's access log beside them shows whole addresses, as `wrangler tail` does).
    const all = logLines()
      .map((l) => JSON.stringify(l))
      .join("\n");
    expect(all).toContain('"event":"login_failed"');
    for (const secret of [
      PASSWORD,
      "senha-errada-xyz",
      secretText,
      tokens.ana!,
      ok.body.token,
      ok.body.refreshToken,
      linkToken,
      platform(),
    ]) {
      const at = all.indexOf(secret);
      expect(at, all.slice(Math.max(0, at - 200), at + 50)).toBe(-1);
    }
  });
});
