/**
 * HTTP bodies of the public API (README "HTTP API"), as schemas. Room-to-room
 * calls are in internal.ts.
 */
import * as v from "valibot";
import { TenantId } from "./ids";

export const LoginBody = v.object({
  tenant: TenantId,
  login: v.pipe(v.string(), v.trim(), v.minLength(1, "login obrigatório"), v.maxLength(100)),
  password: v.pipe(v.string(), v.minLength(1, "senha obrigatória"), v.maxLength(200)),
});
export type LoginBody = v.InferOutput<typeof LoginBody>;

export const Module = v.picklist(["conversas", "atendimento"]);

/** Class of service: the farthest a user may call through the PBX (the sip-proxy enforces it; issue 16.1). */
export const CallClass = v.picklist(["internal", "local", "national", "international"]);
export type CallClass = v.InferOutput<typeof CallClass>;

export const UserUpsertBody = v.object({
  login: v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9._@-]{1,100}$/, "login deve ter de 1 a 100 caracteres [A-Za-z0-9._@-]")),
  name: v.pipe(v.string(), v.trim(), v.minLength(1, "nome obrigatório"), v.maxLength(120)),
  email: v.pipe(v.string(), v.trim(), v.email("e-mail inválido"), v.maxLength(200)),
  department: v.pipe(v.string(), v.trim(), v.maxLength(120)),
  avatarUrl: v.optional(
    v.nullable(
      v.pipe(
        v.string(),
        v.maxLength(2000),
        v.check((s) => /^https:\/\//.test(s) || /^\/[A-Za-z0-9/_.-]*$/.test(s), "avatarUrl deve ser https:// ou um caminho local"),
      ),
    ),
  ),
  extension: v.optional(v.nullable(v.pipe(v.string(), v.regex(/^[0-9]{2,8}$/, "ramal deve ter de 2 a 8 dígitos")))),
  /** Omitted: unchanged on update, "internal" for a new user. */
  callClass: v.optional(CallClass),
  modules: v.pipe(
    v.array(Module),
    v.check((m) => m.includes("conversas"), "modules deve incluir conversas"),
    v.check((m) => new Set(m).size === m.length, "modules repetidos"),
  ),
  enabled: v.boolean(),
  password: v.optional(v.pipe(v.string(), v.minLength(8, "senha com pelo menos 8 caracteres"), v.maxLength(200))),
  /** May use the company's admin API with their session ("Administração"); omitted keeps what the user had. */
  admin: v.optional(v.boolean("admin deve ser true ou false")),
});
export type UserUpsertBody = v.InferOutput<typeof UserUpsertBody>;

/** What anyone in the tenant may see of a user: never a secret. */
export const PublicUser = v.object({
  id: v.string(),
  login: v.string(),
  name: v.string(),
  email: v.string(),
  department: v.string(),
  avatarUrl: v.nullable(v.string()),
  extension: v.nullable(v.string()),
  callClass: CallClass,
  modules: v.array(Module),
  enabled: v.boolean(),
});
export type PublicUser = v.InferOutput<typeof PublicUser>;

/** `PUT /api/tenants/{t}/users/{u}/sip-credentials` (issue 16.6): what the sip-proxy answers the PBX's digest with for this user. */
export const SipCredentialsBody = v.object({
  username: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
  password: v.pipe(v.string("senha obrigatória"), v.minLength(1, "senha obrigatória"), v.maxLength(200)),
});
export type SipCredentialsBody = v.InferOutput<typeof SipCredentialsBody>;

/** A user as the company's administration sees them (never a secret): the public user, the admin flag and dates. */
export type AdminUser = PublicUser & {
  admin: boolean;
  /** Has a password of its own (can use "Login" + "Senha" when the company allows it). */
  localLogin: boolean;
  erased: boolean;
  createdAt: number;
  updatedAt: number;
};
