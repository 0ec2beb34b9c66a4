/**
 * Who is signed in (R1). The session (token + user) is kept in localStorage so a
 * reload stays signed in; it is checked against `GET /me` on load and whenever a
 * socket keeps failing, and every tab follows a sign-out made in another. The
 * company ("Empresa") is remembered apart from the session, for the next sign-in.
 */
import { computed, signal } from "@preact/signals";
import type { PublicUser } from "../../../protocol/http";
import { t } from "../i18n";
import { getMe, postLogin } from "./api";
import { onOtherTabWrite, readKey, writeKey } from "./persisted";

export type Session = { token: string; tenant: string; user: PublicUser };

const SESSION_KEY = "conversas.session";
const TENANT_KEY = "conversas.empresa";

function readSession(text: string | null | undefined): Session | null {
  if (!text) return null;
  try {
    const s = JSON.parse(text) as Partial<Session>;
    return typeof s.token === "string" && typeof s.tenant === "string" && typeof s.user?.id === "string" ? (s as Session) : null;
  } catch {
    return null;
  }
}

export const session = signal<Session | null>(readSession(readKey(SESSION_KEY)));
export const me = computed(() => session.value?.user ?? null);
export const signInError = signal<string | null>(null);
export const signingIn = signal(false);

/** Every tab follows a sign-in or sign-out made in another one (start.ts runs this for the page's life). */
export function followOtherTabs(): () => void {
  return onOtherTabWrite(
    (key) => key === SESSION_KEY || key === null,
    (value) => {
      const next = readSession(value);
      if (next?.token !== session.peek()?.token) session.value = next;
    },
  );
}

/** The token to use right now; sockets read it on every reconnection. */
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
    signInError.value = res.status === 0 ? t.networkError : res.error;
    return;
  }
  writeKey(TENANT_KEY, tenant);
  const next: Session = { token: res.value.token, tenant, user: res.value.user };
  writeKey(SESSION_KEY, JSON.stringify(next));
  session.value = next;
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
  writeKey(SESSION_KEY, JSON.stringify(next));
  history.replaceState(null, "", to);
  session.value = next;
}

/** Ends the session here and in every tab; stores close their sockets when it goes. */
export function signOut(reason: string | null = null): void {
  writeKey(SESSION_KEY, null);
  session.value = null;
  signInError.value = reason;
}

let lastCheck = 0;

/**
 * Asks the server whether the session still holds. A refused upgrade reaches the
 * browser only as a dropped socket, so sockets call this when they fail; it runs
 * at most every few seconds, and a network failure never signs anyone out.
 */
export async function verifySession(force = false): Promise<void> {
  const s = session.peek();
  if (!s || (!force && Date.now() - lastCheck < 5_000)) return;
  lastCheck = Date.now();
  const res = await getMe(s.tenant, s.token);
  if (session.peek()?.token !== s.token) return;
  if (res.ok && res.value.user) {
    const next = { ...s, user: res.value.user };
    writeKey(SESSION_KEY, JSON.stringify(next));
    session.value = next;
  } else if (!res.ok && (res.status === 401 || res.status === 403)) signOut(t.sessionEnded);
}
