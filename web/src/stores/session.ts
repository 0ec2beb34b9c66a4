/**
 * Who is signed in (R1, issue 12.3). The session — a short-lived access token,
 * its expiry, the refresh token and the user — is kept in localStorage so a
 * reload stays signed in and every tab of this browser shares one session: a
 * renewal, a sign-in or a sign-out made in one tab is followed by the others.
 * The access token is renewed silently before it expires (and once more when a
 * socket or a request is refused with it); when the server says the session is
 * over, the app signs out locally with a message. "Sair" ends the session on the
 * server first; "Sair de todos os dispositivos" ends every session of the user.
 * The company ("Empresa") is remembered apart from the session, for the next sign-in.
 */
import { computed, signal } from "@preact/signals";
import type { PublicUser } from "../../../protocol/http";
import { t } from "../i18n";
import { bearer, getMe, postLogin, postLogout, postLogoutAll, postRefresh, type ApiResult } from "./api";
import { Listeners, type Lifetime, type Stop } from "./lifetime";
import { onOtherTabWrite, readKey, writeKey } from "./persisted";

export type Session = {
  /** The access token: `Authorization: Bearer` and the sockets' subprotocol, never an address. */
  token: string;
  /** When the access token stops working (epoch ms, the server's clock). */
  expiresAt: number;
  /** Trades for a new access token (`POST /api/session/refresh`) while the session lives. */
  refreshToken: string;
  tenant: string;
  user: PublicUser;
};

const SESSION_KEY = "conversas.session";
const TENANT_KEY = "conversas.empresa";
/** Renew when this share of the token's remaining life has passed (with a little jitter per tab). */
const RENEW_AT = 0.75;
/**
 * A token this close to its end is renewed before use: 15 s, or a third of the
 * token's lifetime when that is shorter (a test server's few-second tokens). A
 * normal token (30 min, 1 h) gets the 15 s unless this device's clock is ahead of
 * the server's by nearly the token's whole life: the lifetime is measured here,
 * against the server's `expiresAt`.
 */
const NEARLY_EXPIRED_MS = 15_000;
/** How long the access token in hand had to live when it reached this tab (unknown after a reload: 15 s then applies). */
let lifetime = { token: "", ms: Infinity };

function noteLifetime(s: Session | null): void {
  if (s && s.token !== lifetime.token) lifetime = { token: s.token, ms: s.expiresAt - Date.now() };
}

function nearlyExpired(s: Session): boolean {
  const ms = lifetime.token === s.token ? lifetime.ms : Infinity;
  return s.expiresAt - Date.now() < Math.min(NEARLY_EXPIRED_MS, ms / 3);
}

function readSession(text: string | null | undefined): Session | null {
  if (!text) return null;
  try {
    const s = JSON.parse(text) as Partial<Session>;
    // A session stored before refresh tokens existed cannot be renewed: sign in again.
    const ok =
      typeof s.token === "string" &&
      typeof s.refreshToken === "string" &&
      typeof s.expiresAt === "number" &&
      typeof s.tenant === "string" &&
      typeof s.user?.id === "string";
    return ok ? (s as Session) : null;
  } catch {
    return null;
  }
}

export const session = signal<Session | null>(readSession(readKey(SESSION_KEY)));
export const me = computed(() => session.value?.user ?? null);
export const signInError = signal<string | null>(null);
export const signingIn = signal(false);

function store(next: Session | null): void {
  noteLifetime(next);
  writeKey(SESSION_KEY, next ? JSON.stringify(next) : null);
  session.value = next;
}

/** Every tab follows a sign-in, renewal or sign-out made in another one (start.ts runs this for the page's life). */
export function followOtherTabs(): () => void {
  return onOtherTabWrite(
    (key) => key === SESSION_KEY || key === null,
    (value) => {
      const next = readSession(value);
      if (next?.token === session.peek()?.token) return;
      noteLifetime(next);
      session.value = next;
    },
  );
}

/** The access token to use right now; sockets read it on every (re)connection. */
export function currentToken(): string | null {
  return session.peek()?.token ?? null;
}

/** "Empresa" for the form: `?empresa=` in the address wins over the remembered one. */
export function initialTenant(): string {
  const fromUrl = new URLSearchParams(location.search).get("empresa");
  return (fromUrl ?? readKey(TENANT_KEY) ?? "").trim().toLowerCase();
}

export async function signIn(tenantInput: string, login: string, password: string): Promise<void> {
  const tenant = tenantInput.trim().toLowerCase();
  signInError.value = null;
  signingIn.value = true;
  const res = await postLogin(tenant, login.trim(), password);
  signingIn.value = false;
  if (!res.ok) {
    // A 429 says "Muitas tentativas. Tente de novo em N minutos." itself (issue 12.4).
    signInError.value = res.status === 0 ? t.networkError : res.error;
    return;
  }
  writeKey(TENANT_KEY, tenant);
  const { token, expiresAt, refreshToken, user } = res.value;
  store({ token, expiresAt, refreshToken, tenant, user });
}

/** The company of a sign-in link (R31), so the form is filled in if the link fails. */
export function rememberTenant(tenant: string): void {
  writeKey(TENANT_KEY, tenant);
}

/**
 * A session from a sign-in link (R31). The address changes to the link's target
 * BEFORE the session appears, so the router, which reads `location.pathname`
 * when a session becomes available, opens that chat.
 */
