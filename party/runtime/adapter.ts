/**
 * What the runtime adapter does for every room kind, free of partyserver itself
 * (server.ts supplies the runtime's connections, storage and alarms): build the
 * room's host, start it once, check every socket's token again inside the room,
 * keep per-socket state where hibernation keeps it, validate room-to-room calls
 * against their schema before the room sees them, and turn anything a room
 * throws into a refusal in the one error shape, never a crash.
 */
import * as v from "valibot";
import { FRAMES_SUBPROTOCOL } from "../../protocol/chat";
import { CloseCode, type CloseFrame } from "../../protocol/errors";
import type { PartyName } from "../../protocol/ids";
import { ROUTES, refusal, type Answer, type Route } from "../../protocol/internal";
import { mayReachRoom, readAccess, type Identity } from "../domain/session";
import type { RoomConfig } from "./config";
import {
  encode,
  type CallRoom,
  type Caller,
  type FileStore,
  type RoomFactory,
  type RoomHost,
  type RoomLogic,
  type RoomStorage,
  type Socket,
  type SocketState,
} from "./host";
import { counters } from "./metrics";
import { errorFrame, refuse } from "./respond";

/** The runtime's view of one connection, as partyserver hands it over. */
export interface RawConnection {
  readonly id: string;
  readonly state: unknown;
  setState(state: SocketState): unknown;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface RuntimeParts {
  party: PartyName;
  roomId: string;
  config: RoomConfig;
  storage: RoomStorage;
  files: FileStore | null;
  call: CallRoom;
  /** Every open connection (read once per wake: the adapter keeps its own index after that). */
  connections(): Iterable<RawConnection>;
  waitUntil(work: Promise<unknown>): void;
  /** Sets the runtime alarm (the adapter keeps the earliest one asked for). */
  setAlarm(at: number): void;
  getAlarm(): Promise<number | null>;
  autoRespond(request: string, response: string): void;
  pingedAt(conn: RawConnection): number | null;
}

/** The subprotocol every app socket speaks; the access token rides beside it as `bearer.<token>`. */
export const SUBPROTOCOL = "conversas";
const BEARER_PREFIX = "bearer.";

/** The access token of a request: `Authorization: Bearer`, or the WebSocket subprotocol `bearer.<token>`. */
export function bearerOf(req: Request): string | null {
  const auth = req.headers.get("authorization");
  if (auth?.startsWith("Bearer ")) return auth.slice(7).trim();
  const protocols = req.headers.get("sec-websocket-protocol") ?? "";
  for (const p of protocols.split(",")) {
    const t = p.trim();
    if (t.startsWith(BEARER_PREFIX)) return t.slice(BEARER_PREFIX.length);
  }
  return null;
}

export function identify(req: Request, config: RoomConfig): Promise<Identity | null> {
  return readAccess(config.sessionSecret, bearerOf(req));
}

/** Whether a socket's upgrade offered FRAMES_SUBPROTOCOL. */
export function takesFrames(req: Request): boolean {
  return (req.headers.get("sec-websocket-protocol") ?? "").split(",").some((p) => p.trim() === FRAMES_SUBPROTOCOL);
}

/** The most text one `frames` frame carries; more goes in several (a runtime takes WebSocket messages up to 1 MiB). */
export const FRAMES_MAX_CHARS = 256 * 1024;

/** Encoded frames joined into as few `frames` frames as fit FRAMES_MAX_CHARS; a lone frame goes as it is. */
export function joinFrames(encoded: readonly string[]): string[] {
  const out: string[] = [];
  let group: string[] = [];
  let size = 0;
  const close = () => {
    if (group.length === 1) out.push(group[0]!);
    else if (group.length > 1) out.push(`{"type":"frames","frames":[${group.join(",")}]}`);
    group = [];
    size = 0;
  };
  for (const d of encoded) {
    if (group.length && size + d.length > FRAMES_MAX_CHARS) close();
    group.push(d);
    size += d.length + 1;
  }
  close();
  return out;
}

/** How long a socket asked to close may take before the room closes it itself. */
const CLOSE_GRACE_MS = 2_000;

/** Tags the runtime indexes sockets by, so a room finds one user's or one session's sockets without a scan. */
export const userTag = (userId: string) => `u:${userId}`;
export const sessionTag = (sid: string) => `s:${sid}`;

/** The tags a connection is found by, once the room knows who it is. */
function tagsOf(c: RawConnection): string[] {
  const who = (c.state as SocketState | null)?.who;
  return who ? [userTag(who.userId), sessionTag(who.sid)] : [];
}

export class AdapterCore<P extends PartyName> {
  readonly host: RoomHost;
  readonly logic: RoomLogic<P>;
  private started: Promise<void> | null = null;
  private wrapped = new WeakMap<object, Socket>();
  private nextAlarm: number | null = null;
  /**
   * The open connections this instance knows, and by user and session tag (issue 15: a broadcast or a
   * user's sockets without asking the runtime and decoding every socket's attachment each time). Filled
   * from the runtime on first use (a room woken from hibernation), then kept by connect and close.
   */
  private live: Map<RawConnection, Socket> | null = null;
  private readonly tagged = new Map<string, Set<RawConnection>>();

