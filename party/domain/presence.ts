/**
 * A user's presence (R5 "on-line"/"off-line") from their open connections:
 * several tabs or devices count as one presence, and losing the last one turns
 * the user off-line only after a grace period, so a blip on the network does not
 * flicker. Pure: the per-user room feeds it connection events and clock ticks and
 * announces what it returns to the tenant's directory.
 */
export const PRESENCE_GRACE_MS = 5_000;
/**
 * After a tab said it is closing (`presence.leave`): short enough to show "off-line"
 * within a second, long enough that a page reload does not flicker.
 */
export const LEAVE_GRACE_MS = 400;

export type Presence = { sockets: number; online: boolean; since: number; offlineDueAt: number | null };
export type PresenceStep = { presence: Presence; announce: "online" | "offline" | null; wakeAt: number | null };

export const initialPresence = (now: number): Presence => ({ sockets: 0, online: false, since: now, offlineDueAt: null });

export function connected(p: Presence, now: number): PresenceStep {
  const sockets = p.sockets + 1;
  if (p.online) return { presence: { ...p, sockets, offlineDueAt: null }, announce: null, wakeAt: null };
  return { presence: { sockets, online: true, since: now, offlineDueAt: null }, announce: "online", wakeAt: null };
}

export function disconnected(p: Presence, now: number, graceMs = PRESENCE_GRACE_MS): PresenceStep {
  const sockets = Math.max(0, p.sockets - 1);
  if (sockets > 0 || !p.online) return { presence: { ...p, sockets }, announce: null, wakeAt: null };
  const due = now + graceMs;
  return { presence: { ...p, sockets, offlineDueAt: due }, announce: null, wakeAt: due };
}

/** Called when the room's timer fires; turns off-line only if nobody came back meanwhile. */
export function tick(p: Presence, now: number): PresenceStep {
  if (p.offlineDueAt === null || now < p.offlineDueAt || p.sockets > 0) {
    return { presence: p, announce: null, wakeAt: p.offlineDueAt !== null && p.sockets === 0 ? p.offlineDueAt : null };
  }
  return { presence: { sockets: 0, online: false, since: now, offlineDueAt: null }, announce: "offline", wakeAt: null };
}

/**
 * The company-wide view the directory keeps (R5): each user's last announced
 * state, stamped by their own room so a late announcement cannot undo a newer
 * one. A user room that vanished cannot say "off-line", so an on-line state not
 * confirmed within `expiryMs` lapses (user rooms repeat it every minute).
 */
export class PresenceBoard {
  private readonly states = new Map<string, { online: boolean; at: number; heard: number }>();

  constructor(private readonly expiryMs: number) {}

  /** Records an announcement; returns the change to fan out, or null when watchers already see it. */
  announce(userId: string, online: boolean, at: number, now: number): { userId: string; online: boolean } | null {
    const known = this.states.get(userId);
    if (known && known.at > at) return null;
    this.states.set(userId, { online, at, heard: now });
    return known?.online === online ? null : { userId, online };
  }

  /** The users whose on-line state lapsed now; they are off-line from here on. */
  expire(now: number): string[] {
    const lapsed: string[] = [];
    for (const [userId, s] of this.states) {
      if (s.online && now - s.heard >= this.expiryMs) {
        this.states.set(userId, { ...s, online: false });
        lapsed.push(userId);
      }
    }
    return lapsed;
  }

  online(): string[] {
    return [...this.states].filter(([, s]) => s.online).map(([id]) => id);
  }

  anyOnline(): boolean {
    return [...this.states.values()].some((s) => s.online);
  }
}
