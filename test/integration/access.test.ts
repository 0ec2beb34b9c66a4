/**
 * Access rules against the real runtime (R1): sign-in, the admin API, tenant
 * isolation, forged tokens, the rooms only other rooms may reach, and what
 * disabling a user ends. Every security rule here is tried from outside, the
 * way an attacker would.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { startTestServer, stopAfterFile, type TestServer } from "../support/server";
import { issueAccess, issueServiceToken } from "../../party/domain/session";
import { connect, http, login, openChat, openHub, PASSWORD, provision } from "../support/clients";
import { putUser, roomUrl, upgradeStatus, userBody, cid, type Json } from "../support/clients";

let server: TestServer;
let tokens: Record<string, string>;
let globex: Record<string, string>;
const secret = () => server.secrets.CONVERSAS_SESSION_SECRET!;
const adminKey = () => server.adminKey!;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  server = await startTestServer();
  tokens = await provision(server.base, adminKey(), "acme", ["ana", "bruno", "carla", "dora"]);
  // Another company with a user that has the same id as one in acme.
  globex = await provision(server.base, adminKey(), "globex", ["ana", "gina"]);
});

stopAfterFile(() => server);

describe("R1 sign-in", () => {
  it("R1: the right password gives a session token and the public user", async () => {
    const res = await login(server.base, "acme", "ana");
    expect(res.status).toBe(200);
    expect(typeof res.body.token).toBe("string");
    expect(res.body.user).toMatchObject({ id: "ana", login: "ana", enabled: true, modules: ["conversas"] });
    expect(res.text).not.toMatch(/password|hash|sessionVersion/i);
  });

  it("R1: a wrong password, an unknown login, an unknown company, a disabled user and a user without password get the same 401", async () => {
    await putUser(server.base, adminKey(), "acme", "off", userBody("off", { enabled: false }));
    const { password: _omit, ...noPassword } = userBody("nopw");
    await putUser(server.base, adminKey(), "acme", "nopw", noPassword);
    const attempts = await Promise.all([
      login(server.base, "acme", "ana", "wrong-password"),
      login(server.base, "acme", "nobody"),
      login(server.base, "nowhere", "ana"),
      login(server.base, "globex", "bruno"),
      login(server.base, "acme", "off"),
      login(server.base, "acme", "nopw", "anything-at-all"),
    ]);
    const first = attempts[0]!;
    expect(first.status).toBe(401);
    expect(first.body).toMatchObject({ code: "unauthorized" });
    for (const a of attempts) {
      expect(a.status).toBe(401);
      expect(a.text).toBe(first.text);
    }
  });

  it("R1: a malformed sign-in body is a 400 naming the field", async () => {
    const post = (body: string) => http(`${server.base}/api/login`, { method: "POST", body });
    expect((await post(JSON.stringify({ tenant: "acme", login: "ana" }))).body).toMatchObject({ code: "invalid_body", field: "password" });
    expect((await post(JSON.stringify({ tenant: "acme", password: "x" }))).body).toMatchObject({ code: "invalid_body", field: "login" });
    expect((await post(JSON.stringify({ tenant: "ACME!", login: "ana", password: "x" }))).body).toMatchObject({ field: "tenant" });
    const bad = await post("{not json");
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "invalid_body", field: "(raiz)" });
  });

  it.each([
    ["PUT", "/api/tenants/acme/users/%zz"],
    ["POST", "/api/tenants/%/share"],
    ["POST", "/api/tenants/%E0/links"],
    ["POST", "/api/tenants/%E0%A4%A/links"],
    ["GET", "/parties/chat/%E0%A4%A/files/abcdefgh"],
  ] as const)("a malformed escape in an API path or a room id is refused with a 4xx, never a 500: %s %s", async (method, path) => {
    const res = await http(`${server.base}${path}`, { method, headers: bearer(adminKey()), ...(method === "GET" ? {} : { body: "{}" }) });
    expect(res.status, res.text).toBeGreaterThanOrEqual(400);
    expect(res.status, res.text).toBeLessThan(500);
  });
});

describe("admin API", () => {
  const url = (id: string, tenant = "acme") => `${server.base}/api/tenants/${tenant}/users/${id}`;

  it("R1: PUT creates with 201, again updates with 200, and GET shows no secret", async () => {
    const first = await putUser(server.base, adminKey(), "acme", "eva", userBody("eva", { extension: "2010" }));
    expect(first.status).toBe(201);
    const again = await putUser(server.base, adminKey(), "acme", "eva", userBody("eva", { name: "Eva Nova" }));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: "eva", name: "Eva Nova", extension: null });
    const got = await http(url("eva"), { headers: bearer(adminKey()) });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: "eva", name: "Eva Nova", email: "eva@example.com" });
    for (const text of [first.text, again.text, got.text]) expect(text).not.toMatch(/password|hash|sessionVersion|senha/i);
    // The password kept across an update without one.
    await putUser(server.base, adminKey(), "acme", "eva", { ...userBody("eva"), password: undefined });
    expect((await login(server.base, "acme", "eva")).status).toBe(200);
  });

  it("R1: a missing or wrong admin key is a 401, a session of a user who is no company admin a 403, and neither creates anything", async () => {
    const body = JSON.stringify(userBody("mallory"));
    const keys: [string | null, number][] = [
      [null, 401],
      ["wrong-key", 401],
      [`${adminKey()}x`, 401],
      [tokens.ana!, 403],
    ];
    for (const [key, status] of keys) {
      const headers: Record<string, string> = key === null ? {} : bearer(key);
      expect((await http(url("mallory"), { method: "PUT", headers, body })).status).toBe(status);
      expect((await http(url("ana"), { headers })).status).toBe(status);
    }
    expect((await http(url("mallory"), { headers: bearer(adminKey()) })).status).toBe(404);
    expect((await login(server.base, "acme", "mallory")).status).toBe(401);
  });

  it("R1: invalid bodies are a 400 naming the field", async () => {
    const cases: [Json, string][] = [
      [userBody("x1", { email: "not-an-email" }), "email"],
      [{ ...userBody("x1"), name: undefined }, "name"],
      [userBody("x1", { name: "   " }), "name"],
      [userBody("x1", { modules: ["atendimento"] }), "modules"],
      [userBody("x1", { modules: [] }), "modules"],
      [userBody("x1", { extension: "12a" }), "extension"],
      [userBody("x1", { extension: "1" }), "extension"],
      [userBody("x1", { password: "short" }), "password"],
      [userBody("x1", { login: "has space" }), "login"],
    ];
    for (const [body, field] of cases) {
      const res = await putUser(server.base, adminKey(), "acme", "x1", body);
      expect(res.status, field).toBe(400);
      expect(res.body, field).toMatchObject({ code: "invalid_body", field });
    }
    const huge = await putUser(server.base, adminKey(), "acme", "x1", userBody("x1", { department: "d".repeat(40_000) }));
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ code: "too_large" });
    const badJson = await putUser(server.base, adminKey(), "acme", "x1", "{");
    expect(badJson.status).toBe(400);
    const badId = await putUser(server.base, adminKey(), "acme", "Not%20Valid", userBody("x1"));
    expect(badId.body).toMatchObject({ field: "userId" });
    expect((await http(url("x1"), { headers: bearer(adminKey()) })).status).toBe(404);
  });

  it("R1: a login already used by another user is a 400 on field login, whatever its case", async () => {
    for (const loginName of ["ana", "ANA"]) {
      const res = await putUser(server.base, adminKey(), "acme", "impostor", userBody("impostor", { login: loginName }));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: "invalid_body", field: "login" });
    }
    expect((await login(server.base, "acme", "ana")).status).toBe(200);
  });

  it("R1: renaming a login frees the old one and moves sign-in to the new one", async () => {
    expect((await putUser(server.base, adminKey(), "acme", "fabio", userBody("fabio"))).status).toBe(201);
    expect((await putUser(server.base, adminKey(), "acme", "fabio", userBody("fabio", { login: "Fabio.Novo" }))).status).toBe(200);
    expect((await login(server.base, "acme", "fabio")).status).toBe(401);
    expect((await login(server.base, "acme", "fabio.novo")).body.user).toMatchObject({ id: "fabio", login: "Fabio.Novo" });
    expect((await putUser(server.base, adminKey(), "acme", "gil", userBody("gil", { login: "fabio" }))).status).toBe(201);
    expect((await login(server.base, "acme", "fabio")).body.user.id).toBe("gil");
  });

  it("R1: two users created at the same time with the same login: exactly one gets it", async () => {
    for (let round = 0; round < 3; round++) {
      const shared = `dup${round}`;
      const ids = [`dupa${round}`, `dupb${round}`, `dupc${round}`];
      const results = await Promise.all(ids.map((id) => putUser(server.base, adminKey(), "acme", id, userBody(id, { login: shared }))));
      expect(results.map((r) => r.status).sort()).toEqual([201, 400, 400]);
      const owner = ids[results.findIndex((r) => r.status === 201)];
      const res = await login(server.base, "acme", shared);
      expect(res.body.user.id).toBe(owner);
    }
  });

  it("R1: the same login in another company is a different user", async () => {
    const res = await login(server.base, "globex", "ana");
    expect(res.status).toBe(200);
    expect(res.body.token).not.toBe(tokens.ana);
  });
});

describe("R1 tenant isolation", () => {
  it("R1: a user of another company cannot open this company's hub or chats", async () => {
    const gina = globex.gina!;
    const otherAna = globex.ana!;
    const rooms: [string, string, string][] = [
      [gina, "hub", "acme"],
      [gina, "chat", "acme.dm.ana.gina"],
      [gina, "chat", "acme.dm.ana.bruno"],
      [gina, "drafts", "acme.gina"],
      [otherAna, "chat", "acme.dm.ana.bruno"],
      [otherAna, "hub", "acme"],
      [otherAna, "drafts", "acme.ana"],
      // Crafted ids: an encoded tenant, a path that climbs, a doubled separator.
      [otherAna, "chat", "%61cme.dm.ana.bruno"],
      [otherAna, "chat", "globex.dm.ana.gina%2F..%2F..%2Facme.dm.ana.bruno"],
      [otherAna, "drafts", "acme..ana"],
    ];
    for (const [token, party, room] of rooms) {
      expect(await upgradeStatus(roomUrl(server.wsBase, party, room), token), `${party}/${room}`).toBe(403);
    }
  });

  it.each([
    ["directory", "acme"],
    ["user", "acme.ana"],
    ["search", "acme"],
    ["guard", "acme"],
  ] as const)("R1: a room only rooms may call cannot be reached from outside at all: %s", async (party, room) => {
    expect(await upgradeStatus(roomUrl(server.wsBase, party, room), tokens.ana!), "socket").toBe(404);
    const res = await http(`${server.base}/parties/${party}/${room}/anything`, { headers: bearer(tokens.ana!) });
    expect(res.status, "HTTP").toBe(404);
  });

  it("R1: a user of another company cannot read this company's contacts or profile", async () => {
    for (const path of ["contacts", "me"]) {
      const res = await http(`${server.base}/api/tenants/acme/${path}`, { headers: bearer(globex.ana!) });
      expect(res.status).toBe(403);
      expect(res.text).not.toContain("bruno");
    }
    const own = await http(`${server.base}/api/tenants/globex/contacts`, { headers: bearer(globex.ana!) });
    expect(own.status).toBe(200);
    expect(own.body.users.map((u: Json) => u.id).sort()).toEqual(["ana", "gina"]);
  });

  it("R1: a third user of the same company cannot open a DM of two others, nor another's drafts", async () => {
    expect(await upgradeStatus(roomUrl(server.wsBase, "chat", "acme.dm.ana.bruno"), tokens.carla!)).toBe(403);
    expect(await upgradeStatus(roomUrl(server.wsBase, "drafts", "acme.ana"), tokens.carla!)).toBe(403);
    const res = await http(`${server.base}/parties/chat/acme.dm.ana.bruno/files/links`, {
      method: "POST",
      headers: bearer(tokens.carla!),
      body: JSON.stringify({ fileIds: [] }),
    });
    expect(res.status).toBe(403);
  });

  it("R1: a forged, expired, garbage or missing token is a 401 on upgrade and on HTTP", async () => {
    const now = Date.now();
    const ghostSid = "ghostsession00000000";
    const bad = {
      forged: await issueAccess("some-other-secret-value", { userId: "ana", tenant: "acme", sid: ghostSid }, 60_000, now),
      expired: await issueAccess(secret(), { userId: "ana", tenant: "acme", sid: ghostSid }, 1000, now - 60_000),
      unknownSession: await issueAccess(secret(), { userId: "ana", tenant: "acme", sid: ghostSid }, 60_000, now),
      unknownUser: await issueAccess(secret(), { userId: "ghost", tenant: "acme", sid: ghostSid }, 60_000, now),
      refreshToken: (await login(server.base, "acme", "ana")).body.refreshToken,
      service: await issueServiceToken(secret(), now),
      garbage: "abc.def",
      tampered: tokens.ana!.slice(0, -3) + (tokens.ana!.endsWith("AAA") ? "BBB" : "AAA"),
      missing: null,
    };
    for (const [name, token] of Object.entries(bad)) {
      // Each token names its user's own rooms, so only the token itself can be at fault.
      const who = name === "unknownUser" ? "ghost" : "ana";
      for (const [party, room] of [
        ["hub", "acme"],
        ["drafts", `acme.${who}`],
        ["chat", `acme.dm.${who}.zack`],
      ] as const) {
        expect(await upgradeStatus(roomUrl(server.wsBase, party, room), token), `${name} ${party}`).toBe(401);
      }
      const headers: Record<string, string> = token === null ? {} : bearer(token);
      for (const path of ["contacts", "me"]) {
        expect((await http(`${server.base}/api/tenants/acme/${path}`, { headers })).status, `${name} ${path}`).toBe(401);
      }
    }
    const good = await http(`${server.base}/api/tenants/acme/me`, { headers: bearer(tokens.ana!) });
    expect(good.status).toBe(200);
    expect(good.body.user).toMatchObject({ id: "ana" });
  });
});

describe("room-to-room calls are for rooms only", () => {
  it("R1: a plain client cannot call the rooms' internal routes, with or without a session", async () => {
    const { client: brunoChat } = await openChat(server.wsBase, "acme.dm.ana.bruno", tokens.bruno!);
    const takeover = JSON.stringify(userBody("ana", { password: "attacker-password", name: "Pwned" }));
    const callers: Record<string, string>[] = [
      {},
      bearer(tokens.ana!),
      { "x-conversas-service": tokens.ana! },
      { "x-conversas-service": "x.y" },
    ];
    for (const headers of callers) {
      for (const [method, path, body] of [
        ["PUT", "directory/acme/users/ana", takeover],
        ["POST", "directory/acme/login", JSON.stringify({ tenant: "acme", login: "ana", password: PASSWORD })],
        ["POST", "user/acme.ana/inbox", JSON.stringify({ conversation: { chatId: "dm.ana.evil" } })],
        ["POST", "chat/acme.dm.ana.bruno/kick", JSON.stringify({ userId: "bruno" })],
        ["POST", "chat/acme.dm.ana.bruno/rpc", JSON.stringify({ route: "chat.kick", body: { userId: "bruno" } })],
        ["POST", "hub/acme/kick", JSON.stringify({ userId: "bruno" })],
      ] as const) {
        // Every refusal drains the request first, so the next request on the same connection is answered
        // too (a room that answered 404 with the body unread made wrangler dev answer the next one 503).
        const res = await http(`${server.base}/parties/${path}`, { method, headers, body });
        expect([401, 403, 404], `${method} ${path} ${JSON.stringify(headers)}`).toContain(res.status);
        expect(res.text).not.toContain("token");
      }
    }
    expect((await login(server.base, "acme", "ana", "attacker-password")).status).toBe(401);
    expect((await login(server.base, "acme", "ana")).status).toBe(200);
    const ana = await http(`${server.base}/api/tenants/acme/users/ana`, { headers: bearer(adminKey()) });
    expect(ana.body.name).toBe("Usuário ana");
    // Nothing changed: bruno's socket still works and ana's list has no fake chat.
    const clientId = cid();
    brunoChat.send({ type: "message.send", clientId, text: "ainda aqui" });
    expect((await brunoChat.nextOfType("message.ack")).clientId).toBe(clientId);
    const { client: fresh, inbox } = await openHub(server.wsBase, "acme", tokens.ana!);
    expect(inbox.conversations.map((c: Json) => c.chatId)).not.toContain("dm.ana.evil");
    await Promise.all([brunoChat.close(), fresh.close()]);
  });
});

describe("R1 disabling a user", () => {
  it("R1: disabling closes the user's sockets with 4010, ends their token and sign-in, and keeps their messages", async () => {
    const { client: doraChat } = await openChat(server.wsBase, "acme.dm.bruno.dora", tokens.dora!);
    const { client: doraHub } = await openHub(server.wsBase, "acme", tokens.dora!);
    const clientId = cid();
    doraChat.send({ type: "message.send", clientId, text: "última mensagem da Dora" });
    await doraChat.nextOfType("message.ack");
    await doraHub.nextOfType("inbox.update");

    const off = await putUser(server.base, adminKey(), "acme", "dora", userBody("dora", { enabled: false }));
    expect(off.status).toBe(200);
    const timeout = (ms: number) => new Promise<never>((_, rej) => setTimeout(() => rej(new Error("socket not closed")), ms));
    expect((await Promise.race([doraChat.closed, timeout(10_000)])).code).toBe(4010);
    expect((await Promise.race([doraHub.closed, timeout(10_000)])).code).toBe(4010);

    expect(await upgradeStatus(roomUrl(server.wsBase, "chat", "acme.dm.bruno.dora"), tokens.dora!)).toBe(401);
    expect(await upgradeStatus(roomUrl(server.wsBase, "hub", "acme"), tokens.dora!)).toBe(401);
    expect((await http(`${server.base}/api/tenants/acme/me`, { headers: bearer(tokens.dora!) })).status).toBe(401);
    expect((await login(server.base, "acme", "dora")).status).toBe(401);
    const contacts = await http(`${server.base}/api/tenants/acme/contacts`, { headers: bearer(tokens.bruno!) });
    expect(contacts.body.users.map((u: Json) => u.id)).not.toContain("dora");

    const { client: bruno, ready } = await openChat(server.wsBase, "acme.dm.bruno.dora", tokens.bruno!);
    expect(ready.messages.map((m: Json) => m.text)).toContain("última mensagem da Dora");
    await bruno.close();

    // Re-enabled, she signs in again, but the token from before stays dead.
    await putUser(server.base, adminKey(), "acme", "dora", userBody("dora"));
    expect((await login(server.base, "acme", "dora")).status).toBe(200);
    const r = await connect(roomUrl(server.wsBase, "hub", "acme"), tokens.dora!);
    expect("status" in r && r.status).toBe(401);
  });
});
