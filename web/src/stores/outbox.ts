/**
 * The signed-in user's outbox (model/outbox.ts), kept in localStorage so messages
 * written offline survive reloads and go out later. Each entry has its own key
 * (`entryKey`): a tab writes only the entry an action is about, so two tabs of one
 * user never undo each other's writes, however late one sees the other's. What a
 * tab shows is every stored entry, re-read whenever another tab writes one.
 */
import { computed, signal } from "@preact/signals";
import {
  chatsWithPending,
  entryKey,
  isEntryKeyOf,
  orderOutbox,
  readOutbox,
  readOutboxEntry,
  reduceOutbox,
  writtenAt,
  type OutboxAction,
  type OutboxEntry,
} from "../model/outbox";
import type { Lifetime } from "./lifetime";
import { keysStartingWith, onOtherTabWrite, readKey, writeKey } from "./persisted";
import { session } from "./session";

/** The user's outbox name: the prefix of its entries' keys, and the key an earlier release kept the whole outbox under. */
const owner = computed(() => {
  const s = session.value;
  return s ? `conversas.outbox.${s.tenant}.${s.user.id}` : null;
});

export const outbox = signal<OutboxEntry[]>([]);
export const pendingChats = computed(() => chatsWithPending(outbox.value));
export const pendingCount = computed(() => outbox.value.filter((e) => e.status === "pending").length);

/** Entries this tab could not store (storage full or refused): kept in memory, so re-reading storage does not drop them. */
const unstored = new Map<string, OutboxEntry>();
let lastWritten = 0;

/** Every stored entry of the user's, with the ones only this tab holds. */
function gather(name: string): OutboxEntry[] {
  const entries = new Map<string, OutboxEntry>();
  for (const key of keysStartingWith(`${name}:`) ?? []) {
    const entry = readOutboxEntry(readKey(key) ?? null);
    if (entry && key === entryKey(name, entry.clientId)) entries.set(entry.clientId, entry);
  }
  for (const [clientId, entry] of unstored) if (!entries.has(clientId)) entries.set(clientId, entry);
  return orderOutbox(entries.values());
}

/**
 * An outbox an earlier release stored whole under `name` becomes one key per entry (an entry already stored on
 * its own is newer and stays), in the array's order (its times could tie: that release used the clock as it was).
 * What storage has no room for stays under the old key, and in this tab's memory, until a later try.
 */
function migrate(name: string): void {
  const whole = readKey(name);
  if (!whole) return;
  const left: OutboxEntry[] = [];
  let previous = 0;
  for (const stored of readOutbox(whole)) {
    const entry = { ...stored, createdAt: (previous = writtenAt(stored.createdAt, previous)) };
    const key = entryKey(name, entry.clientId);
    if (readKey(key) === null && !writeKey(key, JSON.stringify(entry))) left.push(entry);
  }
  for (const entry of left) unstored.set(entry.clientId, entry);
  writeKey(name, left.length ? JSON.stringify(left) : null);
}

/** An entry that leaves the outbox leaves what a migration could not move too (else the next start would send it again). */
function leaveWhole(name: string, clientId: string): void {
  const whole = readKey(name);
  if (!whole) return;
  const rest = readOutbox(whole).filter((e) => e.clientId !== clientId);
  writeKey(name, rest.length ? JSON.stringify(rest) : null);
}

/** Reads the user's outbox and follows other tabs' writes to it; stopping forgets it in memory (storage keeps it). */
export function startOutbox(life: Lifetime): void {
  life.effect(() => {
    const name = owner.value;
    unstored.clear();
    if (name) migrate(name);
    outbox.value = name ? gather(name) : [];
  });
  life.add(
    onOtherTabWrite(
      (key) => {
        const name = owner.peek();
        return name !== null && (key === null || key === name || isEntryKeyOf(name, key));
      },
      () => {
        const name = owner.peek()!;
        migrate(name);
        outbox.value = gather(name);
      },
    ),
  );
  life.add(() => {
    unstored.clear();
    outbox.value = [];
  });
}

/** A message's `createdAt`: the outbox orders by it, and this tab never gives two messages the same one. */
export function newCreatedAt(): number {
  return (lastWritten = writtenAt(Date.now(), lastWritten));
}

/** Applies an action to this tab's outbox and stores the one entry it changed (or removes it). */
export function updateOutbox(action: OutboxAction): void {
  const name = owner.peek();
  if (!name) return;
  const clientId = action.type === "add" ? action.entry.clientId : action.clientId;
  const key = entryKey(name, clientId);
  // Failing or retrying an entry another tab has meanwhile seen acknowledged (or discarded) must not bring it back
  // (once that tab's removal has reached this one; before, a resend is all it costs: the room knows the clientId).
  const gone = (action.type === "fail" || action.type === "retry") && readKey(key) === null && !unstored.has(clientId);
  const next = reduceOutbox(outbox.peek(), gone ? { type: "discard", clientId } : action);
  const entry = next.find((e) => e.clientId === clientId);
  if (!entry) leaveWhole(name, clientId);
  if (entry && writeKey(key, JSON.stringify(entry))) unstored.delete(clientId);
  else {
    // Gone, or no room for it: the stored copy goes (a removal always fits), so an older copy cannot win later;
    // this tab keeps what did not fit.
    writeKey(key, null);
    if (entry) unstored.set(clientId, entry);
    else unstored.delete(clientId);
  }
  outbox.value = orderOutbox(next);
}

/** Forgets this user's unsent messages in this browser (signing out of a shared computer, on request). */
export function discardOutbox(): void {
  const name = owner.peek();
  if (!name) return;
  for (const key of keysStartingWith(`${name}:`) ?? []) writeKey(key, null);
  writeKey(name, null);
  unstored.clear();
  outbox.value = [];
}
