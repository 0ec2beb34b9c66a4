/**
 * A conversation room's fan-out to its members' user rooms (R6 conversation
 * list): after a message is stored, or deleted, each member's inbox gets the
 * chat's summary with its newest message. One call is in flight per member;
 * during a burst, later messages coalesce and at most one push per interval
 * carries the newest, since each push is a room-to-room call.
 */
import { userRoomId, type ConversationSummary, type Message } from "../../protocol";
import { previewOf } from "../domain/chat";
import type { RoomHost } from "./host";

const BURST_INTERVAL_MS = 50;
const ATTEMPTS = 5;

export type ChatInboxContext = { host: RoomHost; tenant: string; chatId: string; members(): string[] };

export function chatInbox({ host, tenant, chatId, members }: ChatInboxContext) {
  /** Members whose user room already knows this chat (since this instance started). */
  const registered = new Set<string>();
  const slots = new Map<string, { latest: Message | null; running: boolean }>();

  function summaryFor(member: string, last: Message | null): ConversationSummary {
    const peerId = members().find((m) => m !== member) ?? member;
    return { chatId, kind: "direct", peerId, lastMessage: last ? previewOf(last) : null };
  }

  /** A newer seq, or the deletion of the same seq, replaces what is waiting to go. */
  function supersedes(next: Message | null, current: Message | null): boolean {
    if (!current) return true;
    return !!next && (next.seq > current.seq || (next.seq === current.seq && !!next.deleted));
  }

  function push(member: string, last: Message | null) {
    let slot = slots.get(member);
    if (!slot) slots.set(member, (slot = { latest: null, running: false }));
    if (supersedes(last, slot.latest)) slot.latest = last;
    if (slot.running) return;
    slot.running = true;
    const s = slot;
    const run = async () => {
      for (let attempt = 0; s.running;) {
        const sending = s.latest;
        try {
          const res = await host.call("user", userRoomId(tenant, member), "/inbox", {
            method: "POST",
            body: JSON.stringify({ conversation: summaryFor(member, sending) }),
          });
          if (!res.ok) throw new Error(`user room answered ${res.status}`);
          registered.add(member);
          attempt = 0;
          if (s.latest === sending) s.running = false;
          else await new Promise((r) => setTimeout(r, BURST_INTERVAL_MS));
        } catch (err) {
          if (++attempt >= ATTEMPTS) {
            console.error(`inbox push to ${member} failed`, err);
            s.running = false;
          } else await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        }
      }
    };
    host.waitUntil(run());
  }

  return { push, knows: (member: string) => registered.has(member) };
}