  constructor(
    private readonly parts: RuntimeParts,
    factory: RoomFactory<P>,
  ) {
    const open = () => this.liveSockets().values();
    this.host = {
      party: parts.party,
      id: parts.roomId,
      storage: parts.storage,
      files: parts.files,
      config: parts.config,
      *sockets() {
        for (const s of open()) if (s.admitted) yield s;
      },
      allSockets: open,
      socketsOf: (userId) => this.socketsTagged(userTag(userId)),
      socketsOfSession: (sid) => this.socketsTagged(sessionTag(sid)),
      call: parts.call,
      waitUntil: parts.waitUntil,
      wakeAt: (at) => this.wakeAt(at),
      now: () => Date.now(),
      autoRespond: parts.autoRespond,
    };
    this.logic = factory(this.host);
  }

  /** Sockets of one user (or session), admitted. */
  socketsTagged(tag: string): Socket[] {
    const live = this.liveSockets();
    const out: Socket[] = [];
    for (const c of this.tagged.get(tag) ?? []) {
      const s = live.get(c);
      if (s?.admitted) out.push(s);
    }
    return out;
  }

  /** A connection this instance has admitted and still holds, in a started room (server.ts: no per-message check). */
  holds(conn: object): boolean {
    return this.started !== null && this.live?.get(conn as RawConnection)?.admitted === true;
  }

  private liveSockets(): Map<RawConnection, Socket> {
    if (!this.live) {
      this.live = new Map();
      for (const c of this.parts.connections()) this.track(c);
    }
    return this.live;
  }

  private track(c: RawConnection): void {
    this.liveSockets().set(c, this.socketOf(c));
    for (const tag of tagsOf(c)) {
      let set = this.tagged.get(tag);
      if (!set) this.tagged.set(tag, (set = new Set()));
      set.add(c);
    }
  }

  private untrack(c: RawConnection): void {
    this.live?.delete(c);
    for (const tag of tagsOf(c)) {
      const set = this.tagged.get(tag);
      set?.delete(c);
      if (set?.size === 0) this.tagged.delete(tag);
    }
  }

  get isStarted(): boolean {
    return this.started !== null;
  }

  start(): Promise<void> {
    this.started ??= (async () => {
      counters.roomStarts += 1;
      this.nextAlarm = await this.parts.getAlarm();
      await this.logic.start();
    })().catch((err) => {
      this.started = null;
      throw err;
    });
    return this.started;
  }

  private socketOf(c: RawConnection): Socket {
    const known = this.wrapped.get(c);
    if (known) return known;
    const state = () => c.state as SocketState;
    const socket: Socket = {
      id: c.id,
      get identity() {
        return state().who;
      },
      get admitted() {
        return state()?.admitted === true;
      },
      admit: () => void c.setState({ ...state(), admitted: true }),
      get data() {
        return state()?.data ?? {};
      },
      setData: (patch) => void c.setState({ ...state(), data: { ...state().data, ...patch } }),
      send: (frame) => socket.sendEncoded(encode(frame)),
      sendEncoded: (d) => {
        try {
          c.send(d);
        } catch {
          /* the socket closed under us; close() cleans up */
        }
      },
      sendAll: (encoded) => {
        if (state()?.frames) for (const d of joinFrames(encoded)) socket.sendEncoded(d);
        else for (const d of encoded) socket.sendEncoded(d);
      },
      close: (code, reason) => {
        // A close the runtime starts itself completes only when the room next hibernates
        // (seconds later), so the app is asked to close from its side, which is at once
        // (protocol/errors.ts CloseFrame). Meanwhile the socket is out of the room: it gets
        // nothing and is heard no more; one that ignores the request is closed shortly after.
        const current = state();
        if (current?.closing) return;
        try {
          if (current) c.setState({ ...current, admitted: false, closing: code });
          c.send(encode({ type: "close", code, reason } satisfies CloseFrame));
        } catch {
          /* already closed */
        }
        setTimeout(() => {
          this.untrack(c);
          try {
            c.close(code, reason);
          } catch {
            /* closed by the client, as asked */
          }
        }, CLOSE_GRACE_MS);
      },
      pingedAt: () => this.parts.pingedAt(c),
    };
    this.wrapped.set(c, socket);
    return socket;
  }

