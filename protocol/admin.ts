/**
 * The operator's side of the HTTP API (issue 18, README "Administração e
 * operação"): companies, their keys and settings, single sign-on, the
 * administration of users, the audit trail, exports, erasure and backups. Bodies
 * as schemas, replies as types; the "Administração" screen imports these.
 */
import * as v from "valibot";
import { CallClass, type AdminUser } from "./http";
import { AUDIT_ACTIONS } from "./audit-actions";

const Text = (max: number, what: string) =>
  v.pipe(v.string(`${what} deve ser texto`), v.trim(), v.maxLength(max, `${what}: até ${max} caracteres`));

/** `PUT /api/tenants/{t}` (platform key): creates or renames a company. */
export const CompanyBody = v.object({
  name: v.pipe(Text(120, "nome"), v.minLength(1, "nome obrigatório")),
});
export type CompanyBody = v.InferOutput<typeof CompanyBody>;

export type Company = { tenant: string; name: string; createdAt: number; updatedAt: number };

/** Longest retention a company may set (100 years); null keeps messages forever. */
export const MAX_RETENTION_DAYS = 36_500;

/** `PUT /api/tenants/{t}/settings` (company admin). */
export const SettingsBody = v.object({
  retentionDays: v.nullable(
    v.pipe(
      v.number("retentionDays deve ser um número de dias ou null"),
      v.integer("retentionDays deve ser inteiro"),
      v.minValue(1, "retentionDays deve ser pelo menos 1"),
      v.maxValue(MAX_RETENTION_DAYS, `retentionDays até ${MAX_RETENTION_DAYS}`),
    ),
  ),
});
export type SettingsBody = v.InferOutput<typeof SettingsBody>;
export type Settings = SettingsBody;
export const DEFAULT_SETTINGS: Settings = { retentionDays: null };

/** `POST /api/tenants/{t}/keys` (platform key) and rotation. */
export const KeyCreateBody = v.object({ label: v.optional(Text(80, "label"), "") });
export const KeyRotateBody = v.object({
  /** How long the old key keeps working, in seconds (default a day; 0 ends it now). */
  graceSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(30 * 24 * 3600, "graceSeconds até 30 dias"))),
});
export type KeyInfo = { id: string; label: string; createdAt: number; expiresAt: number | null };

/** The claim names an identity provider may map to a login (a JSON member name, nothing exotic). */
const ClaimName = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.:-]{1,64}$/, "claim deve ter de 1 a 64 caracteres [A-Za-z0-9_.:-]"));

/** `PUT /api/tenants/{t}/sso` (company admin). The secret is write-only: omitted, the stored one stays. */
export const SsoBody = v.object({
  enabled: v.boolean("enabled deve ser true ou false"),
  issuer: v.pipe(v.string("issuer obrigatório"), v.trim(), v.maxLength(500), v.url("issuer deve ser um endereço completo")),
  clientId: v.pipe(Text(300, "clientId"), v.minLength(1, "clientId obrigatório")),
  clientSecret: v.optional(v.pipe(v.string(), v.minLength(1, "clientSecret vazio"), v.maxLength(1000))),
  /** The ID token (or UserInfo) claim whose value is the user's login. */
  loginClaim: v.optional(ClaimName, "preferred_username"),
  /** Whether "Login" + "Senha" still work for this company. */
  passwordSignIn: v.boolean("passwordSignIn deve ser true ou false"),
});
export type SsoBody = v.InferOutput<typeof SsoBody>;

/** What `GET /api/tenants/{t}/sso/config` shows an admin: never the secret. */
export type SsoView = Omit<SsoBody, "clientSecret"> & { hasSecret: boolean; redirectUri: string; updatedAt: number };

/** `GET /api/tenants/{t}/sso` (public): what the sign-in page needs to show. */
export type SignInOptions = { sso: boolean; passwords: boolean; start: string | null };

/** `PATCH /api/tenants/{t}/users/{u}`: any of the editable fields; the merged user is validated like a PUT. */
export const UserPatchBody = v.object({
  login: v.optional(v.string()),
  name: v.optional(v.string()),
  email: v.optional(v.string()),
  department: v.optional(v.string()),
  avatarUrl: v.optional(v.nullable(v.string())),
  extension: v.optional(v.nullable(v.string())),
  /** Issue 16.1: how far the user may dial through the PBX. */
  callClass: v.optional(CallClass),
  modules: v.optional(v.array(v.string())),
  enabled: v.optional(v.boolean("enabled deve ser true ou false")),
  admin: v.optional(v.boolean("admin deve ser true ou false")),
});

/** `POST /api/tenants/{t}/users/{u}/password`. */
export const PasswordBody = v.object({
  password: v.pipe(v.string("senha obrigatória"), v.minLength(8, "senha com pelo menos 8 caracteres"), v.maxLength(200)),
});

/** `POST /api/tenants/{t}/users/{u}/erase`: irreversible, so the body repeats the user's id. */
export const EraseBody = v.object({ confirm: v.string("confirm obrigatório: repita o id do usuário") });

/** `GET /api/tenants/{t}/users?q=&offset=&limit=&enabled=`. */
export type UserPage = { users: AdminUser[]; total: number; offset: number; limit: number };

// ---- audit trail ----------------------------------------------------------------------

/** Who did it: the platform key, a company key (its id), a signed-in user, someone signing in, or the system. */
export const ActorKind = v.picklist(["platform", "key", "user", "anonymous", "system"]);
export type ActorKind = v.InferOutput<typeof ActorKind>;

/** Every action the trail records (protocol/audit-actions.ts). */
export const AuditAction = v.picklist(AUDIT_ACTIONS);
export type AuditAction = v.InferOutput<typeof AuditAction>;

const Short = (max: number) => v.pipe(v.string(), v.maxLength(max));

export const AuditInput = v.object({
  action: AuditAction,
  actorKind: ActorKind,
  /** A user id, a key id, or the login someone tried; "" when nobody in particular. */
  actor: Short(200),
  /** What it was done to: a user id, a chat id, a key id. */
  target: Short(300),
  /** The client's address as the edge saw it. */
  address: Short(100),
  ok: v.boolean(),
  /** Small facts (method, reason, counts): never message text, passwords or tokens. */
  detail: v.optional(v.record(v.string(), v.union([v.string(), v.number(), v.boolean(), v.null()]))),
});
export type AuditInput = v.InferOutput<typeof AuditInput>;
export type AuditEvent = AuditInput & { id: number; at: number };

export const AuditFilter = v.object({
  action: v.optional(AuditAction),
  /** Every action starting with this (`login.`, `user.`). */
  prefix: v.optional(v.pipe(v.string(), v.regex(/^[a-z_]{1,20}\.$/, "prefix deve ser como login."))),
  actor: v.optional(Short(200)),
  target: v.optional(Short(300)),
  ok: v.optional(v.boolean()),
  since: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  until: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});
export type AuditFilter = v.InferOutput<typeof AuditFilter>;

export type AuditPage = { events: AuditEvent[]; next: number | null };

// ---- export and backup ------------------------------------------------------------------

/** The archive format's version (README "Exportação"); a restore refuses a newer one. */
export const EXPORT_VERSION = 1;

export type ExportManifest = {
  format: "conversas-export";
  version: typeof EXPORT_VERSION;
  kind: "user" | "chat";
  tenant: string;
  id: string;
  exportedAt: number;
};
