/**
 * Whether the signed-in person administers their company (issue 18.3: `GET
 * …/me` says `admin`), and whether the "Administração" screen is open. The only
 * part of the administration in the first screen: the screen itself, its stores
 * and its words load on demand (ui/admin/loader.tsx).
 */
import { signal } from "@preact/signals";
import { bearer, call } from "./api";
import type { Lifetime } from "./lifetime";
import { apiWithSession, type Session } from "./session";

/** `/me` said `admin: true` for this session. */
export const isAdmin = signal(false);
/** The "Administração" screen is showing instead of the chats. */
export const adminOpen = signal(false);

export function openAdmin(): void {
  if (isAdmin.peek()) adminOpen.value = true;
}

export function closeAdmin(): void {
  adminOpen.value = false;
}

/** A company route refused this session (403): the flag was taken away meanwhile; the screen closes. */
export function adminRevoked(): void {
  isAdmin.value = false;
  adminOpen.value = false;
}

/** Asks once per session whether the person is an admin; the answer and the open screen end with the session. */
export function startAdminAccess(life: Lifetime, s: Session): void {
  let live = true;
  void apiWithSession((now) =>
    call<{ admin?: boolean }>(`/api/tenants/${encodeURIComponent(s.tenant)}/me`, { headers: bearer(now.token) }),
  ).then((res) => {
    if (live) isAdmin.value = !!res?.ok && res.value.admin === true;
  });
  life.add(() => {
    live = false;
    isAdmin.value = false;
    adminOpen.value = false;
  });
}
