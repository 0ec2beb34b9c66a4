/**
 * Presence (R5) on one hub shard, from the sockets of the apps open here: a user
 * is on-line while any of their apps is connected, and for a grace period after
 * the last one goes (5 s for a dropped connection, 0.4 s for a tab that said it
 * is closing), so a reload or a network blip does not flicker. Pings are
 * answered by the runtime without waking the room; the room's alarm looks at
 * each socket now and then, asks a silent one (`presence.check`, which even a
 * throttled background tab answers at once) and closes one silent for three
 * intervals. What must survive hibernation — who is in their grace period, and
 * who other shards say is on-line — is in the room's tables:
 *
 *   leaving(user_id, due)        last app gone; off-line at `due` unless one comes back
 *   remote(user_id, shard, at)   on-line on another shard, as of `at` (lapses unless refreshed)
 */
import { PRESENCE_PING_MS } from "../../../protocol/hub";
import { hubRoomId, splitRoomId } from "../../../protocol/ids";
import { LEAVE_GRACE_MS, PRESENCE_GRACE_MS } from "../../domain/presence";
import type { RouteBody } from "../../../protocol/internal";
import { encode, type RoomHost, type Socket } from "../../runtime/host";

/** How often the alarm looks at the sockets while any is open. */
const SWEEP_MS = 30_000;
/** Silent this long: asked; three ping intervals: dead. */
const CHECK_AFTER_MS = PRESENCE_PING_MS * 1.5;
const DEAD_AFTER_MS = PRESENCE_PING_MS * 3;
/** Another shard's on-line user not confirmed for this long is taken as off-line (shards repeat their list every minute). */
const REMOTE_EXPIRY_MS = 150_000;
const REFRESH_MS = 60_000;
/** A socket's `heard` is written to its attachment at most this often (it is a storage write). */
const HEARD_EVERY_MS = 5_000;

