/**
 * Who is on-line (R5), from the company's directory room: a `presence.snapshot`
 * on every (re)connection, then `presence.update`s as people open or close their
 * last tab. Unknown (null) until the first snapshot, so nobody is shown
 * "off-line" merely because the answer has not arrived yet — and unknown again
 * while this browser's own connection is down (offline, or the directory socket
 * dropped), since whatever was true then may no longer be (issue 17): the next
 * snapshot, on reconnecting, makes it known again.
 */
import { computed, signal } from "@preact/signals";
import type { DirectoryServerFrame } from "../../../protocol/frames";
import { online as browserOnline } from "./connection";
import type { Lifetime } from "./lifetime";
import { openRoomSocket } from "./room-socket";
import type { Session } from "./session";

const online = signal<ReadonlySet<string> | null>(null);

/** Whether the statuses shown are current: a snapshot arrived on this connection and the browser is on-line. */
export const presenceKnown = computed(() => online.value !== null && browserOnline.value);

/** true/false while known, null before the first snapshot and while this browser's connection is down. */
export function isOnline(userId: string): boolean | null {
  const set = online.value;
  return set && presenceKnown.value ? set.has(userId) : null;
}

function apply(frame: DirectoryServerFrame) {
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

/** Opens the company's directory room for the session; stopping closes it and forgets everyone's status. */
export function startPresence(life: Lifetime, s: Session): void {
  const socket = openRoomSocket({
    party: "directory",
    room: s.tenant,
    key: "presence",
    onFrame: (frame) => apply(frame as DirectoryServerFrame),
    // Updates missed while away would leave stale statuses: unknown until the snapshot of the next connection.
    onDrop: () => (online.value = null),
  });
  life.add(() => {
    socket.close();
    online.value = null;
  });
}
