/**
 * A conversation room's fan-out to its members' user rooms (R6 conversation
 * list): after a message is stored or deleted, or a member reads, each member
 * concerned gets the chat's summary as it is now — its newest message and that
 * member's unread count, both read off the log (chat-derived.ts), so a push is
 * never a delta that could be lost or applied twice. One call is in flight per member;
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
import type { UnreadState } from "../domain/chat-index";
import type { RoomHost } from "./host";

const BURST_INTERVAL_MS = 50;
/** Per member of the chat, added to a member's wait between two pushes (200 members → 2 s). */
const INTERVAL_PER_MEMBER_MS = 10;
/** Room-to-room inbox calls in flight at once, per chat. */
const MAX_IN_FLIGHT = 8;
const ATTEMPTS = 5;

export type ChatInboxContext = {
  host: RoomHost;
  tenant: string;
  chatId: string;
  meta(): ChatMeta | null;
  /** The newest stored message (deleted or not), or null. */
  lastMessage(): Promise<Message | null>;
  unreadFor(member: string): Promise<UnreadState>;
};

/** The summary a member's list shows for this chat: the peer of a DM, or the group's name and image. */
export function summaryFor(meta: ChatMeta, member: string, last: Message | null, unread: UnreadState): ConversationSummary {
  const lastMessage = last ? previewOf(last) : null;
  if (meta.kind === "group")
    return { chatId: meta.chatId, kind: "group", name: meta.group.name, imageFileId: meta.group.imageFileId, lastMessage, ...unread };
  const peerId = meta.members.find((m) => m !== member) ?? member;
  return { chatId: meta.chatId, kind: "direct", peerId, lastMessage, ...unread };
}

export function chatInbox({ host, tenant, chatId, meta, lastMessage, unreadFor }: ChatInboxContext) {
  /** Members whose user room already knows this chat (since this instance started). */
  const registered = new Set<string>();
  /**
   * Per member: `version` grows with every change to tell them about; a push carries
   * the state read when it starts. `run` is the loop now pushing (null when idle): a
   * removal retires it, so a push after the removal starts a new loop queued behind it.
   */
  const slots = new Map<string, { version: number; run: object | null; tail: Promise<void> }>();
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

  function slotOf(member: string) {
    let slot = slots.get(member);
    if (!slot) slots.set(member, (slot = { version: 0, run: null, tail: Promise.resolve() }));
    return slot;
  }

  /** Tells a member's user room how this chat stands now (coalescing with pushes still waiting to go). */
  function push(member: string) {
    const s = slotOf(member);
    s.version += 1;
    if (s.run) return;
    const self = {};
    s.run = self;
    const stop = () => {
      if (s.run === self) s.run = null;
    };
    const run = async () => {
      for (let attempt = 0; s.run === self;) {
        const version = s.version;
        const m = meta();
        if (!m || !isMemberNow(member)) {
          stop();
          break;
        }
        try {
          const [last, unread] = await Promise.all([lastMessage(), unreadFor(member)]);
          const res = await limited(() =>
            host.call("user", userRoomId(tenant, member), "/inbox", {
              method: "POST",
              body: JSON.stringify({ conversation: summaryFor(m, member, last, unread) }),
            }),
          );
          if (!res.ok) throw new Error(`user room answered ${res.status}`);
          registered.add(member);
          attempt = 0;
          if (s.version === version) stop();
          else await new Promise((r) => setTimeout(r, interval()));
        } catch (err) {
          if (++attempt >= ATTEMPTS) {
            console.error(`inbox push to ${member} failed`, err);
            stop();
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
    const slot = slotOf(member);
    slot.run = null;
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
