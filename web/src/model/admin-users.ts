/**
 * The "Administração" screen's user rules (issue 18.3), pure: the form a person
 * fills in, checked by the rules of the server's schema (protocol/http.ts
 * `UserUpsertBody`, `PasswordBody`), each failure named by its field; what a save
 * sends (`PUT` to create, `PATCH` with the changed fields — the class of service
 * too — to edit); the list's query and its pages.
 *
 * The rules are written out here rather than run through the schemas: valibot
 * code the screen would use lands in the chunk every entry shares (esbuild
 * splits by file), growing the first screen past issue 17's limit. The unit
 * tests hold both to the same answers.
 */
import type { AdminUser, CallClass, UserUpsertBody } from "../../../protocol/http";
import { USER_ID_RE } from "../../../protocol/ids";

export type CallClassName = CallClass;
/** protocol/http.ts `CallClass`, in its order. */
export const CALL_CLASSES: readonly CallClassName[] = ["internal", "local", "national", "international"];

/** The server's patterns and lengths (protocol/http.ts), and valibot's `email()`. */
const LOGIN_RE = /^[A-Za-z0-9._@-]{1,100}$/;
const EMAIL_RE = /^[\w+-]+(?:\.[\w+-]+)*@[\da-zA-Z]+(?:[.-][\da-zA-Z]+)*\.[a-zA-Z]{2,}$/u;
const EXTENSION_RE = /^[0-9]{2,8}$/;
const PASSWORD = { min: 8, max: 200 };

/** What the user form holds: text as typed, switches as booleans. */
export type UserForm = {
  id: string;
  login: string;
  name: string;
  email: string;
  department: string;
  extension: string;
  callClass: CallClassName;
  atendimento: boolean;
  enabled: boolean;
  admin: boolean;
  /** Only when creating, and only when the company signs in with passwords; empty: none (sign-in by SSO or a link). */
  password: string;
};

export type UserField = keyof UserForm | "modules";

/** The form's fields a server or schema failure can name (the UI words each in pt-BR, ui/admin/strings.ts). */
const USER_FIELDS: readonly UserField[] = [
  "id",
  "login",
  "name",
  "email",
  "department",
  "extension",
  "callClass",
  "modules",
  "atendimento",
  "enabled",
  "admin",
  "password",
];

/** The wrong fields, in the form's order. */
export type FieldErrors = UserField[];

export const emptyUserForm = (): UserForm => ({
  id: "",
  login: "",
  name: "",
  email: "",
  department: "",
  extension: "",
  callClass: "internal",
  atendimento: false,
  enabled: true,
  admin: false,
  password: "",
});

export function formFromUser(u: AdminUser): UserForm {
  const { id, login, name, email, department, callClass, enabled, admin } = u;
  const atendimento = u.modules.includes("atendimento");
  return { id, login, name, email, department, extension: u.extension ?? "", callClass, atendimento, enabled, admin, password: "" };
}

/** A user form's field from a server error's dotted path (`field`), when it is one of the form's. */
export function userFieldOf(path: string | undefined): UserField | null {
  const head = (path ?? "").split(".")[0] ?? "";
  if (head === "userId") return "id";
  if (head === "body") return userFieldOf((path ?? "").split(".").slice(1).join("."));
  return (USER_FIELDS as readonly string[]).includes(head) ? (head as UserField) : null;
}

export type UserBody = UserUpsertBody;

const passwordOk = (p: string) => p.length >= PASSWORD.min && p.length <= PASSWORD.max;

/** The fields of a body the server's `UserUpsertBody` would refuse, in the form's order. */
function failures(body: UserBody): FieldErrors {
  const wrong = new Set<UserField>();
  if (!LOGIN_RE.test(body.login)) wrong.add("login");
  if (body.name.length < 1 || body.name.length > 120) wrong.add("name");
  if (!EMAIL_RE.test(body.email) || body.email.length > 200) wrong.add("email");
  if (body.department.length > 120) wrong.add("department");
  if (body.extension != null && !EXTENSION_RE.test(body.extension)) wrong.add("extension");
  if (body.callClass !== undefined && !CALL_CLASSES.includes(body.callClass)) wrong.add("callClass");
  if (!body.modules.includes("conversas") || new Set(body.modules).size !== body.modules.length) wrong.add("modules");
  if (body.password !== undefined && !passwordOk(body.password)) wrong.add("password");
  return USER_FIELDS.filter((f) => wrong.has(f));
}

