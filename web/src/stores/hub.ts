/**
 * The app's one socket per tab (issue 13): `/parties/hub/<tenant>`, to the
 * company's hub, which the edge routes to the shard holding this user's apps.
 * It carries the conversation list (stores/inbox.ts), presence
 * (stores/presence.ts), the smart search's "Mensagens" (stores/search.ts) and the
 * call history (stores/calls.ts); each of them listens here and sends here. The
 * socket itself is this tab's presence (room-socket.ts).
 */
import type { HubClientFrame, HubServerFrame } from "../../../protocol/hub";
import { Listeners, type Lifetime, type Stop } from "./lifetime";
import { openRoomSocket, type RoomSocket } from "./room-socket";
import { signOut, type Session } from "./session";
import { t } from "../i18n";

export type HubListener = {
  onFrame?(frame: HubServerFrame): void;
  /** Each (re)connection: what was asked and not answered is asked again. */
  onOpen?(): void;
  /** The connection dropped: what was pushed meanwhile will be missed until the next snapshot. */
  onDrop?(): void;
};

const listeners = new Listeners<(event: "frame" | "open" | "drop", frame?: HubServerFrame) => void>();
let socket: RoomSocket | null = null;

/** Listens to the hub socket while the session runs; returns the way to stop. */
export function onHub(listener: HubListener): Stop {
  return listeners.add((event, frame) => {
    if (event === "frame") listener.onFrame?.(frame!);
    else if (event === "open") listener.onOpen?.();
    else listener.onDrop?.();
  });
}

/** Sends on the hub socket; false when it is not connected (the caller asks again on open). */
export function sendToHub(frame: HubClientFrame): boolean {
  return !!socket?.send(frame);
}

/** Opens this tab's hub socket for the session; stopping closes it. */
export function startHub(life: Lifetime, s: Session): void {
  const mine = openRoomSocket({
    party: "hub",
    room: s.tenant,
    key: "hub",
    onFrame: (frame) => listeners.emit("frame", frame as HubServerFrame),
    onOpen: () => listeners.emit("open"),
    onDrop: () => listeners.emit("drop"),
    // The company's hub refusing this user: nothing of the app can work.
    onRefused: () => signOut(t.sessionEnded),
  });
  socket = mine;
  life.add(() => {
    mine.close();
    if (socket === mine) socket = null;
  });
}
