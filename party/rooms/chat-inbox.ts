/**
 * A conversation room's fan-out to its members' user rooms (R6 conversation
 * list): after a message is stored, or deleted, each member's inbox gets the
 * chat's summary with its newest message. One call is in flight per member;
 * during a burst, later messages coalesce and at most one push per interval
 * carries the newest, since each push is a room-to-room call. A big group would
 * otherwise spend its room on these calls (200 members = 200 calls per message):
 * at most a few are in flight at once, so sends interleave with them, and a
 * member's next push waits longer the bigger the group. A group member who
 * leaves or is removed gets `/inbox/remove` instead (R17), sent after any push
 * still in flight to them, so a late push cannot bring the group back.
 */
import { userRoomId, type ConversationSummary, type Message } from "../../protocol";
import { membersOf, previewOf, type ChatMeta } from "../domain/chat";
import type { RoomHost } from "./host";

const BURST_INTERVAL_MS = 50;
/** Per member of the chat, added to a member's wait between two pushes (200 members → 2 s). */
const INTERVAL_PER_MEMBER_MS = 10;
/** Room-to-room inbox calls in flight at once, per chat. */
const MAX_IN_FLIGHT = 8;
const ATTEMPTS = 5;

export type ChatInboxContext = { host: RoomHost; tenant: string; chatId: string; meta(): ChatMeta | null };

/** The summary a member's list shows for this chat: the peer of a DM, or the group's name and image. */
export function summaryFor(meta: ChatMeta, member: string, last: Message | null): ConversationSummary {
  const lastMessage = last ? previewOf(last) : null;
  if (meta.kind === "group")
    return { chatId: meta.chatId, kind: "group", name: meta.group.name, imageFileId: meta.group.imageFileId, lastMessage };
  const peerId = meta.members.find((m) => m !== member) ?? member;
  return { chatId: meta.chatId, kind: "direct", peerId, lastMessage };
}

export function chatInbox({ host, tenant, chatId, meta }: ChatInboxContext) {
  /** Members whose user room already knows this chat (since this instance started). */
  const registered = new Set<string>();
  const slots = new Map<string, { latest: Message | null; running: boolean; tail: Promise<void> }>();
  let inFlight = 0;
  const queued: (() => void)[] = [];
  /** Runs `work` once fewer than MAX_IN_FLIGHT calls are running. */
  async function limited<T>(work: () => Promise<T>): Promise<T> {
    if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => queued.push(r));
    inFlight += 1;
    try {
      return await work();
    } finally {
      inFlight -= 1;
      queued.shift()?.();
    }
  }
  const interval = () => {
    const m = meta();
    return Math.max(BURST_INTERVAL_MS, (m ? membersOf(m).length : 0) * INTERVAL_PER_MEMBER_MS);
  };
  const isMemberNow = (member: string) => {
    const m = meta();
    return !!m && membersOf(m).includes(member);
  };

  /** A newer seq, or the deletion of the same seq, replaces what is waiting to go. */
  function supersedes(next: Message | null, current: Message | null): boolean {
    if (!current) return true;
    return !!next && (next.seq > current.seq || (next.seq === current.seq && !!next.deleted));
  }

  function push(member: string, last: Message | null) {
    let slot = slots.get(member);
    if (!slot) slots.set(member, (slot = { latest: null, running: false, tail: Promise.resolve() }));
    if (supersedes(last, slot.latest)) slot.latest = last;
    if (slot.running) return;
    slot.running = true;
    const s = slot;
    const run = async () => {
      for (let attempt = 0; s.running;) {
        const sending = s.latest;
        const m = meta();
        if (!m || !isMemberNow(member)) {
          s.running = false;
          break;
        }
        try {
          const res = await limited(() =>
            host.call("user", userRoomId(tenant, member), "/inbox", {
              method: "POST",
              body: JSON.stringify({ conversation: summaryFor(m, member, sending) }),
            }),
          );
          if (!res.ok) throw new Error(`user room answered ${res.status}`);
          registered.add(member);
          attempt = 0;
          if (s.latest === sending) s.running = false;
          else await new Promise((r) => setTimeout(r, interval()));
        } catch (err) {
          if (++attempt >= ATTEMPTS) {
            console.error(`inbox push to ${member} failed`, err);
            s.running = false;
          } else await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        }
      }
    };
    s.tail = s.tail.then(run);
    host.waitUntil(s.tail);
  }

  /** Drops this chat from a former member's list, after whatever push to them is still running. */
  function remove(member: string) {
    registered.delete(member);
    let slot = slots.get(member);
    if (!slot) slots.set(member, (slot = { latest: null, running: false, tail: Promise.resolve() }));
    slot.latest = null;
    const run = async () => {
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        try {
          const res = await limited(() =>
            host.call("user", userRoomId(tenant, member), "/inbox/remove", {
              method: "POST",
              body: JSON.stringify({ chatId }),
            }),
          );
          if (res.ok) return;
          throw new Error(`user room answered ${res.status}`);
        } catch (err) {
          if (attempt === ATTEMPTS) console.error(`inbox remove for ${member} failed`, err);
          else await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        }
      }
    };
    slot.tail = slot.tail.then(run);
    host.waitUntil(slot.tail);
  }

  return { push, remove, knows: (member: string) => registered.has(member) };
}
