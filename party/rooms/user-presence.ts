/**
 * A user's presence (R5), kept by their own room: every tab holds a socket to
 * it, domain/presence.ts turns connections into "on-line"/"off-line", and each
 * change is announced to the tenant's directory, which fans it out to everyone
 * watching. A tab that says it is closing goes off-line almost at once; a
 * dropped connection only after the grace period. Tabs ping every
 * PRESENCE_PING_MS; one silent for an interval is asked (`presence.check`, which
 * a throttled background tab still answers at once), and one silent for three
 * is dead and is closed here, since a vanished network may never tell the server.
 */
import { PRESENCE_PING_MS, type UserServerFrame } from "../../protocol";
import { connected, disconnected, initialPresence, LEAVE_GRACE_MS, PRESENCE_GRACE_MS, tick, type PresenceStep } from "../domain/presence";
import type { RoomHost, Socket } from "./host";

const SILENT_LIMIT_MS = 3 * PRESENCE_PING_MS;
/**
 * While on-line the room says so again this often: the directory forgets an
 * on-line user it has not heard from in PRESENCE_EXPIRY_MS (a user room that
 * vanished cannot say "off-line"), and one that restarted learns who is on.
 */
const REFRESH_MS = 60_000;
const CHECK = JSON.stringify({ type: "presence.check" } satisfies UserServerFrame);
const ATTEMPTS = 5;

export function userPresence(host: RoomHost, tenant: string, userId: string) {
  let presence = initialPresence(Date.now());
  let timer: ReturnType<typeof setTimeout> | null = null;
  let sweeper: ReturnType<typeof setInterval> | null = null;
  const lastHeard = new Map<string, number>();
  const sockets = new Map<string, Socket>();
  const leaving = new Set<string>();
  /** Announcements go out one after another, each stamped, so the directory keeps the newest. */
  let announcing: Promise<void> = Promise.resolve();
  let announcedAt = 0;

  function announce(online: boolean, at: number) {
    announcedAt = Date.now();
    const run = async () => {
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        try {
          const res = await host.call("directory", tenant, "/presence", {
            method: "POST",
            body: JSON.stringify({ userId, online, at }),
          });
          if (res.ok) return;
          throw new Error(`directory answered ${res.status}`);
        } catch (err) {
          if (attempt === ATTEMPTS) console.error(`presence of ${userId}`, err);
          else await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        }
      }
    };
    announcing = announcing.then(run);
    host.waitUntil(announcing);
  }

  function apply(step: PresenceStep) {
    presence = step.presence;
    if (step.announce) announce(step.announce === "online", presence.since);
    if (timer) clearTimeout(timer);
    timer = null;
    if (step.wakeAt !== null) timer = setTimeout(() => apply(tick(presence, Date.now())), Math.max(0, step.wakeAt - Date.now()));
  }

  function sweep() {
    const now = Date.now();
    if (presence.online && now - announcedAt >= REFRESH_MS) announce(true, presence.since);
    for (const [id, at] of lastHeard) {
      const socket = sockets.get(id);
      if (now - at > SILENT_LIMIT_MS) {
        closed(id);
        socket?.close(4000, "sem sinal");
      } else if (now - at >= PRESENCE_PING_MS) socket?.send(CHECK);
    }
  }

  function closed(id: string) {
    if (!lastHeard.delete(id)) return;
    sockets.delete(id);
    const grace = leaving.delete(id) ? LEAVE_GRACE_MS : PRESENCE_GRACE_MS;
    apply(disconnected(presence, Date.now(), grace));
    if (lastHeard.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = null;
    }
  }

  return {
    connected(socket: Socket) {
      lastHeard.set(socket.id, Date.now());
      sockets.set(socket.id, socket);
      apply(connected(presence, Date.now()));
      sweeper ??= setInterval(sweep, PRESENCE_PING_MS);
    },
    /** Any frame from a tab shows it is alive (and, after a `presence.leave`, that it stayed). */
    heard(socket: Socket) {
      if (lastHeard.has(socket.id)) lastHeard.set(socket.id, Date.now());
      leaving.delete(socket.id);
    },
    /** The tab is closing: when its socket goes, skip the grace period. */
    leaving(socket: Socket) {
      leaving.add(socket.id);
    },
    closed(socket: Socket) {
      closed(socket.id);
    },
  };
}