export function hubPresence(host: RoomHost) {
  const db = host.storage;
  const split = splitRoomId(host.id);
  const tenant = split?.tenant ?? "";
  const shard = Number(split?.local ?? 0);
  const shards = host.config.hubShards;
  /** Sockets whose close was already handled (a kick closes one before the runtime reports it). */
  const handled = new Set<string>();

  const localUsers = () => {
    const users = new Set<string>();
    for (const s of host.sockets()) users.add(s.identity.userId);
    return users;
  };

  function broadcast(userId: string, online: boolean): void {
    const data = encode({ type: "presence.update", userId, online });
    for (const s of host.sockets()) s.sendEncoded(data);
  }

  /** A change of one of this shard's users: everyone here, and the other shards, hear it. */
  function announce(userId: string, online: boolean): void {
    broadcast(userId, online);
    if (shards <= 1) return;
    const at = host.now();
    for (let other = 0; other < shards; other++) {
      if (other === shard) continue;
      host.waitUntil(host.call("hub.presence", hubRoomId(tenant, other), { from: shard, full: false, changes: [{ userId, online, at }] }));
    }
  }

  function schedule(): void {
    const due = db.one<{ due: number | null }>("SELECT min(due) AS due FROM leaving")?.due ?? null;
    const anySocket = !host.sockets()[Symbol.iterator]().next().done;
    const next = [due, anySocket ? host.now() + SWEEP_MS : null, shards > 1 && anySocket ? host.now() + REFRESH_MS : null].filter(
      (t): t is number => t !== null,
    );
    if (next.length) host.wakeAt(Math.min(...next));
  }

  function closeHandled(socket: Socket): void {
    if (handled.has(socket.id)) return;
    handled.add(socket.id);
    if (handled.size > 10_000) handled.clear();
    const userId = socket.identity.userId;
    if (host.socketsOf(userId).some((s) => s.id !== socket.id)) return;
    const grace = socket.data.leaving === true ? LEAVE_GRACE_MS : PRESENCE_GRACE_MS;
    db.run(
      "INSERT INTO leaving(user_id, due) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET due = excluded.due",
      userId,
      host.now() + grace,
    );
    schedule();
  }

  function sweep(now: number): void {
    for (const s of host.sockets()) {
      const last = Math.max(Number(s.data.heard ?? 0), s.pingedAt() ?? 0);
      if (now - last > DEAD_AFTER_MS) {
        closeHandled(s);
        s.close(4000, "sem sinal");
      } else if (now - last > CHECK_AFTER_MS) s.send({ type: "presence.check" });
    }
  }

  return {
    start(): void {
      db.run("CREATE TABLE IF NOT EXISTS leaving (user_id TEXT PRIMARY KEY, due INTEGER NOT NULL)");
      db.run("CREATE TABLE IF NOT EXISTS remote (user_id TEXT PRIMARY KEY, shard INTEGER NOT NULL, at INTEGER NOT NULL)");
    },

    connected(socket: Socket): void {
      const userId = socket.identity.userId;
      socket.setData({ heard: host.now() });
      const wasLeaving = db.run("DELETE FROM leaving WHERE user_id = ?", userId) > 0;
      const others = host.socketsOf(userId).some((s) => s.id !== socket.id);
      if (!wasLeaving && !others) announce(userId, true);
      schedule();
    },

    heard(socket: Socket): void {
      const now = host.now();
      const patch: Record<string, number | boolean> = {};
      if (now - Number(socket.data.heard ?? 0) > HEARD_EVERY_MS) patch.heard = now;
      if (socket.data.leaving) patch.leaving = false;
      if (Object.keys(patch).length) socket.setData(patch);
    },

    /** The tab is closing: when its socket goes, skip the long grace period. */
    leaving(socket: Socket): void {
      if (!socket.data.leaving) socket.setData({ leaving: true });
    },

    closed: closeHandled,

    alarm(): void {
      const now = host.now();
      const due = db.all<{ user_id: string }>("SELECT user_id FROM leaving WHERE due <= ?", now);
      for (const { user_id } of due) {
        db.run("DELETE FROM leaving WHERE user_id = ?", user_id);
        if (host.socketsOf(user_id).length === 0) announce(user_id, false);
      }
      sweep(now);
      db.run("DELETE FROM remote WHERE at < ?", now - REMOTE_EXPIRY_MS);
      if (shards > 1) {
        const changes = [...localUsers()].map((userId) => ({ userId, online: true, at: now }));
        for (let other = 0; other < shards; other++)
          if (other !== shard) host.waitUntil(host.call("hub.presence", hubRoomId(tenant, other), { from: shard, full: true, changes }));
      }
      schedule();
    },

    /** Everyone on-line as this shard knows it: its own users (apps open, or in their grace period) and other shards'. */
    online(): string[] {
      const users = localUsers();
      for (const r of db.all<{ user_id: string }>("SELECT user_id FROM leaving")) users.add(r.user_id);
      for (const r of db.all<{ user_id: string }>("SELECT user_id FROM remote WHERE at >= ?", host.now() - REMOTE_EXPIRY_MS))
        users.add(r.user_id);
      return [...users];
    },

    /** Another shard's news: changes are applied and told to the sockets here; a full list replaces what that shard said before. */
    remote({ from, full, changes }: RouteBody<"hub.presence">): number {
      let changed = 0;
      const was = new Set(db.all<{ user_id: string }>("SELECT user_id FROM remote WHERE shard = ?", from).map((r) => r.user_id));
      db.transaction(() => {
        if (full) db.run("DELETE FROM remote WHERE shard = ?", from);
        for (const c of changes) {
          if (c.online)
            db.run(
              "INSERT INTO remote(user_id, shard, at) VALUES (?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET shard = excluded.shard, at = excluded.at",
              c.userId,
              from,
              c.at,
            );
          else db.run("DELETE FROM remote WHERE user_id = ? AND at <= ?", c.userId, c.at);
        }
      });
      const now = new Set(db.all<{ user_id: string }>("SELECT user_id FROM remote WHERE shard = ?", from).map((r) => r.user_id));
      for (const u of now) if (!was.has(u)) (broadcast(u, true), changed++);
      for (const u of was) if (!now.has(u)) (broadcast(u, false), changed++);
      return changed;
    },
  };
}
