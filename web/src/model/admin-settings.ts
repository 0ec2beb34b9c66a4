/**
 * The company's settings as the "Administração" screen edits them, pure:
 * retention (issue 18.6, `PUT …/settings`) and single sign-on (issue 18.1,
 * `PUT …/sso`), each checked by the rules of the server's schemas
 * (protocol/admin.ts `SettingsBody`, `SsoBody`; written out, not run through
 * valibot, for the reason model/admin-users.ts gives, and held to them by the
 * unit tests) and each failure named by its field.
 */
import type { SsoBody, SsoView } from "../../../protocol/admin";

/**
 * protocol/admin.ts `MAX_RETENTION_DAYS` (100 years). Not imported: that module's
 * schemas would come along at run time (the unit tests hold the two equal).
 */
export const MAX_RETENTION_DAYS = 36_500;

// ---- retention ---------------------------------------------------------------------------

export type RetentionForm = { keepForever: boolean; days: string };

export const retentionForm = (days: number | null): RetentionForm => ({
  keepForever: days === null,
  days: days === null ? "" : String(days),
});

export type RetentionCheck = { ok: true; retentionDays: number | null } | { ok: false };

export function checkRetention(form: RetentionForm): RetentionCheck {
  if (form.keepForever) return { ok: true, retentionDays: null };
  const text = form.days.trim();
  const days = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) return { ok: false };
  return { ok: true, retentionDays: days };
}

/** Whether saving deletes messages that the current setting keeps (then the screen asks first). */
export function retentionShortens(current: number | null, next: number | null): boolean {
  return next !== null && (current === null || next < current);
}

// ---- single sign-on -----------------------------------------------------------------------

export type SsoForm = {
  enabled: boolean;
  issuer: string;
  clientId: string;
  /** Write-only: empty keeps the stored secret (when the issuer and client id stay the same). */
  clientSecret: string;
  loginClaim: string;
  passwordSignIn: boolean;
};

export type SsoField = keyof SsoForm;

const SSO_FIELDS: readonly SsoField[] = ["enabled", "issuer", "clientId", "clientSecret", "loginClaim", "passwordSignIn"];

export const DEFAULT_LOGIN_CLAIM = "preferred_username";

export function ssoForm(view: SsoView | null): SsoForm {
  return {
    enabled: view?.enabled ?? false,
    issuer: view?.issuer ?? "",
    clientId: view?.clientId ?? "",
    clientSecret: "",
    loginClaim: view?.loginClaim ?? DEFAULT_LOGIN_CLAIM,
    passwordSignIn: view?.passwordSignIn ?? true,
  };
}

/** protocol/admin.ts's claim name pattern. */
const CLAIM_RE = /^[A-Za-z0-9_.:-]{1,64}$/;

const sameIssuer = (a: string, b: string) => a.trim().replace(/\/+$/, "") === b.trim().replace(/\/+$/, "");

/** The `PUT …/sso` body, or the fields that are wrong. The server keeps its secret only for the same issuer and client id. */
export function checkSso(form: SsoForm, stored: SsoView | null): { ok: true; body: SsoBody } | { ok: false; errors: SsoField[] } {
  const issuer = form.issuer.trim().replace(/\/+$/, "");
  const body = {
    enabled: form.enabled,
    issuer,
    clientId: form.clientId.trim(),
    ...(form.clientSecret !== "" ? { clientSecret: form.clientSecret } : {}),
    loginClaim: form.loginClaim.trim() || DEFAULT_LOGIN_CLAIM,
    passwordSignIn: form.passwordSignIn,
  };
  const wrong = new Set<SsoField>();
  if (form.issuer.trim().length > 500 || issuerProblem(issuer)) wrong.add("issuer");
  if (body.clientId.length < 1 || body.clientId.length > 300) wrong.add("clientId");
  if (form.clientSecret.length > 1000) wrong.add("clientSecret");
  if (!CLAIM_RE.test(body.loginClaim)) wrong.add("loginClaim");
  const keepsSecret = !!stored?.hasSecret && sameIssuer(stored.issuer, issuer) && stored.clientId === body.clientId;
  if (form.clientSecret === "" && !keepsSecret) wrong.add("clientSecret");
  const errors = SSO_FIELDS.filter((f) => wrong.has(f));
  return errors.length ? { ok: false, errors } : { ok: true, body };
}

/** valibot's `url()` and the server's own issuer rule, less the http switch only the deployment knows (its answer names the field too). */
function issuerProblem(issuer: string): boolean {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return true;
  }
  return !!(url.search || url.hash || url.username || url.password) || (url.protocol !== "https:" && url.protocol !== "http:");
}

/** Where the identity provider sends people back, before the server has said (it answers it once saved). */
export const callbackUrl = (origin: string, tenant: string) => `${origin}/api/tenants/${encodeURIComponent(tenant)}/sso/callback`;
