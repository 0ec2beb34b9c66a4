/**
 * The users of "Administração" (issue 18.3): the list as the server pages and
 * searches it, the user being looked at, and every action on a user — create,
 * edit, enable/disable, "Redefinir senha", "Encerrar sessões", "Credenciais do
 * ramal", "Apagar dados". Each action answers with what the screen says: done
 * (with the user as the server now has them) or refused (the server's message
 * and the field it names).
 */
import { computed, signal } from "@preact/signals";
import type { AdminUser } from "../../../protocol/http";
import {
  checkEdit,
  checkNewUser,
  clampOffset,
  PAGE_SIZE,
  userFieldOf,
  userListQuery,
  type EnabledFilter,
  type FieldErrors,
  type UserField,
  type UserForm,
} from "../model/admin-users";
import { adminApi, type Erased } from "./admin-api";
import type { ApiResult } from "./api";

export type ListState = {
  status: "loading" | "ready" | "error";
  users: AdminUser[];
  total: number;
  offset: number;
  error: string | null;
};

export const usersQuery = signal({ q: "", enabled: "all" as EnabledFilter, offset: 0, limit: PAGE_SIZE });
export const usersList = signal<ListState>({ status: "loading", users: [], total: 0, offset: 0, error: null });
export const selectedId = signal<string | null>(null);
/** The selected user as last read (the list row, refreshed by every action). */
export const selectedUser = signal<AdminUser | null>(null);
/** Whether the company signs in with passwords ("Redefinir senha" and the new user's "Senha" show only then). */
export const passwordsOn = signal(true);

export const selected = computed(() => (selectedId.value ? selectedUser.value : null));

/** Refused: the server's (or the network's) message, and the form field it is about. */
export type Refused = { ok: false; error: string; field: UserField | null; network: boolean; status: number };
export type Outcome<T = AdminUser> = { ok: true; value: T } | Refused | { ok: false; errors: FieldErrors };

function refused(res: Extract<ApiResult<unknown>, { ok: false }>): Refused {
  const field = "field" in res ? userFieldOf(res.field) : null;
  return { ok: false, error: res.error, field, network: res.status === 0, status: res.status };
}

let asked = 0;

/** Reads the page the query names; an answer to an older query is dropped. */
export async function loadUsers(): Promise<void> {
  const query = usersQuery.peek();
  const mine = ++asked;
  usersList.value = { ...usersList.peek(), status: "loading", error: null };
  const res = await adminApi.users(userListQuery(query));
  if (mine !== asked) return;
  if (!res.ok) {
    usersList.value = { ...usersList.peek(), status: "error", error: res.status === 0 ? "network" : res.error };
    return;
  }
  const { users, total, offset } = res.value;
  // A page emptied meanwhile (a search that finds fewer): the last page with rows.
  const clamped = clampOffset(offset, total, query.limit);
  if (clamped !== offset && users.length === 0) {
    usersQuery.value = { ...query, offset: clamped };
    return loadUsers();
  }
  usersList.value = { status: "ready", users, total, offset, error: null };
}

let typing: ReturnType<typeof setTimeout> | undefined;

/** Search as the person types (a pause of a quarter second), from the first page. */
export function searchUsers(q: string): void {
  usersQuery.value = { ...usersQuery.peek(), q, offset: 0 };
  clearTimeout(typing);
  typing = setTimeout(() => void loadUsers(), 250);
}

export function filterUsers(enabled: EnabledFilter): void {
  usersQuery.value = { ...usersQuery.peek(), enabled, offset: 0 };
  void loadUsers();
}

export function goToPage(offset: number): void {
  usersQuery.value = { ...usersQuery.peek(), offset };
  void loadUsers();
}

export function selectUser(user: AdminUser | null): void {
  selectedId.value = user?.id ?? null;
  selectedUser.value = user;
}

/** The user as the server has them now, in the list and in the detail. */
function remember(user: AdminUser): void {
  const list = usersList.peek();
  if (list.users.some((u) => u.id === user.id)) usersList.value = { ...list, users: list.users.map((u) => (u.id === user.id ? user : u)) };
  if (selectedId.peek() === user.id) selectedUser.value = user;
}

/** A new user: checked here like the server checks; an id already taken is refused rather than replaced (PUT would replace). */
export async function createUser(form: UserForm): Promise<Outcome> {
  const checked = checkNewUser(form, passwordsOn.peek());
  if (!checked.ok) return checked;
  const { id, body } = checked.value;
  const existing = await adminApi.user(id);
  if (existing.ok) return { ok: false, error: "taken", field: "id", network: false, status: 409 };
  if (existing.status !== 404) return refused(existing);
  const res = await adminApi.putUser(id, body);
  if (!res.ok) return refused(res);
  selectUser(res.value);
  await loadUsers();
  return { ok: true, value: res.value };
}

/** Saves the form over `current`: only what changed (nothing at all when nothing did). */
export async function saveUser(current: AdminUser, form: UserForm): Promise<Outcome> {
  const checked = checkEdit(current, form);
  if (!checked.ok) return checked;
  if (!checked.value) return { ok: true, value: current };
  const res = await adminApi.patchUser(current.id, checked.value.body);
  if (!res.ok) return refused(res);
  remember(res.value);
  return { ok: true, value: res.value };
}

/** "Ativar" / "Desativar" (disabling ends every session of the user, on the server). */
export async function setEnabled(user: AdminUser, enabled: boolean): Promise<Outcome> {
  const res = await adminApi.patchUser(user.id, { enabled });
  if (!res.ok) return refused(res);
  remember(res.value);
  return { ok: true, value: res.value };
}

export async function resetPassword(user: AdminUser, password: string): Promise<Outcome<null>> {
  const res = await adminApi.password(user.id, password);
  if (!res.ok) return refused(res);
  remember({ ...user, localLogin: true });
  return { ok: true, value: null };
}

export async function endSessions(user: AdminUser): Promise<Outcome<null>> {
  const res = await adminApi.endSessions(user.id);
  return res.ok ? { ok: true, value: null } : refused(res);
}

/** "Credenciais do ramal": written, never read back. */
export async function setSipCredentials(user: AdminUser, username: string, password: string): Promise<Outcome<null>> {
  const res = await adminApi.putSip(user.id, { ...(username.trim() ? { username: username.trim() } : {}), password });
  return res.ok ? { ok: true, value: null } : refused(res);
}

export async function removeSipCredentials(user: AdminUser): Promise<Outcome<null>> {
  const res = await adminApi.deleteSip(user.id);
  return res.ok ? { ok: true, value: null } : refused(res);
}

/** "Apagar dados": irreversible; the screen has asked twice. The user stays in the list, anonymised. */
export async function eraseUser(user: AdminUser): Promise<Outcome<Erased>> {
  const res = await adminApi.erase(user.id);
  if (!res.ok) return refused(res);
  remember(res.value.user);
  return { ok: true, value: res.value };
}

/**
 * A screen being opened: the page its query names, nobody selected, and whether
 * passwords are on. The query was made fresh when the screen was last left: a
 * search typed before this ran (the field shows first) is kept, not wiped.
 */
export function enterUsers(): void {
  selectUser(null);
  void loadUsers();
  void adminApi.signInOptions().then((res) => {
    if (res.ok) passwordsOn.value = res.value.passwords;
  });
}

export function leaveUsers(): void {
  clearTimeout(typing);
  asked++;
  usersQuery.value = { q: "", enabled: "all", offset: 0, limit: PAGE_SIZE };
  usersList.value = { status: "loading", users: [], total: 0, offset: 0, error: null };
}
