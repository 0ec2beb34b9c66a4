/**
 * Single sign-on with the company's identity provider (issue 18.1): OpenID
 * Connect, authorization code with PKCE, through oauth4webapi (discovery, the
 * authorization response, the code exchange, and every ID token check: iss,
 * aud, azp, exp, iat, nonce, and the signature against the provider's JWKS) —
 * no JWT is read by hand here.
 *
 *  1. `GET /api/tenants/{t}/sso/start` stores a one-time `state` (hashed, 10
 *     minutes) with the PKCE verifier and the nonce in the company's room, binds
 *     it to the browser with an HttpOnly cookie, and redirects to the provider.
 *  2. `GET /api/tenants/{t}/sso/callback` takes the state out (a second use finds
 *     nothing), checks it against the cookie, trades the code, validates the ID
 *     token, reads the login from the configured claim (from UserInfo when the ID
 *     token lacks it) and finds the provisioned user; an unknown or disabled user
 *     gets the password sign-in's refusal. It answers with a redirect to the app
 *     carrying only `sso=1` (or `sso_erro=<motivo>`), and the sign-in itself in a
 *     one-time, two-minute, HttpOnly, SameSite=Lax cookie scoped to
 *     `/api/session/sso`.
 *  3. `POST /api/session/sso` (the app, same origin) trades that cookie once for
 *     a session, exactly as `/api/login` opens one.
 * No credential ever travels in an address.
 */
import * as oauth from "oauth4webapi";
import { SsoBody, type SignInOptions, type SsoView } from "../../protocol/admin";
import { userRoomId } from "../../protocol/ids";
import type { StoredSso } from "../../protocol/internal";
import { parseJson } from "../../protocol/validate";
import { constantTimeEqual } from "../domain/crypto";
import { LOGIN_REFUSAL } from "../domain/directory";
import { open, seal } from "../domain/secretbox";
import { digest } from "../domain/session";
import {
  callbackPath,
  cookie,
  HANDOFF_COOKIE,
  HANDOFF_PATH,
  issuerProblem,
  loginFromClaim,
  readCookie,
  returnPath,
  STATE_COOKIE,
  STATE_TTL_MS,
  withMarker,
} from "../domain/sso";
import type { RoomConfig } from "../runtime/config";
import { log } from "../runtime/log";
import { errorResponse, json, readBody, refusalResponse } from "../runtime/respond";
import { audit, companySettings, forgetSettings } from "./company";
import { T, type ApiRoute, type Ctx } from "./route";
import { openSession } from "./session";

const SECRET_PURPOSE = "sso-client-secret";
const SCOPE = "openid profile email";
const enc = new TextEncoder();

/** Provider metadata and keys, per isolate: discovery every 10 minutes at most. */
const DISCOVERY_MS = 10 * 60 * 1000;
const discovered = new Map<string, { at: number; as: oauth.AuthorizationServer; jwks: oauth.ExportedJWKSCache | Record<string, never> }>();

async function provider(issuer: string, config: RoomConfig, fresh = false) {
  const hit = discovered.get(issuer);
  if (hit && !fresh && Date.now() - hit.at < DISCOVERY_MS) return hit;
  const url = new URL(issuer);
  const res = await oauth.discoveryRequest(url, { algorithm: "oidc", [oauth.allowInsecureRequests]: config.ssoAllowHttp });
  const as = await oauth.processDiscoveryResponse(url, res);
  const entry = { at: Date.now(), as, jwks: hit?.as.issuer === as.issuer ? hit.jwks : {} };
  discovered.set(issuer, entry);
  return entry;
}

const redirectUri = (req: Request, config: RoomConfig, tenant: string) =>
  `${config.publicUrl ?? new URL(req.url).origin}${callbackPath(tenant)}`;
const secure = (req: Request, config: RoomConfig) => (config.publicUrl ?? req.url).startsWith("https:");

function view(sso: StoredSso, req: Request, config: RoomConfig, tenant: string): SsoView {
  const { secretSealed, ...rest } = sso;
  return { ...rest, hasSecret: !!secretSealed, redirectUri: redirectUri(req, config, tenant) };
}

