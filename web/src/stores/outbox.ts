/**
 * The signed-in user's outbox (model/outbox.ts), kept in localStorage under the
 * user's key so messages written offline survive reloads and go out later. Every
 * change re-reads storage first, so two tabs of one user do not undo each other.
 */
import { computed, signal } from "@preact/signals";
import { chatsWithPending, readOutbox, reduceOutbox, type OutboxAction, type OutboxEntry } from "../model/outbox";
import type { Lifetime } from "./lifetime";
import { onOtherTabWrite, readKey, writeKey } from "./persisted";
import { session } from "./session";

const storageKey = computed(() => {
  const s = session.value;
  return s ? `conversas.outbox.${s.tenant}.${s.user.id}` : null;
});

export const outbox = signal<OutboxEntry[]>([]);
export const pendingChats = computed(() => chatsWithPending(outbox.value));
export const pendingCount = computed(() => outbox.value.filter((e) => e.status === "pending").length);

/** Reads the user's outbox and follows other tabs' writes to it; stopping forgets it in memory (storage keeps it). */
export function startOutbox(life: Lifetime): void {
  life.effect(() => {
    const key = storageKey.value;
    outbox.value = key ? readOutbox(readKey(key) ?? null) : [];
  });
  life.add(
    onOtherTabWrite(
      (key) => key !== null && key === storageKey.peek(),
      (value) => (outbox.value = readOutbox(value)),
    ),
  );
  life.add(() => (outbox.value = []));
}

export function updateOutbox(action: OutboxAction): void {
  const key = storageKey.peek();
  if (!key) return;
  const stored = readKey(key);
  const next = reduceOutbox(stored === undefined ? outbox.peek() : readOutbox(stored), action);
  writeKey(key, JSON.stringify(next));
  outbox.value = next;
}

/** Forgets this user's unsent messages in this browser (signing out of a shared computer, on request). */
export function discardOutbox(): void {
  const key = storageKey.peek();
  if (!key) return;
  writeKey(key, null);
  outbox.value = [];
}
