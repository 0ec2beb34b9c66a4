/**
 * Single sign-on through a real OpenID Provider (issue 18.1): panva's
 * oidc-provider on 127.0.0.1, its sign-in and consent pages walked with plain
 * HTTP. A full sign-in hands the session to the app through a one-time cookie
 * that the app trades with a POST (no credential in any address); a wrong
 * `state`, a state from another browser, a replayed code, an expired ID token,
 * a wrong audience, an unknown or disabled user are each refused, and open no
 * session.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOGIN_REFUSAL } from "../../party/domain/directory";
import { startProvider, signInAtProvider, CookieJar, type TestProvider } from "../support/oidc";
import { startTestServer, type TestServer } from "../support/server";
import { http, login, provision, putUser, userBody, type Http } from "../support/clients";

let server: TestServer;
let idp: TestProvider;
const json = { "content-type": "application/json" };
const api = (path: string, key: string | null, init: RequestInit = {}): Promise<Http> =>
  http(`${server.base}/api${path}`, {
    ...init,
    headers: { ...json, ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.headers as object) },
  });
const platform = () => server.adminKey!;

function ssoBody(over: Record<string, unknown> = {}) {
  return {
    enabled: true,
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    loginClaim: "preferred_username",
    passwordSignIn: true,
    ...over,
  };
}

/** Starts a sign-in like the app's button: the redirect to the provider and the browser's cookies. */
async function start(tenant = "acme"): Promise<{ authorize: string; jar: CookieJar }> {
  const jar = new CookieJar();
  const res = await fetch(`${server.base}/api/tenants/${tenant}/sso/start`, { redirect: "manual" });
  expect(res.status).toBe(302);
  jar.take(res);
  return { authorize: res.headers.get("location")!, jar };
}

/** The provider's redirect back, followed by the browser with its cookies. */
async function callback(url: string, jar: CookieJar): Promise<{ res: Response; body: any }> {
  const res = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
  jar.take(res);
  const text = await res.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* a redirect without a body */
  }
  return { res, body };
}

/** The app's POST that trades the hand-off cookie for a session (the browser drops the cookie it is told to). */
async function exchange(jar: CookieJar): Promise<Response> {
  const res = await fetch(`${server.base}/api/session/sso`, { method: "POST", headers: { cookie: jar.header() } });
  jar.take(res);
  return res;
}

async function expectRefused(url: string, jar: CookieJar, reason: string, message?: string) {
  const { res, body } = await callback(url, jar);
  expect(res.status).toBe(302);
  expect(res.headers.get("location")).toBe(`/?empresa=acme&sso_erro=${reason}`);
  expect(body).toMatchObject({ code: "unauthorized", reason, ...(message ? { error: message } : {}) });
  expect(jar.get("conversas_sso")).toBeUndefined();
  expect((await exchange(jar)).status).toBe(401);
}

beforeAll(async () => {
  server = await startTestServer({ vars: { CONVERSAS_SSO_ALLOW_HTTP: "1" } });
  idp = await startProvider(`${server.base}/api/tenants/acme/sso/callback`);
  await provision(server.base, platform(), "acme", ["ana", "bruno"]);
  await putUser(server.base, platform(), "acme", "off", userBody("off", { enabled: false }));
  const put = await api("/tenants/acme/sso", platform(), { method: "PUT", body: JSON.stringify(ssoBody()) });
  expect(put.status, put.text).toBe(200);
});

afterAll(async () => {
  if (process.env.SHOW_SERVER_LOG) console.log(server?.log());
  await server?.stop();
  await idp?.stop();
});

describe("issue 18.1 SSO set-up", () => {
  it("18.1: the configuration is validated, answered without the secret, and the sign-in page learns what to show", async () => {
    const config = await api("/tenants/acme/sso/config", platform());
    expect(config.body).toMatchObject({
      enabled: true,
      issuer: idp.issuer,
      hasSecret: true,
      loginClaim: "preferred_username",
      redirectUri: `${server.base}/api/tenants/acme/sso/callback`,
    });
    expect(config.text).not.toContain(idp.clientSecret);
    expect((await http(`${server.base}/api/tenants/acme/sso`)).body).toEqual({
      sso: true,
      passwords: true,
      start: "/api/tenants/acme/sso/start",
    });
    expect((await http(`${server.base}/api/tenants/globex/sso`)).body).toEqual({ sso: false, passwords: true, start: null });
    for (const [over, field] of [
      [{ issuer: "ftp://x.example" }, "issuer"],
      [{ issuer: "não é endereço" }, "issuer"],
      [{ issuer: `${idp.issuer}/?a=1` }, "issuer"],
      [{ issuer: "http://127.0.0.1:9/ninguem" }, "issuer"],
      [{ clientId: "" }, "clientId"],
      [{ loginClaim: "a b" }, "loginClaim"],
      [{ passwordSignIn: "sim" }, "passwordSignIn"],
    ] as const) {
      const res = await api("/tenants/acme/sso", platform(), { method: "PUT", body: JSON.stringify(ssoBody(over)) });
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(res.body).toMatchObject({ code: "invalid_body", field });
    }
    // A new client id needs its secret again.
    const noSecret = await api("/tenants/globex/sso", platform(), {
      method: "PUT",
      body: JSON.stringify({ ...ssoBody(), clientSecret: undefined }),
    });
    expect(noSecret.body).toMatchObject({ field: "clientSecret" });
    // Only acme's admins configure acme.
    await api("/tenants/globex", platform(), { method: "PUT", body: JSON.stringify({ name: "Globex" }) });
    const globexKey = (await api("/tenants/globex/keys", platform(), { method: "POST", body: "{}" })).body.key;
    expect(
      (await api("/tenants/acme/sso", globexKey, { method: "PUT", body: JSON.stringify(ssoBody({ issuer: "https://evil.example" })) }))
        .status,
    ).toBe(403);
    expect((await api("/tenants/acme/sso/config", globexKey)).status).toBe(403);
    expect((await api("/tenants/acme/sso/config", platform())).body.issuer).toBe(idp.issuer);
  });
});