/** `PUT /api/tenants/{t}/sso`: validated, the issuer's discovery tried, the secret sealed; answers without the secret. */
async function configure(ctx: Ctx): Promise<Response> {
  const tenant = ctx.params.tenant!;
  const text = await readBody(ctx.req, 16 * 1024);
  if (text === null) return errorResponse("too_large", "corpo grande demais");
  const parsed = parseJson(SsoBody, text);
  if (!parsed.ok) return errorResponse("invalid_body", parsed.message, parsed.field);
  const body = parsed.value;
  const issuer = body.issuer.replace(/\/+$/, "");
  const problem = issuerProblem(issuer, ctx.config.ssoAllowHttp);
  if (problem) return errorResponse("invalid_body", problem, "issuer");
  const current = await ctx.call("tenant.get", tenant, {});
  if (!current.ok) return refusalResponse(current);
  const kept = current.value.sso?.issuer === issuer && current.value.sso.clientId === body.clientId ? current.value.sso.secretSealed : null;
  const secretSealed = body.clientSecret ? await seal(ctx.config.sessionSecret, SECRET_PURPOSE, tenant, body.clientSecret) : kept;
  if (!secretSealed) return errorResponse("invalid_body", "clientSecret obrigatório", "clientSecret");
  if (body.enabled) {
    try {
      await provider(issuer, ctx.config, true);
    } catch (err) {
      log("warn", "sso_discovery_failed", { requestId: ctx.trace.requestId, tenant, error: String(err) });
      return errorResponse("invalid_body", "não foi possível ler a configuração do provedor (/.well-known/openid-configuration)", "issuer");
    }
  }
  const sso: StoredSso = {
    enabled: body.enabled,
    issuer,
    clientId: body.clientId,
    secretSealed,
    loginClaim: body.loginClaim,
    passwordSignIn: body.passwordSignIn,
    updatedAt: Date.now(),
  };
  const res = await ctx.call("tenant.ssoPut", tenant, { sso });
  if (!res.ok) return refusalResponse(res);
  forgetSettings(tenant);
  await audit(ctx, tenant, ctx.actor!, {
    action: "sso.put",
    target: tenant,
    detail: { enabled: sso.enabled, issuer, passwordSignIn: sso.passwordSignIn, secretChanged: !!body.clientSecret },
  });
  return json(view(sso, ctx.req, ctx.config, tenant));
}

/** A refused sign-in: back to the app with only a reason marker (the JSON body says the same to programs). */
async function refused(ctx: Ctx, tenant: string, reason: string, message: string, login = ""): Promise<Response> {
  await audit(
    ctx,
    tenant,
    { kind: "anonymous", id: login },
    { action: "login.failure", target: login, ok: false, detail: { method: "sso", reason } },
  );
  log("warn", "sso_refused", { requestId: ctx.trace.requestId, tenant, reason });
  const res = errorResponse("unauthorized", message);
  const headers = new Headers(res.headers);
  headers.set("location", withMarker(`/?empresa=${encodeURIComponent(tenant)}`, "sso_erro", reason));
  headers.append("set-cookie", cookie(STATE_COOKIE, "", { path: callbackPath(tenant), maxAge: 0, secure: secure(ctx.req, ctx.config) }));
  const body = JSON.stringify({ ...((await res.json()) as object), reason });
  return new Response(body, { status: 302, headers });
}

