/**
 * Who is on-line (R5), from the hub socket (stores/hub.ts): a
 * `presence.snapshot` first on every (re)connection, then `presence.update`s as
 * people open or close their last tab. Unknown (null) until the first snapshot,
 * so nobody is shown "off-line" merely because the answer has not arrived yet —
 * and unknown again while this browser's own connection is down (offline, or the
 * hub socket dropped), since whatever was true then may no longer be (issue 17):
 * the next snapshot, on reconnecting, makes it known again.
 */
import { computed, signal } from "@preact/signals";
import type { HubServerFrame } from "../../../protocol/hub";
import { online as browserOnline } from "./connection";
import { onHub } from "./hub";
import type { Lifetime } from "./lifetime";

const online = signal<ReadonlySet<string> | null>(null);

/** Whether the statuses shown are current: a snapshot arrived on this connection and the browser is on-line. */
export const presenceKnown = computed(() => online.value !== null && browserOnline.value);

/** true/false while known, null before the first snapshot and while this browser's connection is down. */
export function isOnline(userId: string): boolean | null {
  const set = online.value;
  return set && presenceKnown.value ? set.has(userId) : null;
}

function apply(frame: HubServerFrame) {
  if (frame.type === "presence.snapshot") online.value = new Set(frame.online);
  else if (frame.type === "presence.update") {
    const current = online.peek();
    if (!current || current.has(frame.userId) === frame.online) return;
    const next = new Set(current);
    if (frame.online) next.add(frame.userId);
    else next.delete(frame.userId);
    online.value = next;
  }
}

/** Follows everyone's status on the hub socket; stopping forgets them. */
export function startPresence(life: Lifetime): void {
  life.add(
    onHub({
      onFrame: apply,
      // Updates missed while away would leave stale statuses: unknown until the snapshot of the next connection.
      onDrop: () => (online.value = null),
    }),
  );
  life.add(() => (online.value = null));
}