describe("issue 18.1 sign-in through the provider", () => {
  it("18.1: a full sign-in opens a session through a one-time HttpOnly cookie; no credential in any address", async () => {
    const { authorize, jar } = await start();
    const auth = new URL(authorize);
    expect(auth.origin).toBe(idp.issuer);
    expect(auth.searchParams.get("code_challenge_method")).toBe("S256");
    expect(auth.searchParams.get("nonce")).toBeTruthy();
    expect(jar.get("conversas_sso_state")).toBe(auth.searchParams.get("state"));
    const back = await signInAtProvider(authorize, "ana");
    expect(back.startsWith(`${server.base}/api/tenants/acme/sso/callback?`)).toBe(true);
    const { res } = await callback(back, jar);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/?empresa=acme&sso=1");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("conversas_sso="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/api\/session\/sso/);
    expect(cookie).toMatch(/Max-Age=120/);
    const session = await exchange(jar);
    expect(session.status).toBe(200);
    const body = (await session.json()) as any;
    expect(body.user).toMatchObject({ id: "ana", login: "ana" });
    expect((await api("/tenants/acme/me", body.token)).body).toMatchObject({ ok: true, user: { id: "ana" } });
    expect(
      (await api("/session/refresh", null, { method: "POST", body: JSON.stringify({ refreshToken: body.refreshToken }) })).status,
    ).toBe(200);
    // The hand-off works once, also if the browser kept the cookie.
    expect((await fetch(`${server.base}/api/session/sso`, { method: "POST", headers: { cookie: cookie.split(";")[0]! } })).status).toBe(
      401,
    );
    const audit = await api("/tenants/acme/audit?action=login.success&actor=ana", platform());
    expect(audit.body.events.some((e: any) => e.detail?.method === "sso")).toBe(true);
  });

  it("18.1: a wrong state, or a callback in a browser that did not start the sign-in, is refused", async () => {
    const first = await start();
    const back = await signInAtProvider(first.authorize, "ana");
    const wrong = new URL(back);
    wrong.searchParams.set("state", "x".repeat(43));
    await expectRefused(wrong.toString(), first.jar, "state");
    // Another browser (login CSRF): the right state, but not its cookie.
    const second = await start();
    const back2 = await signInAtProvider(second.authorize, "ana");
    await expectRefused(back2, new CookieJar(), "state");
    // …and that state is spent now, also for the browser that started it.
    await expectRefused(back2, second.jar, "state");
  });

  it("18.1: a replayed code is refused, whether the whole callback is replayed or the code is sent with a fresh state", async () => {
    const { authorize, jar } = await start();
    const back = await signInAtProvider(authorize, "ana");
    const { res } = await callback(back, jar);
    expect(res.headers.get("location")).toBe("/?empresa=acme&sso=1");
    expect((await exchange(jar)).status).toBe(200);
    await expectRefused(back, jar, "state");
    const fresh = await start();
    const replay = new URL(back);
    replay.searchParams.set("state", new URL(fresh.authorize).searchParams.get("state")!);
    await expectRefused(replay.toString(), fresh.jar, "token");
  });

  it("18.1: an expired ID token and an ID token for another audience are refused, though properly signed", async () => {
    for (const tamper of ["expired", "audience"] as const) {
      idp.tamper = tamper;
      try {
        const { authorize, jar } = await start();
        await expectRefused(await signInAtProvider(authorize, "ana"), jar, "token");
      } finally {
        idp.tamper = "none";
      }
    }
    const failures = await api("/tenants/acme/audit?action=login.failure", platform());
    expect(failures.body.events.filter((e: any) => e.detail?.reason === "token").length).toBeGreaterThanOrEqual(3);
  });

  it("18.1: an unknown or disabled user gets the password sign-in's refusal", async () => {
    for (const who of ["ninguem", "off"]) {
      const { authorize, jar } = await start();
      await expectRefused(await signInAtProvider(authorize, who), jar, "user", LOGIN_REFUSAL);
    }
  });

  /** The company's SSO settings as they are (its secret kept), with password sign-in on or off. */
  const passwordSignIn = async (on: boolean) => {
    const put = await api("/tenants/acme/sso", platform(), {
      method: "PUT",
      body: JSON.stringify({ ...ssoBody({ passwordSignIn: on }), clientSecret: undefined }),
    });
    expect(put.status).toBe(200);
  };

  it("18.1: with password sign-in turned off, /api/login and password resets are refused; SSO still signs in", async () => {
    expect((await login(server.base, "acme", "bruno")).status).toBe(200);
    await passwordSignIn(false);
    expect((await http(`${server.base}/api/tenants/acme/sso`)).body).toEqual({
      sso: true,
      passwords: false,
      start: "/api/tenants/acme/sso/start",
    });
    const refused = await login(server.base, "acme", "bruno");
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "forbidden" });
    const reset = await api("/tenants/acme/users/bruno/password", platform(), {
      method: "POST",
      body: JSON.stringify({ password: "outra-senha-123" }),
    });
    expect(reset.status).toBe(403);
    const { authorize, jar } = await start();
    await callback(await signInAtProvider(authorize, "bruno"), jar);
    expect((await exchange(jar)).status).toBe(200);
    await passwordSignIn(true);
    expect((await login(server.base, "acme", "bruno")).status).toBe(200);
  });
});