/** The body the form stands for (the server's PUT shape, trimmed as the server trims); the password only when one is given. */
export function bodyOf(form: UserForm, opts: { withPassword: boolean }): UserBody {
  return {
    login: form.login.trim(),
    name: form.name.trim(),
    email: form.email.trim(),
    department: form.department.trim(),
    extension: form.extension.trim() === "" ? null : form.extension.trim(),
    callClass: form.callClass,
    modules: form.atendimento ? ["conversas", "atendimento"] : ["conversas"],
    enabled: form.enabled,
    admin: form.admin,
    ...(opts.withPassword && form.password !== "" ? { password: form.password } : {}),
  };
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** A new user: the id (the address's `{u}`) and the PUT body, or every field that is wrong. */
export function checkNewUser(form: UserForm, passwordsOn: boolean): Checked<{ id: string; body: UserBody }> {
  const body = bodyOf(form, { withPassword: passwordsOn });
  const errors: FieldErrors = [...(USER_ID_RE.test(form.id.trim()) ? [] : (["id"] as const)), ...failures(body)];
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { id: form.id.trim(), body } };
}

/**
 * What saving an edit sends: `PATCH` with only the fields that changed (the
 * server merges them into the stored user and validates the whole), or nothing
 * when nothing changed.
 */
export type EditRequest = { method: "PATCH"; body: Partial<UserBody> } | null;

export function checkEdit(current: AdminUser, form: UserForm): Checked<EditRequest> {
  const next = bodyOf(form, { withPassword: false });
  const errors = failures(next);
  if (errors.length) return { ok: false, errors };
  const changed: Partial<UserBody> = {};
  if (next.login !== current.login) changed.login = next.login;
  if (next.name !== current.name) changed.name = next.name;
  if (next.email !== current.email) changed.email = next.email;
  if (next.department !== current.department) changed.department = next.department;
  if ((next.extension ?? null) !== current.extension) changed.extension = next.extension ?? null;
  if (next.callClass !== current.callClass) changed.callClass = next.callClass;
  if (next.modules.join() !== current.modules.join()) changed.modules = next.modules;
  if (next.enabled !== current.enabled) changed.enabled = next.enabled;
  if (next.admin !== current.admin) changed.admin = next.admin;
  return { ok: true, value: Object.keys(changed).length ? { method: "PATCH", body: changed } : null };
}

/** "Redefinir senha": the new password twice; the server's own rule (`PasswordBody`). */
export function checkNewPassword(password: string, repeat: string): { ok: true } | { ok: false; field: "password" | "repeat" } {
  if (!passwordOk(password)) return { ok: false, field: "password" };
  if (password !== repeat) return { ok: false, field: "repeat" };
  return { ok: true };
}

// ---- the list: query and pages --------------------------------------------------------------

export type EnabledFilter = "all" | "enabled" | "disabled";
export type UserQuery = { q: string; enabled: EnabledFilter; offset: number; limit: number };

export const PAGE_SIZE = 25;
/** The server's cap on `limit` and on the search text it reads. */
export const MAX_LIMIT = 200;
export const MAX_QUERY = 100;

/** The query string of `GET …/users` (only what differs from the server's defaults). */
export function userListQuery(q: UserQuery): string {
  const params = new URLSearchParams();
  const text = q.q.trim().slice(0, MAX_QUERY);
  if (text) params.set("q", text);
  if (q.enabled !== "all") params.set("enabled", q.enabled === "enabled" ? "true" : "false");
  params.set("offset", String(Math.max(0, Math.floor(q.offset))));
  params.set("limit", String(Math.min(MAX_LIMIT, Math.max(1, Math.floor(q.limit)))));
  return params.toString();
}

export type PageInfo = { from: number; to: number; total: number; hasPrevious: boolean; hasNext: boolean; previous: number; next: number };

/** Where a page of `total` sits: "26–50 de 123", and the offsets of its neighbours. */
export function pageInfo(offset: number, shown: number, total: number, limit: number): PageInfo {
  return {
    from: shown === 0 ? 0 : offset + 1,
    to: offset + shown,
    total,
    hasPrevious: offset > 0,
    hasNext: offset + shown < total,
    previous: Math.max(0, offset - limit),
    next: offset + limit,
  };
}

/**
 * After a change that removes rows from the current page (a search that finds
 * fewer, a user disabled under "Ativos"), an offset past the end moves back to
 * the last page that has rows.
 */
export function clampOffset(offset: number, total: number, limit: number): number {
  if (offset < total || total === 0) return total === 0 ? 0 : offset;
  return Math.max(0, Math.floor((total - 1) / limit) * limit);
}
