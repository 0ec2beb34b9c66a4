/**
 * The call history and "Contatos Frequentes" of the "Chamadas" tab (R25, R27,
 * R28), read from the user's own room: `calls.fetch` pages (filter, search,
 * cursor) and live `calls.updated` pushes after each call, on every tab. The
 * socket opens the first time the tab is shown and stays for the session, so the
 * list is live whenever it is on screen. Frequent contacts come from the room,
 * which derives them from the stored records.
 * The session, contacts and socket come through stores/softphone-host.ts (why: there).
 */
import { computed, signal } from "@preact/signals";
import type { CallFilter, CallHistoryEntry, CallsServerFrame, FrequentContact } from "../../../protocol/frames";
import { appendPage, mergeLive } from "../model/calls";
import { fold, MIN_QUERY } from "../model/search";
import type { Lifetime } from "./lifetime";
import { host } from "./softphone-host";
import type { RoomSocket } from "./room-socket";

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
let socket: RoomSocket | null = null;

const nameOf = (id: string) => host.contactById.peek().get(id)?.name;
/** Digits search numbers from the first one; names from the 3rd character (R21). */
function activeQuery(): string {
  const q = callQuery.peek().trim();
  return /^[0-9+*#]+$/.test(q) || fold(q).length >= MIN_QUERY ? q : "";
}

function fetchPage(before?: string) {
  if (!socket?.isOpen()) return;
  callsLoading.value = true;
  socket.send({ type: "calls.fetch", filter: callFilter.peek(), query: activeQuery(), before, limit: PAGE });
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

const roomKey = computed(() => {
  const s = host.session.value;
  return s && wanted.value ? `${s.tenant}|${s.user.id}|${s.token}` : null;
});

/**
 * Keeps the user-room socket of the "Chamadas" tab open once the tab was shown,
 * and starts the list over on a new filter or search; stopping closes it and
 * forgets the list, the filter and the search.
 */
export function startCalls(life: Lifetime): void {
  life.effect(() => {
    const key = roomKey.value;
    if (!key) return;
    const s = host.session.peek()!;
    socket = host.openRoomSocket({
      party: "user",
      room: host.userRoomId(s.tenant, s.user.id),
      key: "calls",
      onFrame: (f) => {
        if (f.type === "calls.page" || f.type === "calls.updated") apply(f as CallsServerFrame);
      },
      // Every (re)connection starts over: pushes may have been missed while away.
      onOpen: reload,
    });
    return () => {
      socket?.close();
      socket = null;
      callEntries.value = [];
      frequent.value = [];
      callsLoaded.value = false;
      callsLoading.value = false;
    };
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
    wanted.value = false;
    callFilter.value = "all";
    callQuery.value = "";
    next.value = null;
  });
}