async function start(ctx: Ctx): Promise<Response> {
  const tenant = ctx.params.tenant!;
  const company = await companySettings(ctx.call, tenant);
  const sso = company?.sso;
  if (!sso?.enabled) return errorResponse("not_found", "entrada pela conta da empresa não configurada");
  let p;
  try {
    p = await provider(sso.issuer, ctx.config);
  } catch (err) {
    log("error", "sso_discovery_failed", { requestId: ctx.trace.requestId, tenant, error: String(err) });
    return errorResponse("unavailable", "o provedor de identidade da empresa não respondeu; tente de novo");
  }
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const verifier = oauth.generateRandomCodeVerifier();
  const to = returnPath(tenant, new URL(ctx.req.url).searchParams.get("to"));
  const saved = await ctx.call("tenant.ssoStateSave", tenant, { hash: await digest(state), verifier, nonce, to, ttlMs: STATE_TTL_MS });
  if (!saved.ok) return refusalResponse(saved);
  const url = new URL(p.as.authorization_endpoint!);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: sso.clientId,
    redirect_uri: redirectUri(ctx.req, ctx.config, tenant),
    scope: SCOPE,
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  }).toString();
  const headers = new Headers({ location: url.toString(), "cache-control": "no-store" });
  headers.append(
    "set-cookie",
    cookie(STATE_COOKIE, state, { path: callbackPath(tenant), maxAge: STATE_TTL_MS / 1000, secure: secure(ctx.req, ctx.config) }),
  );
  return new Response(null, { status: 302, headers });
}

