/**
 * The operator's side against the real runtime (issue 18.2–18.4): companies and
 * their keys (the platform key creates them; a company key manages its own
 * company only; rotation keeps the old key for its grace period), company
 * admins who come with their session, the administration API (list, search,
 * page, create, edit, enable/disable, password, sessions) and the audit trail.
 * Every rule is tried from the wrong side too.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { startTestServer, stopAfterFile, type TestServer } from "../support/server";
import { http, login, PASSWORD, provision, putUser, userBody, type Http } from "../support/clients";
import { newCompany } from "../support/company";

let server: TestServer;
let acmeKey: string;
let globexKey: string;
let tokens: Record<string, string>;
const bearer = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });
const api = (path: string, key: string | null, init: RequestInit = {}): Promise<Http> =>
  http(`${server.base}/api${path}`, { ...init, headers: { ...(key ? bearer(key) : {}), ...(init.headers as Record<string, string>) } });
const platform = () => server.adminKey!;

/** The audit trail's events for a filter, waiting a little for writes made after an answer. */
async function auditOf(tenant: string, query: string, want: (events: any[]) => boolean): Promise<any[]> {
  for (let i = 0; i < 50; i++) {
    const res = await api(`/tenants/${tenant}/audit?${query}`, platform());
    expect(res.status).toBe(200);
    if (want(res.body.events)) return res.body.events;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`audit ${tenant} ${query}: not found`);
}

/** Each query on `path` (query → the field it gets wrong) is refused with 400 invalid_body naming that field. */
async function refusesQueries(path: string, cases: Record<string, string>): Promise<void> {
  for (const [query, field] of Object.entries(cases)) {
    const res = await api(`${path}?${query}`, acmeKey);
    expect(res.status, query).toBe(400);
    expect(res.body, query).toMatchObject({ code: "invalid_body", field });
  }
}

beforeAll(async () => {
  server = await startTestServer();
  // Each company created (201) with a key of its own.
  acmeKey = await newCompany(server.base, platform(), "acme", "Acme Ltda", { label: "RH" });
  globexKey = await newCompany(server.base, platform(), "globex", "Globex");
  tokens = await provision(server.base, platform(), "acme", ["ana", "bruno"]);
  await provision(server.base, platform(), "globex", ["gina"]);
});

stopAfterFile(() => server);

