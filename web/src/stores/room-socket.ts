/**
 * One WebSocket to one room (`/parties/<party>/<room>?token=…`) through
 * partysocket, which reconnects with backoff. The token is read again on every
 * reconnection; refusals (4001/4003/4010) stop the retries. Nothing is queued
 * here: what must survive a disconnection lives in the outbox and is resent on
 * `chat.ready`.
 *
 * A socket to the user's own room is also this tab's presence (R5): it pings every
 * PRESENCE_PING_MS and answers the room's `presence.check` at once (a hidden tab's
 * timers may run only once a minute; its message handlers are not held back; the
 * room closes sockets silent for three pings), and says
 * `presence.leave` on `pagehide`, so closing the last tab goes off-line at once
 * instead of after the grace period. Every socket to that room does it (the
 * inbox's and the calls tab's), since each one counts as a connection.
 */
import PartySocket from "partysocket";
import { CloseCode, PRESENCE_PING_MS } from "../../../protocol/frames";
import type { PartyName } from "../../../protocol/ids";
import { reportSocket } from "./connection";
import { currentToken, verifySession } from "./session";

const REFUSALS: number[] = [CloseCode.unauthorized, CloseCode.forbidden, CloseCode.disabled];

export type RoomSocket = { send(frame: object): boolean; isOpen(): boolean; close(): void };

export function openRoomSocket(opts: {
  party: PartyName;
  room: string;
  /** Key under which the socket's state is shown in the connection pill. */
  key: string;
  onFrame(frame: { type?: unknown }): void;
  onOpen?(): void;
  onDrop?(): void;
  onRefused?(code: number): void;
}): RoomSocket {
  let opened = false;
  let closed = false;
  const ws = new PartySocket({
    host: location.host,
    protocol: location.protocol === "https:" ? "wss" : "ws",
    party: opts.party,
    room: opts.room,
    query: () => ({ token: currentToken() }),
    maxEnqueuedMessages: 0,
    minReconnectionDelay: 300 + Math.random() * 700,
    maxReconnectionDelay: 8_000,
    shouldReconnectOnClose: (e) => !REFUSALS.includes(e.code),
  });
  reportSocket(opts.key, "connecting");
  const onOnline = () => ws.reconnect();
  addEventListener("online", onOnline);
  const send = (frame: object) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(frame));
  const presence = opts.party === "user";
  const ping = presence ? setInterval(() => send({ type: "presence.ping" }), PRESENCE_PING_MS) : undefined;
  const onPageHide = () => send({ type: "presence.leave" });
  // A page restored from the back/forward cache comes back: say so before the next ping.
  const onPageShow = (e: PageTransitionEvent) => e.persisted && send({ type: "presence.ping" });
  if (presence) {
    addEventListener("pagehide", onPageHide);
    addEventListener("pageshow", onPageShow);
  }

  ws.addEventListener("open", () => {
    opened = true;
    reportSocket(opts.key, "open");
    opts.onOpen?.();
  });
  ws.addEventListener("message", (e) => {
    if (typeof e.data !== "string") return;
    try {
      const frame = JSON.parse(e.data) as { type?: unknown };
      if (presence && frame.type === "presence.check") return void send({ type: "presence.ping" });
      opts.onFrame(frame);
    } catch (err) {
      console.error("frame", err);
    }
  });
  ws.addEventListener("close", (e) => {
    if (closed) return;
    opts.onDrop?.();
    if (REFUSALS.includes(e.code)) {
      reportSocket(opts.key, null);
      opts.onRefused?.(e.code);
      return;
    }
    reportSocket(opts.key, opened ? "reconnecting" : "connecting");
    // A refused upgrade (401/403) looks like any dropped socket from here.
    void verifySession();
  });

  return {
    send,
    isOpen: () => ws.readyState === ws.OPEN,
    close() {
      closed = true;
      removeEventListener("online", onOnline);
      clearInterval(ping);
      removeEventListener("pagehide", onPageHide);
      removeEventListener("pageshow", onPageShow);
      reportSocket(opts.key, null);
      ws.close(1000, "closed by client");
    },
  };
}