async function callback(ctx: Ctx): Promise<Response> {
  const tenant = ctx.params.tenant!;
  const url = new URL(ctx.req.url);
  const given = url.searchParams.get("state") ?? "";
  const bound = readCookie(ctx.req.headers.get("cookie"), STATE_COOKIE) ?? "";
  // Taken out whatever happens next: a state works once.
  const taken = given ? await ctx.call("tenant.ssoStateTake", tenant, { hash: await digest(given) }) : null;
  if (!given || !bound || !constantTimeEqual(enc.encode(given), enc.encode(bound)) || !taken?.ok || !taken.value.state)
    return refused(ctx, tenant, "state", "entrada expirada ou inválida; comece de novo");
  const { verifier, nonce, to } = taken.value.state;
  const sso = (await companySettings(ctx.call, tenant))?.sso;
  if (!sso?.enabled || !sso.secretSealed) return refused(ctx, tenant, "config", "entrada pela conta da empresa não configurada");
  const secret = await open(ctx.config.sessionSecret, SECRET_PURPOSE, tenant, sso.secretSealed);
  if (!secret) return refused(ctx, tenant, "config", "a configuração de entrada da empresa precisa ser salva de novo");
  const client: oauth.Client = { client_id: sso.clientId };
  const options = { [oauth.allowInsecureRequests]: ctx.config.ssoAllowHttp };
  let login: string | null;
  try {
    const p = await provider(sso.issuer, ctx.config);
    const params = oauth.validateAuthResponse(p.as, client, url, given);
    const response = await oauth.authorizationCodeGrantRequest(
      p.as,
      client,
      oauth.ClientSecretBasic(secret),
      params,
      redirectUri(ctx.req, ctx.config, tenant),
      verifier,
      options,
    );
    const result = await oauth.processAuthorizationCodeResponse(p.as, client, response, { expectedNonce: nonce, requireIdToken: true });
    // Over http (tests) no TLS vouches for the token endpoint: the signature is checked always.
    await oauth.validateApplicationLevelSignature(p.as, response, { ...options, [oauth.jwksCache]: p.jwks });
    const claims = oauth.getValidatedIdTokenClaims(result)!;
    login = loginFromClaim(claims[sso.loginClaim]);
    if (login === null && p.as.userinfo_endpoint) {
      const info = await oauth.processUserInfoResponse(
        p.as,
        client,
        claims.sub,
        await oauth.userInfoRequest(p.as, client, result.access_token, options),
      );
      login = loginFromClaim(info[sso.loginClaim]);
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? "error";
    log("warn", "sso_token_refused", { requestId: ctx.trace.requestId, tenant, code, error: String((err as Error).message ?? err) });
    return refused(ctx, tenant, "token", "o provedor de identidade não confirmou a entrada; comece de novo");
  }
  if (login === null) return refused(ctx, tenant, "claim", `o provedor não informou ${sso.loginClaim}`);
  const found = await ctx.call("directory.access", tenant, { login });
  const access = found.ok ? found.value.access : null;
  if (!access?.mayUse) return refused(ctx, tenant, "user", LOGIN_REFUSAL, login);
  const handoff = await ctx.call("user.handoffIssue", userRoomId(tenant, access.user.id), {});
  if (!handoff.ok) return refusalResponse(handoff);
  const https = secure(ctx.req, ctx.config);
  const headers = new Headers({ location: withMarker(to, "sso", "1"), "cache-control": "no-store" });
  headers.append("set-cookie", cookie(STATE_COOKIE, "", { path: callbackPath(tenant), maxAge: 0, secure: https }));
  headers.append(
    "set-cookie",
    cookie(HANDOFF_COOKIE, `${tenant}.${access.user.id}.${handoff.value.secret}`, { path: HANDOFF_PATH, maxAge: 120, secure: https }),
  );
  ctx.trace.userId = access.user.id;
  return new Response(null, { status: 302, headers });
}

/** `POST /api/session/sso`: the hand-off cookie, once, for a session like `/api/login`'s. */
async function exchange(ctx: Ctx): Promise<Response> {
  const raw = readCookie(ctx.req.headers.get("cookie"), HANDOFF_COOKIE) ?? "";
  const m = /^([a-z0-9][a-z0-9-]{0,39})\.([a-z0-9][a-z0-9_-]{0,39})\.([A-Za-z0-9_-]{20,64})$/.exec(raw);
  const clear = cookie(HANDOFF_COOKIE, "", { path: HANDOFF_PATH, maxAge: 0, secure: secure(ctx.req, ctx.config) });
  const refuse = () => {
    const res = errorResponse("unauthorized", "entrada pela conta da empresa expirada ou já usada; entre de novo");
    res.headers.append("set-cookie", clear);
    return res;
  };
  if (!m) return refuse();
  const [, tenant, userId, secret] = m as unknown as [string, string, string, string];
  const redeemed = await ctx.call("user.handoffRedeem", userRoomId(tenant, userId), { secret });
  if (!redeemed.ok) return refuse();
  const found = await ctx.call("directory.access", tenant, { userId });
  const access = found.ok ? found.value.access : null;
  if (!access?.mayUse) return refuse();
  ctx.trace.tenant = tenant;
  ctx.trace.userId = userId;
  await audit(ctx, tenant, { kind: "user", id: userId }, { action: "login.success", target: userId, detail: { method: "sso" } });
  const res = await openSession(ctx.req, ctx.config, ctx.call, tenant, access);
  const out = new Response(res.body, res);
  out.headers.append("set-cookie", clear);
  return out;
}

export const SSO_ROUTES: ApiRoute[] = [
  {
    method: "GET",
    path: new RegExp(`^/api/tenants/${T}/sso$`),
    access: "public",
    // What the sign-in page shows: "Entrar com a conta da empresa" and/or "Login" + "Senha".
    handle: async (ctx) => {
      const tenant = ctx.params.tenant!;
      const sso = (await companySettings(ctx.call, tenant))?.sso ?? null;
      const on = !!sso?.enabled;
      const options: SignInOptions = {
        sso: on,
        passwords: !on || sso!.passwordSignIn,
        start: on ? `/api/tenants/${tenant}/sso/start` : null,
      };
      return json(options);
    },
  },
  {
    method: "GET",
    path: new RegExp(`^/api/tenants/${T}/sso/config$`),
    access: "company",
    handle: async (ctx) => {
      const res = await ctx.call("tenant.get", ctx.params.tenant!, {});
      if (!res.ok) return refusalResponse(res);
      return res.value.sso
        ? json(view(res.value.sso, ctx.req, ctx.config, ctx.params.tenant!))
        : errorResponse("not_found", "SSO não configurado");
    },
  },
  { method: "PUT", path: new RegExp(`^/api/tenants/${T}/sso$`), access: "company", handle: configure },
  { method: "GET", path: new RegExp(`^/api/tenants/${T}/sso/start$`), access: "public", handle: start },
  { method: "GET", path: new RegExp(`^/api/tenants/${T}/sso/callback$`), access: "public", handle: callback },
  { method: "POST", path: /^\/api\/session\/sso$/, access: "public", handle: exchange },
];