describe("issue 18.2 companies and their keys", () => {
  it("18.2: the platform key creates a company (201, then 200) and its keys; a key is shown once and kept hashed", async () => {
    const again = await api("/tenants/acme", platform(), { method: "PUT", body: JSON.stringify({ name: "Acme S.A." }) });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ tenant: "acme", name: "Acme S.A." });
    expect(acmeKey).toMatch(/^cvk\.acme\.[a-z0-9]{10}\.[A-Za-z0-9_-]{43}$/);
    const keys = await api("/tenants/acme/keys", acmeKey);
    expect(keys.status).toBe(200);
    expect(keys.body.keys[0]).toMatchObject({ label: "RH", expiresAt: null });
    expect(keys.text).not.toContain(acmeKey.split(".")[3]);
    expect((await api("/tenants/nenhuma/keys", platform(), { method: "POST", body: "{}" })).status).toBe(404);
    const bad = await api("/tenants/acme", platform(), { method: "PUT", body: JSON.stringify({ name: "  " }) });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "invalid_body", field: "name" });
  });

  it("18.2: a company key manages its own company; on another company it is a 403, a wrong or made-up key a 401, and nothing changes", async () => {
    expect((await putUser(server.base, acmeKey, "acme", "carla", userBody("carla"))).status).toBe(201);
    expect((await api("/tenants/acme/users/carla", acmeKey)).status).toBe(200);
    // acme's key on globex: every company route refuses it with 403.
    for (const [method, path, body] of [
      ["PUT", "/tenants/globex/users/mallory", JSON.stringify(userBody("mallory"))],
      ["GET", "/tenants/globex/users/gina", undefined],
      ["GET", "/tenants/globex/users", undefined],
      ["PATCH", "/tenants/globex/users/gina", JSON.stringify({ enabled: false })],
      ["POST", "/tenants/globex/users/gina/password", JSON.stringify({ password: "outra-senha-boa" })],
      ["POST", "/tenants/globex/users/gina/logout", "{}"],
      ["GET", "/tenants/globex/audit", undefined],
      ["GET", "/tenants/globex/keys", undefined],
      ["PUT", "/tenants/globex/settings", JSON.stringify({ retentionDays: 1 })],
      ["GET", "/tenants/globex/export/users/gina", undefined],
    ] as const) {
      const res = await api(path, acmeKey, { method, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body).toMatchObject({ code: "forbidden" });
    }
    // Keys that are not valid: a 401, whatever company they name.
    const [, , id, secret] = acmeKey.split(".");
    const forged = [
      `cvk.acme.${id}.${"A".repeat(43)}`,
      `cvk.globex.${id}.${secret}`,
      `cvk.acme.aaaaaaaaaa.${secret}`,
      "cvk.acme",
      platform() + "x",
    ];
    for (const key of forged) {
      expect((await api("/tenants/acme/users/carla", key)).status, key).toBe(401);
      expect((await api("/tenants/globex/users/gina", key)).status, key).toBe(401);
    }
    // Only the platform key creates companies and keys.
    expect((await api("/tenants/acme", acmeKey, { method: "PUT", body: JSON.stringify({ name: "x" }) })).status).toBe(401);
    expect((await api("/tenants/acme/keys", acmeKey, { method: "POST", body: "{}" })).status).toBe(401);
    expect((await api("/tenants/globex/users/mallory", platform())).status).toBe(404);
    expect((await api("/tenants/globex/users/gina", platform())).body).toMatchObject({ enabled: true });
  });

  it("18.2: rotation gives a new key and keeps the old one for its grace period only; revoking ends a key at once", async () => {
    const created = await api("/tenants/acme/keys", platform(), { method: "POST", body: JSON.stringify({ label: "rotação" }) });
    const old = created.body.key as string;
    const rotated = await api(`/tenants/acme/keys/${created.body.id}/rotate`, old, {
      method: "POST",
      body: JSON.stringify({ graceSeconds: 2 }),
    });
    expect(rotated.status).toBe(201);
    const fresh = rotated.body.key as string;
    expect(fresh).not.toBe(old);
    expect((await api("/tenants/acme/users/ana", old)).status).toBe(200);
    expect((await api("/tenants/acme/users/ana", fresh)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2200));
    expect((await api("/tenants/acme/users/ana", old)).status).toBe(401);
    expect((await api("/tenants/acme/users/ana", fresh)).status).toBe(200);
    // A bad grace is a 400 and changes nothing.
    const bad = await api(`/tenants/acme/keys/${rotated.body.id}/rotate`, fresh, {
      method: "POST",
      body: JSON.stringify({ graceSeconds: -1 }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "invalid_body", field: "graceSeconds" });
    expect((await api(`/tenants/acme/keys/${rotated.body.id}`, fresh, { method: "DELETE" })).status).toBe(204);
    expect((await api("/tenants/acme/users/ana", fresh)).status).toBe(401);
  });

  it("18.2: a signed-in company admin uses the company API with their session; a member, another company's admin or an ended session cannot", async () => {
    expect((await api("/tenants/acme/users", tokens.ana!)).status).toBe(403);
    expect(
      (await api("/tenants/acme/users/ana", platform(), { method: "PATCH", body: JSON.stringify({ admin: true }) })).body,
    ).toMatchObject({
      admin: true,
    });
    const me = await api("/tenants/acme/me", tokens.ana!);
    expect(me.body).toMatchObject({ ok: true, admin: true });
    // Issue 16.1: the class of service changes by PATCH too, and a wrong one is named.
    const patched = await api("/tenants/acme/users/ana", platform(), { method: "PATCH", body: JSON.stringify({ callClass: "national" }) });
    expect(patched.body).toMatchObject({ callClass: "national", admin: true });
    const wrong = await api("/tenants/acme/users/ana", platform(), { method: "PATCH", body: JSON.stringify({ callClass: "galactic" }) });
    expect(wrong.body).toMatchObject({ code: "invalid_body", field: "callClass" });
    const list = await api("/tenants/acme/users", tokens.ana!);
    expect(list.status).toBe(200);
    expect(list.body.users.map((u: any) => u.id)).toContain("bruno");
    // An admin of acme on globex: 403.
    expect((await api("/tenants/globex/users", tokens.ana!)).status).toBe(403);
    // bruno is no admin, and cannot make himself one.
    expect((await api("/tenants/acme/users/bruno", tokens.bruno!, { method: "PATCH", body: JSON.stringify({ admin: true }) })).status).toBe(
      403,
    );
    expect((await api("/tenants/acme/users/bruno", platform())).body.admin).toBe(false);
    // Taking the flag away ends the access at once, session or not.
    await api("/tenants/acme/users/ana", platform(), { method: "PATCH", body: JSON.stringify({ admin: false }) });
    expect((await api("/tenants/acme/users", tokens.ana!)).status).toBe(403);
    await api("/tenants/acme/users/ana", platform(), { method: "PATCH", body: JSON.stringify({ admin: true }) });
    expect((await api("/tenants/acme/users", tokens.ana!)).status).toBe(200);
    // Signing out ends the admin's access through that session.
    const session = (await login(server.base, "acme", "ana")).body.token as string;
    expect((await api("/tenants/acme/users", session)).status).toBe(200);
    expect((await api("/session/logout", session, { method: "POST" })).status).toBe(204);
    expect((await api("/tenants/acme/users", session)).status).toBe(401);
  });
});

