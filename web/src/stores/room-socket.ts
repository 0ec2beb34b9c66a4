/**
 * One WebSocket to one room (`/parties/<party>/<room>`) through partysocket,
 * which reconnects with backoff. The access token rides in the subprotocol
 * (`conversas`, `bearer.<token>`), read again on every reconnection, never in
 * the address. Nothing is queued here: what must survive a disconnection lives
 * in the outbox and is resent on `chat.ready`.
 *
 * The server says `{type:"close", code}` before it closes a socket; the socket
 * is closed from here at once. 4001 (the session is not valid) renews the access
 * token once and reconnects — a second 4001 with the renewed token, or a refused
 * renewal, signs out here with a message; 4010 (the user was disabled) signs out;
 * 4003 (forbidden) stops retrying and tells the owner. Any other close (1008
 * after abuse, 1007, a restart) reconnects with a growing wait.
 *
 * The hub socket is also this tab's presence (R5): it pings every
 * PRESENCE_PING_MS (the runtime answers without waking the room), answers the
 * room's `presence.check` at once (a hidden tab's timers may run only once a
 * minute; its message handlers are not held back), and says `presence.leave` on
 * `pagehide`, so closing the last tab goes off-line at once.
 */
import PartySocket from "partysocket";
import { CloseCode, type CloseFrame } from "../../../protocol/errors";
import { PRESENCE_PING, PRESENCE_PING_MS } from "../../../protocol/hub";
import type { PublicParty } from "../../../protocol/ids";
import { t } from "../i18n";
import { encodeFrame, framesOf, socketProtocols } from "../model/wire";
import { reportSocket } from "./connection";
import { currentToken, renewSession, session, signOut, verifySession } from "./session";

/** Closes after which this socket does not reconnect by itself. */
const STOPS: number[] = [CloseCode.unauthorized, CloseCode.forbidden, CloseCode.disabled];

export type RoomSocket = { send(frame: object): boolean; isOpen(): boolean; close(): void };

