/**
 * The call history and "Contatos Frequentes" of the "Chamadas" tab (R25, R27,
 * R28), asked for on the hub socket, which asks the user's own room:
 * `calls.fetch` pages (filter, search, cursor) and live `calls.updated` pushes
 * after each call, on every tab. The first page is asked for the first time the
 * tab is shown, and again after each reconnection (pushes may have been missed
 * meanwhile). Frequent contacts come from the room, which derives them from the
 * stored records. The session, contacts and hub come through
 * stores/softphone-host.ts (why: there).
 */
import { computed, signal, untracked } from "@preact/signals";
import type { CallFilter, CallHistoryEntry, CallsServerFrame, FrequentContact } from "../../../protocol/calls";
import { appendPage, mergeLive } from "../model/calls";
import { fold, MIN_QUERY } from "../model/search";
import type { Lifetime } from "./lifetime";
import { host } from "./softphone-host";

export const callFilter = signal<CallFilter>("all");
export const callQuery = signal("");
export const callEntries = signal<CallHistoryEntry[]>([]);
export const frequent = signal<FrequentContact[]>([]);
export const callsLoading = signal(false);
export const callsLoaded = signal(false);
const next = signal<string | null>(null);
export const hasMoreCalls = computed(() => next.value !== null);

const PAGE = 20;
const wanted = signal(false);

const nameOf = (id: string) => host.contactById.peek().get(id)?.name;
/** Digits search numbers from the first one; names from the 3rd character (R21). */
function activeQuery(): string {
  const q = callQuery.peek().trim();
  return /^[0-9+*#]+$/.test(q) || fold(q).length >= MIN_QUERY ? q : "";
}

function fetchPage(before?: string) {
  const frame = {
    type: "calls.fetch" as const,
    filter: callFilter.peek(),
    query: activeQuery(),
    limit: PAGE,
    ...(before ? { before } : {}),
  };
  if (host.sendToHub(frame)) callsLoading.value = true;
}

function apply(frame: CallsServerFrame) {
  if (frame.type === "calls.updated") {
    frequent.value = frame.frequent;
    callEntries.value = mergeLive(callEntries.peek(), frame.entry, callFilter.peek(), activeQuery(), nameOf);
    return;
  }
  // An answer to a filter or search no longer on screen.
  if (frame.filter !== callFilter.peek() || frame.query !== activeQuery()) return;
  if (frame.frequent) frequent.value = frame.frequent;
  callEntries.value = callsLoaded.peek() ? appendPage(callEntries.peek(), frame.entries) : frame.entries;
  next.value = frame.next;
  callsLoading.value = false;
  callsLoaded.value = true;
}

/** Called when the "Chamadas" tab is shown. */
export function showCalls() {
  wanted.value = true;
}

export function loadMoreCalls() {
  const cursor = next.peek();
  if (cursor && !callsLoading.peek()) fetchPage(cursor);
}

function reload() {
  callsLoaded.value = false;
  callEntries.value = [];
  next.value = null;
  fetchPage();
}

/**
 * Asks for the call history once the "Chamadas" tab was shown (and again after
 * each reconnection of the hub), and starts the list over on a new filter or
 * search; stopping forgets the list, the filter and the search.
 */
export function startCalls(life: Lifetime): void {
  life.add(
    host.onHub({
      onFrame: (f) => {
        if (f.type === "calls.page" || f.type === "calls.updated") apply(f);
        // The hub answers a calls.fetch it could not serve with an error: the list stops waiting.
        else if (f.type === "error" && !f.clientId && callsLoading.peek()) callsLoading.value = false;
      },
      onOpen: () => wanted.peek() && reload(),
    }),
  );
  life.effect(() => {
    if (wanted.value) untracked(reload);
  });

  // A new filter or search starts from the first page.
  let firstRun = true;
  life.effect(() => {
    void callFilter.value;
    void callQuery.value;
    if (firstRun) return void (firstRun = false);
    reload();
  });

  life.add(() => {
    callEntries.value = [];
    frequent.value = [];
    callsLoaded.value = false;
    callsLoading.value = false;
    wanted.value = false;
    callFilter.value = "all";
    callQuery.value = "";
    next.value = null;
  });
}