describe("issue 18.3 the administration API", () => {
  it("18.3: lists, searches (accents and case folded) and pages users, enabled or not", async () => {
    for (const [id, name, department] of [
      ["joao", "João Pereira", "Financeiro"],
      ["marina", "Marina Conceição", "Supervisão"],
      ["rafa", "Rafael Ângelo", "TI"],
    ])
      await putUser(server.base, platform(), "acme", id!, userBody(id!, { name, department }));
    await api("/tenants/acme/users/rafa", platform(), { method: "PATCH", body: JSON.stringify({ enabled: false }) });
    const found = await api("/tenants/acme/users?q=joao", acmeKey);
    expect(found.body.users.map((u: any) => u.id)).toEqual(["joao"]);
    expect((await api("/tenants/acme/users?q=SUPERVISAO", acmeKey)).body.users.map((u: any) => u.id)).toEqual(["marina"]);
    expect((await api("/tenants/acme/users?enabled=false", acmeKey)).body.users.map((u: any) => u.id)).toEqual(["rafa"]);
    const all = await api("/tenants/acme/users?limit=2", acmeKey);
    expect(all.body).toMatchObject({ offset: 0, limit: 2 });
    expect(all.body.users).toHaveLength(2);
    const second = await api(`/tenants/acme/users?limit=2&offset=2`, acmeKey);
    expect(second.body.users[0].id).not.toBe(all.body.users[1].id);
    expect(second.body.total).toBe(all.body.total);
    for (const text of [found.text, all.text]) expect(text).not.toMatch(/hash|sessionVersion|pbkdf2/i);
    await refusesQueries("/tenants/acme/users", {
      "limit=0": "limit",
      "limit=500": "limit",
      "offset=-1": "offset",
      "enabled=talvez": "enabled",
    });
  });

  it("18.3: PATCH edits some fields, validated like a PUT (a bad field is a 400 naming it and changes nothing); disabling ends sign-in", async () => {
    const edited = await api("/tenants/acme/users/joao", acmeKey, {
      method: "PATCH",
      body: JSON.stringify({ department: "Contas", extension: "2040", modules: ["conversas", "atendimento"] }),
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: "joao", name: "João Pereira", department: "Contas", extension: "2040" });
    for (const [patch, field] of [
      [{ email: "não-é-email" }, "email"],
      [{ extension: "1" }, "extension"],
      [{ modules: ["atendimento"] }, "modules"],
      [{ name: "" }, "name"],
      [{ login: "ana" }, "login"],
      [{ enabled: "sim" }, "enabled"],
    ] as const) {
      const res = await api("/tenants/acme/users/joao", acmeKey, { method: "PATCH", body: JSON.stringify(patch) });
      expect(res.status, field).toBe(400);
      expect(res.body, field).toMatchObject({ code: "invalid_body", field });
    }
    expect((await api("/tenants/acme/users/joao", acmeKey)).body).toMatchObject({ department: "Contas", login: "joao", enabled: true });
    expect((await api("/tenants/acme/users/ninguem", acmeKey, { method: "PATCH", body: "{}" })).status).toBe(404);
    expect((await login(server.base, "acme", "joao")).status).toBe(200);
    await api("/tenants/acme/users/joao", acmeKey, { method: "PATCH", body: JSON.stringify({ enabled: false }) });
    expect((await login(server.base, "acme", "joao")).status).toBe(401);
    await api("/tenants/acme/users/joao", acmeKey, { method: "PATCH", body: JSON.stringify({ enabled: true }) });
    expect((await login(server.base, "acme", "joao")).status).toBe(200);
  });

  it("18.3: a password reset works once set, ends the user's sessions, and refuses a short password", async () => {
    const session = (await login(server.base, "acme", "marina")).body.token as string;
    const short = await api("/tenants/acme/users/marina/password", acmeKey, {
      method: "POST",
      body: JSON.stringify({ password: "curta" }),
    });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ field: "password" });
    const reset = await api("/tenants/acme/users/marina/password", acmeKey, {
      method: "POST",
      body: JSON.stringify({ password: "nova-senha-123" }),
    });
    expect(reset.status).toBe(204);
    expect((await login(server.base, "acme", "marina")).status).toBe(401);
    expect((await login(server.base, "acme", "marina", "nova-senha-123")).status).toBe(200);
    expect((await api("/tenants/acme/me", session)).status).toBe(401);
    expect(
      (await api("/tenants/acme/users/ninguem/password", acmeKey, { method: "POST", body: JSON.stringify({ password: PASSWORD }) })).status,
    ).toBe(404);
  });

  it("18.3: ending a user's sessions signs them out everywhere", async () => {
    const session = (await login(server.base, "acme", "bruno")).body.token as string;
    expect((await api("/tenants/acme/users/bruno/logout", acmeKey, { method: "POST" })).status).toBe(204);
    expect((await api("/tenants/acme/me", session)).status).toBe(401);
  });
});

