/**
 * The company's contacts (R4, R5) from `GET /contacts`, and the contact search of
 * the "Pesquisar" field (R12, contacts only for now). Loaded once per session.
 */
import { computed, effect, signal } from "@preact/signals";
import type { PublicUser } from "../../../protocol/http";
import { searchByName } from "../model/search";
import { t } from "../i18n";
import { getContacts } from "./api";
import { session, signOut } from "./session";

export const contacts = signal<PublicUser[]>([]);
export const contactsStatus = signal<"idle" | "loading" | "ready" | "error">("idle");
export const searchQuery = signal("");

export const contactById = computed(() => new Map(contacts.value.map((c) => [c.id, c])));
/** Everyone but the signed-in user. */
export const otherContacts = computed(() => contacts.value.filter((c) => c.id !== session.value?.user.id));
/** Matches of the search field, or null while it has fewer than 3 characters. */
export const contactResults = computed(() => searchByName(otherContacts.value, searchQuery.value));

export async function loadContacts(): Promise<void> {
  const s = session.peek();
  if (!s) return;
  contactsStatus.value = "loading";
  const res = await getContacts(s.tenant, s.token);
  if (session.peek() !== s) return;
  if (res.ok) {
    contacts.value = res.value.users;
    contactsStatus.value = "ready";
  } else if (res.status === 401) signOut(t.sessionEnded);
  else contactsStatus.value = "error";
}

effect(() => {
  if (!session.value?.token) return;
  void loadContacts();
  return () => {
    contacts.value = [];
    contactsStatus.value = "idle";
    searchQuery.value = "";
  };
});