export function signInWithLink(next: Session, to: string): void {
  signInError.value = null;
  writeKey(TENANT_KEY, next.tenant);
  history.replaceState(null, "", to);
  store(next);
}

/** Ends the session in this browser (every tab); stores close their sockets when it goes. The server is not asked. */
export function signOut(reason: string | null = null): void {
  store(null);
  signInError.value = reason;
}

const leaving = new Listeners<(s: Session) => void>();
/** Called as the user signs out here, while the session still works (read marks go out); returns the way to stop. */
export function onLeaving(callback: (s: Session) => void): Stop {
  return leaving.add(callback);
}

/**
 * "Sair": the server ends this session (its sockets close, its tokens are
 * refused), then this browser forgets it. The request outlives the page
 * (keepalive), so signing out never waits on the network.
 */
export function logOut(): void {
  const s = session.peek();
  if (s) {
    leaving.emit(s);
    void postLogout(s.token, s.refreshToken);
  }
  signOut();
}

/** "Sair de todos os dispositivos": every session of the user ends; null when done, else why not (the session stays). */
export async function logOutEverywhere(): Promise<string | null> {
  const s = await freshSession();
  if (!s) return null;
  leaving.emit(s);
  const res = await postLogoutAll(s.token);
  if (res.ok || res.status === 401) {
    signOut();
    return null;
  }
  return res.status === 0 ? t.networkError : res.error;
}

let renewing: Promise<Session | null> | null = null;

/**
 * A new access token for the session (single flight per tab). Another tab may
 * have renewed already: its token, in storage, is taken instead. The server's
 * "no" ends the session here with a message; a network failure keeps it (the
 * next try may work) and resolves with the session as it was.
 */
export function renewSession(): Promise<Session | null> {
  renewing ??= (async () => {
    const s = session.peek();
    if (!s) return null;
    const stored = readSession(readKey(SESSION_KEY));
    if (stored && stored.refreshToken === s.refreshToken && stored.token !== s.token && stored.expiresAt > s.expiresAt) {
      noteLifetime(stored);
      session.value = stored;
      return stored;
    }
    const res = await postRefresh(s.refreshToken);
    // Signed out or someone else meanwhile: the answer is not for the session now here.
    if (session.peek()?.refreshToken !== s.refreshToken) return session.peek();
    if (res.ok) {
      const next = { ...s, token: res.value.token, expiresAt: res.value.expiresAt, user: res.value.user };
      store(next);
      return next;
    }
    if (res.status === 401 || res.status === 403) {
      signOut(t.sessionEnded);
      return null;
    }
    return s;
  })().finally(() => (renewing = null));
  return renewing;
}

/** The session with an access token good for a while yet (renewed first when it is about to expire). */
export async function freshSession(): Promise<Session | null> {
  const s = session.peek();
  if (!s) return null;
  return nearlyExpired(s) ? renewSession() : s;
}

/**
 * Renews the access token before it expires, for as long as the session runs
 * here; a renewal another tab made moves the next one along.
 */
export function startRenewal(life: Lifetime): void {
  life.effect(() => {
    const s = session.value;
    if (!s) return;
    const left = s.expiresAt - Date.now();
    const wait = Math.max(1_000, left * (RENEW_AT - Math.random() * 0.1));
    const timer = setTimeout(() => void renewSession(), wait);
    return () => clearTimeout(timer);
  });
  // A computer waking from sleep: timers were frozen, the token may have run out meanwhile.
  life.on(document, "visibilitychange", () => {
    const s = session.peek();
    if (document.visibilityState === "visible" && s && nearlyExpired(s)) void renewSession();
  });
}

let lastCheck = 0;

/**
 * Asks the server whether the session still holds. A refused upgrade reaches the
 * browser only as a dropped socket, so sockets call this when they fail; it runs
 * at most every few seconds, and a network failure never signs anyone out. An
 * expired or refused access token is renewed once; only a refused renewal ends
 * the session.
 */
export async function verifySession(force = false): Promise<void> {
  if (!session.peek() || (!force && Date.now() - lastCheck < 5_000)) return;
  lastCheck = Date.now();
  const s = await freshSession();
  if (!s) return;
  const res = await getMe(s.tenant, s.token);
  if (session.peek()?.token !== s.token) return;
  if (res.ok && res.value.user) store({ ...s, user: res.value.user });
  else if (!res.ok && res.status === 401) await renewSession();
  else if (!res.ok && res.status === 403) signOut(t.sessionEnded);
}

/**
 * Runs a request with the session's access token (renewed first when about to
 * expire); refused with 401, the token is renewed once and the request tried
 * again. Null when nobody is signed in (or the session ended on the way).
 */
export async function withSession<R>(request: (s: Session) => Promise<R>, refused: (r: R) => boolean): Promise<R | null> {
  const s = await freshSession();
  if (!s) return null;
  const first = await request(s);
  if (!refused(first)) return first;
  const renewed = await renewSession();
  return renewed && renewed.token !== s.token ? request(renewed) : renewed ? first : null;
}

/** `withSession` for the API's results. */
export const apiWithSession = <T>(request: (s: Session) => Promise<ApiResult<T>>) => withSession(request, (r) => !r.ok && r.status === 401);

/** `withSession` for a plain fetch; a network failure still throws. */
export const fetchWithSession = (path: string, init: RequestInit = {}) =>
  withSession(
    (s) => fetch(path, { ...init, headers: { ...init.headers, ...bearer(s.token) } }),
    (r) => r.status === 401,
  );