describe("issue 18.4 the audit trail", () => {
  it("18.4: admin actions, sign-ins (success and failure) and session ends are recorded with who, what, when and from where", async () => {
    const before = Date.now();
    await login(server.base, "acme", "bruno", "senha-errada-1");
    const ok = await login(server.base, "acme", "bruno");
    await api("/session/logout", ok.body.token, { method: "POST" });
    await api("/tenants/acme/users/bruno", acmeKey, { method: "PATCH", body: JSON.stringify({ department: "Auditoria" }) });
    const failures = await auditOf("acme", "action=login.failure", (e) => e.some((x) => x.actor === "bruno" && x.at >= before));
    expect(failures[0]).toMatchObject({
      action: "login.failure",
      actorKind: "anonymous",
      ok: false,
      target: "bruno",
      detail: { method: "password" },
    });
    expect(typeof failures[0].address).toBe("string");
    await auditOf("acme", "action=login.success&actor=bruno", (e) => e.some((x) => x.at >= before));
    await auditOf("acme", "action=session.end&actor=bruno", (e) => e.some((x) => x.at >= before));
    const edits = await auditOf("acme", "action=user.update&target=bruno", (e) => e.length > 0);
    expect(edits[0]).toMatchObject({ actorKind: "key", actor: acmeKey.split(".")[2] });
    // The writes to one user (password, sessions, PBX credentials) each name that user.
    const sip = "/tenants/acme/users/bruno/sip-credentials";
    expect((await api(sip, acmeKey, { method: "PUT", body: JSON.stringify({ username: "2001", password: "ramal-2001" }) })).status).toBe(
      204,
    );
    expect((await api(sip, acmeKey, { method: "DELETE" })).status).toBe(204);
    expect((await auditOf("acme", "action=user.password&target=marina", (e) => e.length > 0))[0]).toMatchObject({ ok: true });
    await auditOf("acme", "action=user.sessions_end&target=bruno", (e) => e.length > 0);
    const sipEvents = await auditOf("acme", "action=user.sip_credentials&target=bruno", (e) => e.length >= 2);
    expect(sipEvents.map((e) => e.detail?.removed ?? false).sort()).toEqual([false, true]);
    expect(JSON.stringify(sipEvents)).not.toContain("ramal-2001");
    const keys = await auditOf("acme", "prefix=key.", (e) => e.length >= 3);
    expect(new Set(keys.map((k) => k.action))).toEqual(new Set(["key.create", "key.rotate", "key.revoke"]));
    // Nothing secret in the trail.
    const all = await api("/tenants/acme/audit?limit=200", platform());
    expect(all.text).not.toContain(PASSWORD);
    expect(all.text).not.toContain("senha-errada-1");
    expect(all.text).not.toContain(acmeKey.split(".")[3]);
  });

  it("18.4: the trail is paged newest first, filtered, and never another company's", async () => {
    const first = await api("/tenants/acme/audit?limit=3", acmeKey);
    expect(first.body.events).toHaveLength(3);
    expect(first.body.next).toBe(first.body.events[2].id);
    const ids = first.body.events.map((e: any) => e.id);
    expect([...ids].sort((a: number, b: number) => b - a)).toEqual(ids);
    const second = await api(`/tenants/acme/audit?limit=3&before=${first.body.next}`, acmeKey);
    expect(second.body.events[0].id).toBeLessThan(first.body.next);
    const failed = await api("/tenants/acme/audit?ok=false", acmeKey);
    expect(failed.body.events.every((e: any) => e.ok === false)).toBe(true);
    // globex's trail: none of acme's events; acme's key and acme's admin cannot read it.
    const globex = await api("/tenants/globex/audit?limit=200", globexKey);
    expect(globex.status).toBe(200);
    expect(globex.body.events.some((e: any) => e.target === "bruno" || e.actor === "bruno")).toBe(false);
    expect((await api("/tenants/globex/audit", acmeKey)).status).toBe(403);
    expect((await api("/tenants/acme/audit", globexKey)).status).toBe(403);
    await refusesQueries("/tenants/acme/audit", {
      "action=nada": "action",
      "before=abc": "before",
      "prefix=login": "prefix",
      "limit=0": "limit",
    });
  });
});
