/**
 * Issue 12 against the real runtime, each finding tried as an attacker would
 * (the browser-side findings — the softphone's ticket, the embedding origin, the
 * framed sign-in form — are in test/e2e/security.test.ts): sessions that end for
 * real, sign-in limits that slow nobody else, no token in any address, security
 * headers, the webhook bound to its company (per-person frame limits, whose
 * latency measure wants the machine to itself, are in frame-limits.test.ts), and the
 * small ones (sign-in links from the configured address, invisible or broken
 * text, invalid UTF-8, a short upload, secrets kept off the command line).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { request } from "node:http";
import { startTestServer, type TestServer } from "../support/server";
import { cid, http, login, open, openChat, openHub, PASSWORD, provision } from "../support/clients";
import { putUser, roomUrl, upgradeStatus, userBody, type Client } from "../support/clients";
import { postShare } from "../support/webhook";
import { issueServiceToken } from "../../party/domain/session";
import { tempDir } from "../../tools/dev/runtime.mjs";

const PUBLIC_URL = "https://conversas.empresa.example";
const EMBED = "https://atendimento.empresa.example";
const SHARED_SECRET = "segredo-compartilhado-123456";
let server: TestServer;
let tokens: Record<string, string>;
const sockets: Client[] = [];

beforeAll(async () => {
  const assets = tempDir("conversas-page-");
  writeFileSync(join(assets, "index.html"), "<!doctype html><title>Conversas</title>");
  server = await startTestServer({
    assets,
    vars: {
      CONVERSAS_PUBLIC_URL: PUBLIC_URL,
      CONVERSAS_EMBED_ORIGINS: EMBED,
      CONVERSAS_WEBHOOK_SECRET: SHARED_SECRET,
      CONVERSAS_SIP_URL: "wss://sip.empresa.example",
    },
  });
  tokens = await provision(server.base, server.adminKey!, "acme", ["ana", "bruno", "carla", "dora", "eva", "fabio", "gil"]);
  await provision(server.base, server.adminKey!, "globex", ["ana", "bruno"]);
});

afterAll(async () => {
  await Promise.allSettled(sockets.map((s) => s.close(1000)));
  await server?.stop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const me = (token: string) => http(`${server.base}/api/tenants/acme/me`, { headers: bearer(token) });
const closedCode = async (c: Client) => {
  const frame = await c.next((f) => f.type === "close", 10_000, "close frame");
  await c.closed;
  return frame.code as number;
};

describe("issue 12.3 sessions that end", () => {
  it("issue 12.3: 'Sair' ends the session on the server: its token is refused and every socket of it closes at once", async () => {
    const first = await login(server.base, "acme", "dora");
    const other = await login(server.base, "acme", "dora");
    const { client: hub } = await openHub(server.wsBase, "acme", first.body.token);
    const { client: chat } = await openChat(server.wsBase, "acme.dm.bruno.dora", first.body.token);
    const { client: otherHub } = await openHub(server.wsBase, "acme", other.body.token);
    sockets.push(otherHub);
    const out = await http(`${server.base}/api/session/logout`, { method: "POST", headers: bearer(first.body.token) });
    expect(out.status).toBe(204);
    expect(await closedCode(hub)).toBe(4001);
    expect(await closedCode(chat)).toBe(4001);
    expect((await me(first.body.token)).status).toBe(401);
    expect(await upgradeStatus(roomUrl(server.wsBase, "hub", "acme"), first.body.token)).toBe(401);
    const refresh = await http(`${server.base}/api/session/refresh`, {
      method: "POST",
      body: JSON.stringify({ refreshToken: first.body.refreshToken }),
    });
    expect(refresh.status).toBe(401);
    // The other session of the same person goes on.
    expect((await me(other.body.token)).status).toBe(200);
    expect(otherHub.frames.some((f) => f.type === "close")).toBe(false);
  });

  it("issue 12.3: 'Sair de todos os dispositivos' and a password change each end every session of the user", async () => {
    const a = await login(server.base, "acme", "eva");
    const b = await login(server.base, "acme", "eva");
    const { client: hubB } = await openHub(server.wsBase, "acme", b.body.token);
    const all = await http(`${server.base}/api/session/logout-all`, { method: "POST", headers: bearer(a.body.token) });
    expect(all.status).toBe(204);
    expect(await closedCode(hubB)).toBe(4001);
    for (const s of [a, b]) {
      expect((await me(s.body.token)).status).toBe(401);
      expect(
        (await http(`${server.base}/api/session/refresh`, { method: "POST", body: JSON.stringify({ refreshToken: s.body.refreshToken }) }))
          .status,
      ).toBe(401);
    }
    const c = await login(server.base, "acme", "eva");
    const { client: hubC } = await openHub(server.wsBase, "acme", c.body.token);
    await putUser(server.base, server.adminKey!, "acme", "eva", userBody("eva", { password: "uma-senha-nova-9" }));
    expect(await closedCode(hubC)).toBe(4001);
    expect((await me(c.body.token)).status).toBe(401);
    expect((await login(server.base, "acme", "eva")).status).toBe(401);
    expect((await login(server.base, "acme", "eva", "uma-senha-nova-9")).status).toBe(200);
  });

  it("issue 12.3: the access token is short-lived (≤ 1 h) and renewed silently with the refresh token while the session lives", async () => {
    const s = await login(server.base, "acme", "fabio");
    expect(s.body.expiresAt - Date.now()).toBeLessThanOrEqual(60 * 60 * 1000);
    expect(s.body.expiresAt - Date.now()).toBeGreaterThan(60_000);
    const renewed = await http(`${server.base}/api/session/refresh`, {
      method: "POST",
      body: JSON.stringify({ refreshToken: s.body.refreshToken }),
    });
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ user: { id: "fabio" } });
    expect((await me(renewed.body.token)).status).toBe(200);
    // A forged or altered refresh token renews nothing.
    for (const bad of [s.body.refreshToken.slice(0, -2) + "xx", s.body.token, "a.b"]) {
      expect(
        (await http(`${server.base}/api/session/refresh`, { method: "POST", body: JSON.stringify({ refreshToken: bad }) })).status,
      ).toBe(401);
    }
  });
});

describe("issue 12.4 sign-in limits", () => {
  it("issue 12.4: after 5 wrong passwords an account gets 429 with Retry-After and the pt-BR message, also for the right password, and every failure is logged", async () => {
    const tries = [];
    for (let i = 0; i < 8; i++) tries.push(await login(server.base, "acme", "gil", `errada-${i}`));
    expect(tries.slice(0, 5).map((t) => t.status)).toEqual([401, 401, 401, 401, 401]);
    const limited = tries.slice(5);
    for (const t of limited) {
      expect(t.status).toBe(429);
      expect(t.body.error).toMatch(/^Muitas tentativas\. Tente de novo em \d+ minutos?\.$/);
      expect(t.body.code).toBe("rate_limited");
    }
    const res = await fetch(`${server.base}/api/login`, {
      method: "POST",
      body: JSON.stringify({ tenant: "acme", login: "gil", password: PASSWORD }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    await res.body?.cancel();
    // The same login in another company is another account.
    expect((await login(server.base, "globex", "bruno")).status).toBe(200);
    expect(server.log()).toMatch(/"event":"login_failed".*"tenant":"acme".*"login":"gil".*"address":"[^"]+"/);
  });

  it("issue 12.4: a flood of wrong passwords is mostly refused before any password is hashed, and never touches the directory", async () => {
    const before = await http(`${server.base}/api/metrics?reset=1`, { headers: bearer(server.adminKey!) });
    expect(before.status).toBe(200);
    const statuses: number[] = [];
    for (let round = 0; round < 10; round++) {
      const batch = await Promise.all(Array.from({ length: 16 }, (_, i) => login(server.base, "acme", "carla", `ataque-${round}-${i}`)));
      statuses.push(...batch.map((b) => b.status));
    }
    const tried = statuses.filter((s) => s === 401).length;
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(100);
    // At most the threshold plus what raced in with the first batch reached a password check.
    expect(tried).toBeLessThanOrEqual(5 + 16);
    // Another user signs in and reads their profile meanwhile.
    expect((await me(tokens.bruno!)).status).toBe(200);
  });
});

describe("issue 12.5 no credential in an address", () => {
  it("issue 12.5: a socket with the token in the URL (and not in the subprotocol) is refused; files are private and never cached", async () => {
    const url = `${roomUrl(server.wsBase, "hub", "acme")}?token=${encodeURIComponent(tokens.ana!)}`;
    expect(await upgradeStatus(url, null)).toBe(401);
    const files = await http(`${server.base}/api/tenants/acme/contacts?token=${encodeURIComponent(tokens.ana!)}`);
    expect(files.status).toBe(401);
  });
});

describe("issue 12.6 security headers", () => {
  it("issue 12.6: pages carry a strict CSP framed only by the embedding origin, nosniff, no referrer, COOP; no wildcard CORS", async () => {
    const page = await fetch(`${server.base}/`);
    const csp = page.headers.get("content-security-policy") ?? "";
    await page.body?.cancel();
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain(`frame-ancestors ${EMBED}`);
    expect(csp).toContain("connect-src 'self' wss://sip.empresa.example");
    expect(csp).toContain("object-src 'none'");
    for (const res of [
      page,
      await fetch(`${server.base}/api/tenants/acme/me`, { headers: { ...bearer(tokens.ana!), origin: "https://evil.example" } }),
    ]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin-allow-popups");
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
  });
});

describe("issue 12.8 the webhook is bound to its company", () => {
  it("issue 12.8: a share signed for one company is refused when replayed into another with the same shared secret", async () => {
    const body = {
      shareId: `replay-${Date.now()}`,
      sharedBy: "ana",
      to: { type: "user", id: "bruno" },
      attendance: {
        protocol: "777",
        channel: "whatsapp",
        customer: { name: "Maria" },
        startedAt: "2026-11-25T09:00:00Z",
        messages: [{ from: "customer", text: "oi", at: "2026-11-25T09:00:05Z" }],
      },
    };
    const replay = await postShare(server.base, SHARED_SECRET, body, { tenant: "globex", signedTenant: "acme" });
    expect(replay.status).toBe(401);
    expect((await postShare(server.base, SHARED_SECRET, body, { tenant: "acme" })).status).toBe(201);
    expect((await postShare(server.base, SHARED_SECRET, body, { tenant: "globex" })).status).toBe(201);
  });
});

describe("issue 12, the small ones", () => {
  it("issue 12 (low): the drafts socket of a disabled user closes like the others", async () => {
    const { token } = (await login(server.base, "acme", "dora")).body;
    const drafts = await open(roomUrl(server.wsBase, "drafts", "acme.dora"), token);
    await new Promise((r) => setTimeout(r, 300));
    await putUser(server.base, server.adminKey!, "acme", "dora", userBody("dora", { enabled: false }));
    const closed = await Promise.race([drafts.closed, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
    expect(closed).not.toBeNull();
    await putUser(server.base, server.adminKey!, "acme", "dora", userBody("dora"));
  });

  it("issue 12 (low): sign-in links are built from CONVERSAS_PUBLIC_URL, never from the Host header", async () => {
    const res = await http(`${server.base}/api/tenants/acme/links`, {
      method: "POST",
      headers: { ...bearer(server.adminKey!), "content-type": "application/json", "x-forwarded-host": "evil.example" },
      body: JSON.stringify({ userId: "bruno", to: "/u/ana" }),
    });
    expect(res.status).toBe(201);
    expect(res.body.url.startsWith(`${PUBLIC_URL}/l/acme/`)).toBe(true);
  });

  it("issue 12 (low): a message of only invisible characters, or with a lone surrogate, is refused and stores nothing", async () => {
    const { client, ready } = await openChat(server.wsBase, "acme.dm.ana.carla", tokens.ana!);
    for (const text of ["\u200b\u200b\u200b", "\u2060\ufeff", "bom \ud800 dia"]) {
      const clientId = cid();
      client.ws.send(
        JSON.stringify({ type: "message.send", clientId, text }).replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`),
      );
      expect(await client.next((f) => f.type === "error" && f.clientId === clientId)).toMatchObject({
        code: "invalid_frame",
        field: "text",
      });
    }
    const { ready: after } = await openChat(server.wsBase, "acme.dm.ana.carla", tokens.ana!);
    expect(after.lastSeq).toBe(ready.lastSeq);
    await client.close();
  });

  it("issue 12 (low): invalid UTF-8 in a text frame is answered with a 1007 close and changes nothing", async () => {
    const { client, ready } = await openChat(server.wsBase, "acme.dm.ana.fabio", tokens.ana!);
    client.ws.send(Buffer.from('{"type":"message.send","clientId":"utf8-invalid-1","text":"a\xff\xfeb"}', "latin1"), { binary: false });
    expect(await client.next((f) => f.type === "close", 10_000)).toMatchObject({ code: 1007 });
    const { ready: after } = await openChat(server.wsBase, "acme.dm.ana.fabio", tokens.ana!);
    expect(after.lastSeq).toBe(ready.lastSeq);
  });

  it("issue 12 (low): an upload whose body is shorter than its Content-Length gets 400 and stores nothing", async () => {
    const url = new URL(`${server.base}/parties/chat/acme.dm.ana.bruno/files`);
    const status = await new Promise<number>((resolve) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { ...bearer(tokens.ana!), "content-type": "application/pdf", "content-length": "50000", "x-file-name": "curto.pdf" },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on("error", () => resolve(-1));
      req.write(Buffer.alloc(1000, 1));
      // The sender gives up half-way: the connection closes after 1,000 of 50,000 bytes.
      setTimeout(() => req.socket?.end(), 200);
    });
    // The worker answers 400 (unit-tested in party/rooms/chat/room.test.ts); wrangler's dev proxy in front
    // answers a request its client cut short with its own 503. Never a 500, never a stored file.
    expect([400, 503, -1]).toContain(status);
    const { ready } = await openChat(server.wsBase, "acme.dm.ana.bruno", tokens.ana!);
    expect(JSON.stringify(ready.messages)).not.toContain("curto.pdf");
  });

  it("issue 12 (low): the runtime's secrets are not on its command line (ps shows none of them)", () => {
    const out = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
    for (const [name, value] of Object.entries(server.secrets)) expect(out, name).not.toContain(value);
    expect(out).toContain("--env-file");
  });

  it("issue 12.1: the softphone gets a one-time ticket for the configured SIP address, never the session token", async () => {
    const res = await http(`${server.base}/api/tenants/acme/sip/ticket`, { method: "POST", headers: bearer(tokens.ana!) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ url: "wss://sip.empresa.example", ticket: expect.stringMatching(/^acme\.ana\./) });
    expect(res.body.ticket).not.toContain(tokens.ana!);
    expect((await http(`${server.base}/api/tenants/acme/sip/ticket`, { method: "POST" })).status).toBe(401);
    expect((await http(`${server.base}/api/tenants/globex/sip/ticket`, { method: "POST", headers: bearer(tokens.ana!) })).status).toBe(403);
  });
});

describe("issue 16.6 PBX credentials", () => {
  const service = async () => ({ "x-conversas-service": await issueServiceToken(server.secrets.CONVERSAS_SESSION_SECRET!) });
  const redeem = async (ticket: string, headers: Record<string, string>) =>
    http(`${server.base}/api/sip/tickets/redeem`, { method: "POST", headers, body: JSON.stringify({ ticket }) });
  const ticketOf = async (token: string) =>
    (await http(`${server.base}/api/tenants/acme/sip/ticket`, { method: "POST", headers: bearer(token) })).body.ticket as string;

  it("issue 16.6: an admin sets a user's PBX password; it is never returned to anyone but the proxy, once per ticket", async () => {
    const admin = { authorization: `Bearer ${server.adminKey}` };
    const path = `${server.base}/api/tenants/acme/users/gil/sip-credentials`;
    // A member (not an admin of the company) is refused.
    expect((await http(path, { method: "PUT", headers: bearer(tokens.gil!), body: JSON.stringify({ password: "x" }) })).status).toBe(403);
    expect((await http(path, { method: "PUT", headers: admin, body: JSON.stringify({ password: "" }) })).status).toBe(400);
    const set = await http(path, {
      method: "PUT",
      headers: admin,
      body: JSON.stringify({ username: "2005", password: "ramal-secreto-2005" }),
    });
    expect(set.status).toBe(204);
    const user = await http(`${server.base}/api/tenants/acme/users/gil`, { headers: admin });
    expect(JSON.stringify(user.body)).not.toContain("ramal-secreto-2005");
    expect(JSON.stringify((await me(tokens.gil!)).body)).not.toContain("ramal-secreto-2005");

    const ticket = await ticketOf(tokens.gil!);
    expect((await redeem(ticket, {})).status).toBe(401);
    const first = await redeem(ticket, await service());
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ tenant: "acme", userId: "gil", credentials: { username: "2005", password: "ramal-secreto-2005" } });
    expect((await redeem(ticket, await service())).status).not.toBe(200);

    expect((await http(path, { method: "DELETE", headers: admin })).status).toBe(204);
    const after = await redeem(await ticketOf(tokens.gil!), await service());
    expect(after.body.credentials).toBeNull();
  });
});
