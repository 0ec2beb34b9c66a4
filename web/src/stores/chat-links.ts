/**
 * Sockets to chat rooms: one for the open chat, plus one for every other chat
 * that still has messages in the outbox, until they are delivered. On each
 * `chat.ready` a link resends that chat's pending messages in order (the room is
 * idempotent by clientId, so a resend never duplicates); acks and per-message
 * errors settle the outbox; every frame then goes to the open-chat store. A
 * `rate_limited` answer is not a failure: the link waits what the room said and
 * resends what is still pending, and the user is told to slow down.
 */
import type { ChatServerFrame } from "../../../protocol/chat";
import { chatRoomId } from "../../../protocol/ids";
import { pendingFor, sendFrame } from "../model/outbox";
import { t } from "../i18n";
import { Listeners, type Stop } from "./lifetime";
import { showNotice } from "./notice";
import { outbox, updateOutbox } from "./outbox";
import { openRoomSocket, type RoomSocket } from "./room-socket";
import type { Session } from "./session";

type Link = {
  socket: RoomSocket;
  ready: boolean;
  lastError: string | null;
  /** A resend waiting out the room's `rate_limited` answer. */
  resend?: ReturnType<typeof setTimeout>;
};

const links = new Map<string, Link>();
/** Chats whose room refused us this session: not retried until the session changes. */
const refused = new Set<string>();
/** Whose links these are (`tenant|user`): a renewed access token keeps them; another person closes them. */
let linkedTo: string | null = null;
const listeners = new Listeners<(chatId: string, frame: ChatServerFrame) => void>();
const deliver = (chatId: string, frame: ChatServerFrame) => listeners.emit(chatId, frame);

/** Where frames go once the outbox has seen them (the open-chat store, read marks), in the order registered; returns the way to stop. */
export function onChatFrame(callback: (chatId: string, frame: ChatServerFrame) => void): Stop {
  return listeners.add(callback);
}

function resendPending(chatId: string, link: Link) {
  for (const entry of pendingFor(outbox.peek(), chatId)) link.socket.send(sendFrame(entry));
}

function handle(chatId: string, link: Link, frame: ChatServerFrame) {
  if (frame.type === "chat.ready") {
    link.ready = true;
    deliver(chatId, frame);
    resendPending(chatId, link);
    return;
  }
  if (frame.type === "message.ack") updateOutbox({ type: "ack", clientId: frame.clientId });
  if (frame.type === "error" && frame.code === "rate_limited") {
    // Too much too fast: nothing failed. Wait as asked, then send again what is still pending (idempotent by clientId).
    showNotice(t.rateLimited);
    if (link.resend === undefined)
      link.resend = setTimeout(
        () => {
          link.resend = undefined;
          if (link.ready) resendPending(chatId, link);
        },
        Math.max(200, frame.retryAfterMs ?? 1_000),
      );
    if (frame.clientId) return;
  } else if (frame.type === "error") {
    link.lastError = frame.message;
    if (frame.clientId) updateOutbox({ type: "fail", clientId: frame.clientId, error: frame.message });
  }
  deliver(chatId, frame);
}

function open(s: Session, chatId: string): Link {
  const link: Link = { socket: null as unknown as RoomSocket, ready: false, lastError: null };
  link.socket = openRoomSocket({
    party: "chat",
    room: chatRoomId(s.tenant, chatId),
    key: `chat:${chatId}`,
    onFrame: (frame) => handle(chatId, link, frame as ChatServerFrame),
    onDrop: () => (link.ready = false),
    // 4003: not a member (any more). The session's own refusals (4001, 4010) are room-socket.ts's.
    onRefused: () => {
      clearTimeout(link.resend);
      links.delete(chatId);
      refused.add(chatId);
      const why = link.lastError ?? t.chatClosed;
      for (const e of pendingFor(outbox.peek(), chatId)) updateOutbox({ type: "fail", clientId: e.clientId, error: why });
      deliver(chatId, { type: "error", code: "forbidden", message: why });
    },
  });
  return link;
}

function close(link: Link) {
  clearTimeout(link.resend);
  link.socket.close();
}

/** Keeps exactly the wanted links open for this session. */
export function syncLinks(s: Session | null, wanted: ReadonlySet<string>): void {
  const who = s ? `${s.tenant}|${s.user.id}` : null;
  if (who !== linkedTo) {
    for (const link of links.values()) close(link);
    links.clear();
    refused.clear();
    linkedTo = who;
  }
  if (!s) return;
  for (const [chatId, link] of links) {
    if (!wanted.has(chatId)) {
      close(link);
      links.delete(chatId);
    }
  }
  for (const chatId of wanted) if (!links.has(chatId) && !refused.has(chatId)) links.set(chatId, open(s, chatId));
}

/** A group the user was added back to: its earlier refusal no longer holds. */
export function forgetRefusal(chatId: string): void {
  refused.delete(chatId);
}

/** Sends a frame if the chat's room is connected and ready; false otherwise (the caller's state says what is owed). */
export function sendToChat(chatId: string, frame: object): boolean {
  const link = links.get(chatId);
  return !!link?.ready && link.socket.send(frame);
}

export function isChatReady(chatId: string): boolean {
  return !!links.get(chatId)?.ready;
}
