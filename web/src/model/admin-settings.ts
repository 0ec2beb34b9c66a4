/**
 * The company's settings as the "Administração" screen edits them, pure:
 * retention (issue 18.6, `PUT …/settings`) and single sign-on (issue 18.1,
 * `PUT …/sso`), each checked with the server's schema (protocol/admin.ts) and
 * each failure named by its field.
 */
import * as v from "valibot";
import { SettingsBody, SsoBody, type SsoView } from "../../../protocol/admin";

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
  if (!v.safeParse(SettingsBody, { retentionDays: days }).success) return { ok: false };
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

const sameIssuer = (a: string, b: string) => a.trim().replace(/\/+$/, "") === b.trim().replace(/\/+$/, "");

/** The `PUT …/sso` body, or the fields that are wrong. The server keeps its secret only for the same issuer and client id. */
export function checkSso(
  form: SsoForm,
  stored: SsoView | null,
): { ok: true; body: v.InferOutput<typeof SsoBody> } | { ok: false; errors: SsoField[] } {
  const issuer = form.issuer.trim().replace(/\/+$/, "");
  const body = {
    enabled: form.enabled,
    issuer,
    clientId: form.clientId.trim(),
    ...(form.clientSecret !== "" ? { clientSecret: form.clientSecret } : {}),
    loginClaim: form.loginClaim.trim() || DEFAULT_LOGIN_CLAIM,
    passwordSignIn: form.passwordSignIn,
  };
  const wrong = new Set<string>();
  const result = v.safeParse(SsoBody, body, { abortPipeEarly: true });
  if (!result.success) for (const issue of result.issues) wrong.add(v.getDotPath(issue) ?? "issuer");
  if (issuerProblem(issuer)) wrong.add("issuer");
  const keepsSecret = !!stored?.hasSecret && sameIssuer(stored.issuer, issuer) && stored.clientId === body.clientId;
  if (form.clientSecret === "" && !keepsSecret) wrong.add("clientSecret");
  const errors = SSO_FIELDS.filter((f) => wrong.has(f));
  if (errors.length || !result.success) return { ok: false, errors: errors.length ? errors : ["issuer"] };
  return { ok: true, body: result.output };
}

/** The server's own issuer rule, less the http switch only the deployment knows (its answer names the field too). */
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
