/**
 * The tenant directory's rules: how a stored user record is shaped, what of it
 * anyone may see, and who may sign in. No runtime here.
 */
import type { AdminUser, PublicUser, UserUpsertBody } from "../../protocol/http";

export type UserRecord = PublicUser & {
  /** May use the company's admin API with their session (issue 18.2). */
  admin?: boolean;
  /** Anonymised on request (issue 18.7): nothing of the person is left, for good. */
  erased?: boolean;
  passwordHash: string | null;
  /** Bumped when the user is disabled, their password changes or they sign out everywhere: older sessions end. */
  sessionVersion: number;
  createdAt: number;
  updatedAt: number;
  /** PBX credentials for the sip-proxy (issue 16.6), sealed at rest; never shown, never sent to a browser. */
  sipCredentials?: string | null;
};

export function publicUser(u: UserRecord): PublicUser {
  return {
    id: u.id,
    login: u.login,
    name: u.name,
    email: u.email,
    department: u.department,
    avatarUrl: u.avatarUrl,
    extension: u.extension,
    // Records stored before classes of service existed hold none: internal calls only.
    callClass: u.callClass ?? "internal",
    modules: u.modules,
    enabled: u.enabled,
  };
}

/** What the company's administration sees of a user: never the hash. */
export function adminUser(u: UserRecord): AdminUser {
  return {
    ...publicUser(u),
    admin: u.admin === true,
    localLogin: !!u.passwordHash,
    erased: u.erased === true,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

/** What an erased user becomes (issue 18.7): the id stays (history refers to it), the person does not. */
export function erasedRecord(u: UserRecord, now: number): UserRecord {
  return {
    ...u,
    login: `removido-${u.id}`,
    name: "Usuário removido",
    email: "",
    department: "",
    avatarUrl: null,
    extension: null,
    enabled: false,
    admin: false,
    erased: true,
    passwordHash: null,
    sipCredentials: null,
    sessionVersion: u.sessionVersion + 1,
    updatedAt: now,
  };
}

export function loginKey(login: string): string {
  return login.trim().toLowerCase();
}

/**
 * Applies an upsert to the existing record (or none). The password hash is
 * computed by the caller (it is async); `passwordHash` undefined keeps the old one.
 * Returns a refusal when the login is taken by someone else.
 */
export function applyUpsert(
  id: string,
  existing: UserRecord | null,
  body: UserUpsertBody,
  passwordHash: string | undefined,
  loginOwner: string | null,
  now: number,
): { record: UserRecord; created: boolean; disabledNow: boolean; passwordChanged: boolean } | { refused: "login_taken" } {
  if (loginOwner && loginOwner !== id) return { refused: "login_taken" };
  const wasEnabled = existing?.enabled ?? false;
  const disabledNow = !!existing && wasEnabled && !body.enabled;
  // A new password ends every session opened with the old one (issue 12.3).
  const passwordChanged = !!existing?.passwordHash && passwordHash !== undefined;
  const record: UserRecord = {
    id,
    login: body.login,
    name: body.name,
    email: body.email,
    department: body.department,
    avatarUrl: body.avatarUrl ?? null,
    extension: body.extension ?? null,
    callClass: body.callClass ?? existing?.callClass ?? "internal",
    modules: body.modules,
    enabled: body.enabled,
    admin: body.admin ?? existing?.admin ?? false,
    passwordHash: passwordHash ?? existing?.passwordHash ?? null,
    sessionVersion: (existing?.sessionVersion ?? 1) + (disabledNow || passwordChanged ? 1 : 0),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    sipCredentials: existing?.sipCredentials ?? null,
  };
  return { record, created: !existing, disabledNow, passwordChanged };
}

/** Who may use Conversas at all (R1): enabled, with the module, with a password set. */
export function maySignIn(u: UserRecord | null): u is UserRecord & { passwordHash: string } {
  return !!u && u.enabled && u.modules.includes("conversas") && !!u.passwordHash;
}

/** Whether the user may use Conversas at all now (R1): enabled, with the module. */
export function mayUse(u: UserRecord | null): u is UserRecord {
  return !!u && u.enabled && u.modules.includes("conversas");
}

/** The same refusal for every sign-in failure, so nobody learns which part was wrong. */
export const LOGIN_REFUSAL = "Empresa, login ou senha inválidos, ou usuário sem acesso ao Conversas.";