export function openRoomSocket(opts: {
  party: PublicParty;
  room: string;
  /** Key under which the socket's state is shown in the connection pill. */
  key: string;
  onFrame(frame: { type?: unknown }): void;
  onOpen?(): void;
  onDrop?(): void;
  /** The room refused this user (4003): the socket stays closed. */
  onRefused?(code: number): void;
}): RoomSocket {
  let opened = false;
  let closed = false;
  /** The token the current connection offered. */
  let offered: string | null = null;
  /** A token renewed because of a 4001: refused again, the session is over. */
  let renewedAfterRefusal: string | null = null;
  /** Closes the server asked for in a row, for the wait before reconnecting. */
  let asked = 0;
  /**
   * The code of the close frame this side acted on. partysocket 1.3 re-creates
   * the close event for its listeners with `new e.constructor(e.type, e)`, which
   * for its own CloseEvent (made when this side closes) turns the code into
   * "close": the server's code is taken from its frame instead.
   */
  let frameCode: number | null = null;
  let resume: ReturnType<typeof setTimeout> | undefined;

  const ws = new PartySocket({
    host: location.host,
    protocol: location.protocol === "https:" ? "wss" : "ws",
    party: opts.party,
    room: opts.room,
    protocols: () => {
      offered = currentToken();
      return socketProtocols(offered);
    },
    maxEnqueuedMessages: 0,
    minReconnectionDelay: 300 + Math.random() * 700,
    maxReconnectionDelay: 8_000,
    shouldReconnectOnClose: (e) => !STOPS.includes(e.code),
  });
  reportSocket(opts.key, "connecting");
  const reconnectIn = (ms: number) => {
    clearTimeout(resume);
    resume = setTimeout(() => !closed && ws.reconnect(), ms);
  };
  const onOnline = () => ws.reconnect();
  addEventListener("online", onOnline);
  const sendRaw = (text: string) => ws.readyState === ws.OPEN && ws.send(text);
  const send = (frame: object) => sendRaw(encodeFrame(frame));
  const presence = opts.party === "hub";
  const ping = presence ? setInterval(() => sendRaw(PRESENCE_PING), PRESENCE_PING_MS) : undefined;
  const onPageHide = () => send({ type: "presence.leave" });
  // A page restored from the back/forward cache comes back: say so before the next ping.
  const onPageShow = (e: PageTransitionEvent) => e.persisted && sendRaw(PRESENCE_PING);
  if (presence) {
    addEventListener("pagehide", onPageHide);
    addEventListener("pageshow", onPageShow);
  }

  /** 4001: renew once and come back, unless the renewed token was refused too. */
  async function afterUnauthorized() {
    const used = offered;
    if (used !== null && used === renewedAfterRefusal) return signOut(t.sessionEnded);
    // Another tab renewed or signed in meanwhile: its token is worth a try as it is.
    const current = currentToken();
    const next = current !== null && current !== used ? current : ((await renewSession())?.token ?? null);
    if (closed || !session.peek()) return;
    if (next !== null && next !== used) {
      renewedAfterRefusal = next;
      reconnectIn(0);
    } else reconnectIn(5_000);
  }

  /** The server is about to close this socket: close from here now (browsers may only send 1000 and 3000–4999). */
  function onCloseFrame(frame: CloseFrame) {
    frameCode = frame.code;
    if (STOPS.includes(frame.code)) return ws.close(frame.code, frame.reason);
    asked += 1;
    ws.close(1000, "closing as asked");
    // Abuse (1008) waits longer each time; a restart or a bad frame comes back soon.
    reconnectIn(frame.code === CloseCode.policy ? Math.min(30_000, 1_000 * 2 ** asked) : 300 + Math.random() * 700);
  }

  ws.addEventListener("open", () => {
    // A close frame whose socket never fired its close event must not speak for this connection.
    frameCode = null;
    opened = true;
    reportSocket(opts.key, "open");
    opts.onOpen?.();
  });
  ws.addEventListener("message", (e) => {
    if (typeof e.data !== "string") return;
    let frames: { type?: unknown }[];
    try {
      frames = framesOf(JSON.parse(e.data) as { type?: unknown });
    } catch (err) {
      return console.error("frame", err);
    }
    // Several frames may come as one (a batch of sends): each is handled as if it came alone, in order.
    for (const frame of frames)
      try {
        if (frame.type === "close") return onCloseFrame(frame as CloseFrame);
        if (frame.type === "presence.pong") continue;
        if (presence && frame.type === "presence.check") {
          sendRaw(PRESENCE_PING);
          continue;
        }
        // A frame that is not a close: the connection is healthy again.
        asked = 0;
        opts.onFrame(frame);
      } catch (err) {
        console.error("frame", err);
      }
  });
  ws.addEventListener("close", (e) => {
    const byFrame = frameCode !== null;
    const code = frameCode ?? (typeof e.code === "number" ? e.code : 1006);
    frameCode = null;
    if (closed) return;
    opts.onDrop?.();
    if (code === CloseCode.disabled) return signOut(t.accountDisabled);
    if (code === CloseCode.forbidden) {
      reportSocket(opts.key, null);
      opts.onRefused?.(code);
      return;
    }
    reportSocket(opts.key, opened ? "reconnecting" : "connecting");
    if (code === CloseCode.unauthorized) return void afterUnauthorized();
    // A refused upgrade (401, an expired token) looks like any dropped socket from here.
    if (!byFrame) void verifySession();
  });

  return {
    send,
    isOpen: () => ws.readyState === ws.OPEN,
    close() {
      closed = true;
      clearTimeout(resume);
      removeEventListener("online", onOnline);
      clearInterval(ping);
      removeEventListener("pagehide", onPageHide);
      removeEventListener("pageshow", onPageShow);
      reportSocket(opts.key, null);
      ws.close(1000, "closed by client");
    },
  };
}