  /**
   * Verifies the token again inside the room (defence in depth), then hands the socket to the room.
   * `frames`: the client offered FRAMES_SUBPROTOCOL (it takes several frames as one).
   */
  async connect(conn: RawConnection, who: Identity | null, frames = false): Promise<void> {
    if (!who || !mayReachRoom(who, this.parts.party, this.parts.roomId, this.parts.config.hubShards)) {
      conn.close(CloseCode.unauthorized, "unauthorized");
      return;
    }
    conn.setState({ who, admitted: false, data: {}, ...(frames ? { frames } : {}) });
    this.track(conn);
    await this.start();
    if (!this.logic.connect) {
      conn.close(CloseCode.forbidden, "no sockets here");
      return;
    }
    await this.logic.connect(this.socketOf(conn));
  }

  async message(conn: RawConnection, data: unknown): Promise<void> {
    const socket = this.socketOf(conn);
    const state = conn.state as SocketState | null;
    if (!state?.who || state.closing) return;
    if (typeof data !== "string") {
      socket.send(errorFrame("invalid_frame", "somente quadros de texto JSON", { field: "(raiz)" }));
      return;
    }
    // The runtime hands over a text frame that was not valid UTF-8 with U+FFFD in place of
    // the bad bytes; the app writes that character only as the JSON escape \ufffd, so a raw
    // one means invalid UTF-8: closed with 1007 (RFC 6455), nothing read.
    if (data.includes("\uFFFD")) {
      socket.close(CloseCode.invalidPayload, "texto UTF-8 inválido");
      return;
    }
    await this.start();
    try {
      await this.logic.message?.(socket, data);
    } catch (err) {
      console.error(`${this.parts.party}/${this.parts.roomId} frame`, err);
      socket.send(errorFrame("internal", "Erro interno; nada foi gravado. Tente de novo."));
    }
  }

  async closed(conn: RawConnection, code: number): Promise<void> {
    this.untrack(conn);
    if (!(conn.state as SocketState | null)?.who) return;
    await this.start();
    await this.logic.close?.(this.socketOf(conn), code);
  }

  async request(req: Request): Promise<Response> {
    await this.start();
    // Every refusal drains the body first: answering while it is unread leaves the stream to be read after
    // the response, which resets the client's connection (under wrangler dev, its next request gets a 503).
    if (!this.logic.request) return refuse(req, "not_found", "rota desconhecida");
    const caller: Caller = { identity: await identify(req, this.parts.config) };
    try {
      return await this.logic.request(req, caller);
    } catch (err) {
      console.error(`${this.parts.party}/${this.parts.roomId} request`, err);
      return refuse(req, "internal", "erro interno");
    }
  }

  /** A room-to-room call: the body is checked against its route's schema before the room's handler runs. */
  async rpc(route: Route, body: unknown): Promise<Answer<unknown>> {
    const spec = ROUTES[route];
    if (!spec || spec.party !== this.parts.party) return refusal("not_found", `rota desconhecida: ${String(route)}`);
    const parsed = v.safeParse(spec.body, body);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      return refusal("invalid_body", issue.message, v.getDotPath(issue) ?? "(raiz)");
    }
    await this.start();
    const handler = (this.logic.handlers as Record<string, (b: unknown) => Promise<Answer<unknown>> | Answer<unknown>>)[route];
    if (!handler) return refusal("not_found", `rota desconhecida: ${route}`);
    try {
      return await handler(parsed.output);
    } catch (err) {
      console.error(`${this.parts.party}/${this.parts.roomId} ${route}`, err);
      return refusal("internal", "erro interno");
    }
  }

  private wakeAt(at: number): void {
    if (this.nextAlarm !== null && this.nextAlarm <= at) return;
    this.nextAlarm = at;
    this.parts.setAlarm(at);
  }

  async alarm(): Promise<void> {
    this.nextAlarm = null;
    await this.start();
    await this.logic.alarm?.();
  }
}
