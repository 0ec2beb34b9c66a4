/**
 * The connection state the user sees ("Conectado", "Reconectando…", "Sem
 * conexão"): derived from the browser's online flag and the state of every room
 * socket the client holds, so it cannot disagree with them.
 */
import { computed, signal } from "@preact/signals";
import type { Lifetime } from "./lifetime";

export type SocketState = "connecting" | "open" | "reconnecting";
export type ConnectionStatus = "connected" | "connecting" | "reconnecting" | "offline";

export const online = signal(true);

/** Follows the browser's online flag while the app runs. */
export function startConnection(life: Lifetime): void {
  online.value = navigator.onLine;
  life.on(window, "online", () => (online.value = true));
  life.on(window, "offline", () => (online.value = false));
}

const sockets = signal<ReadonlyMap<string, SocketState>>(new Map());

/** Records a socket's state under a key; null forgets the socket. */
export function reportSocket(key: string, state: SocketState | null): void {
  const next = new Map(sockets.peek());
  if (state === null) next.delete(key);
  else next.set(key, state);
  sockets.value = next;
}

export const connectionStatus = computed<ConnectionStatus>(() => {
  if (!online.value) return "offline";
  const states = [...sockets.value.values()];
  if (states.length > 0 && states.every((s) => s === "open")) return "connected";
  return states.includes("reconnecting") ? "reconnecting" : "connecting";
});
