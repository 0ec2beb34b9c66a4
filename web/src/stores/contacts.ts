/**
 * The company's contacts (R4, R5) from `GET /contacts`, and the contact search of
 * the "Pesquisar" field (R12). Loaded once per session (startContacts).
 */
import { computed, signal } from "@preact/signals";
import type { PublicUser } from "../../../protocol/http";
import { searchByName } from "../model/search";
import { getContacts } from "./api";
import type { Lifetime } from "./lifetime";
import { apiWithSession, session } from "./session";

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
  const res = await apiWithSession((now) => getContacts(now.tenant, now.token));
  // Signed out or someone else meanwhile: the answer is not theirs.
  const still = session.peek();
  if (!res || still?.tenant !== s.tenant || still.user.id !== s.user.id) return;
  if (res.ok) {
    contacts.value = res.value.users;
    contactsStatus.value = "ready";
  } else contactsStatus.value = "error";
}

/** Loads the contacts once for the session; stopping forgets them and the search. */
export function startContacts(life: Lifetime): void {
  void loadContacts();
  life.add(() => {
    contacts.value = [];
    contactsStatus.value = "idle";
    searchQuery.value = "";
  });
}
