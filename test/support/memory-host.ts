/**
 * An in-memory host for unit tests of the rooms (as tldraw tests its room
 * through its own seams): real SQLite in memory (better-sqlite3, with the same
 * FTS5 the runtime has) behind our `RoomStorage` seam, a file store in a Map,
 * sockets that record what they are sent, room-to-room calls answered by the
 * other rooms of the same `MemoryWorld` (or by a test's stub), an alarm the test
 * fires, and a clock the test moves. No runtime, no network.
 *
 * It keeps the runtime's limits where they bite: at most 100 bound parameters
 * per statement, as Durable Object SQLite allows.
 */
import Database from "better-sqlite3";
import * as v from "valibot";
import { ROUTES, refusal, type Answer, type Route, type RouteBody, type RouteReply } from "../../protocol/internal";
import type { PartyName } from "../../protocol/ids";
import type { Identity } from "../../party/domain/session";
import { joinFrames } from "../../party/runtime/adapter";
import { readConfig, type RoomConfig } from "../../party/runtime/config";
import type { FileStore, LegacyStorage, RoomFactory, RoomHost, RoomLogic, RoomStorage, Socket, SqlValue } from "../../party/runtime/host";

const MAX_BINDINGS = 100;

export function memoryStorage(legacyData = new Map<string, unknown>()): RoomStorage & { db: Database.Database } {
  const db = new Database(":memory:");
  const prepared = new Map<string, Database.Statement>();
  const stmt = (q: string, b: SqlValue[]) => {
    if (b.length > MAX_BINDINGS) throw new Error(`${b.length} bound parameters; Durable Object SQLite allows ${MAX_BINDINGS}`);
    let s = prepared.get(q);
    if (!s) prepared.set(q, (s = db.prepare(q)));
    return s;
  };
  const legacy: LegacyStorage = {
    async list({ prefix = "", start, limit }) {
      const keys = [...legacyData.keys()].filter((k) => k.startsWith(prefix) && (start === undefined || k >= start)).sort();
      return new Map(keys.slice(0, limit).map((k) => [k, structuredClone(legacyData.get(k))]));
    },
    async get(keys) {
      return new Map(keys.filter((k) => legacyData.has(k)).map((k) => [k, structuredClone(legacyData.get(k))]));
    },
    async delete(keys) {
      for (const k of keys) legacyData.delete(k);
    },
  };
  return {
    db,
    all: <T>(q: string, ...b: SqlValue[]) => (stmt(q, b).reader ? (stmt(q, b).all(...b) as T[]) : (stmt(q, b).run(...b), [] as T[])),
    one: <T>(q: string, ...b: SqlValue[]) =>
      stmt(q, b).reader ? ((stmt(q, b).get(...b) as T | undefined) ?? null) : (stmt(q, b).run(...b), null),
    run: (q: string, ...b: SqlValue[]) => {
      const s = stmt(q, b);
      if (s.reader) {
        s.all(...b);
        return 0;
      }
      return s.run(...b).changes;
    },
    transaction: <T>(work: () => T) => db.transaction(work)(),
    legacy,
  };
}

export function memoryFiles(): FileStore & { objects: Map<string, { bytes: Uint8Array; contentType: string }> } {
  const objects = new Map<string, { bytes: Uint8Array; contentType: string }>();
  const toBytes = (b: ArrayBuffer | Uint8Array | string) =>
    typeof b === "string" ? new TextEncoder().encode(b) : b instanceof Uint8Array ? b.slice() : new Uint8Array(b.slice(0));
  return {
    objects,
    async put(key, body, meta) {
      objects.set(key, { bytes: toBytes(body), contentType: meta.contentType });
    },
    async get(key, range) {
      const o = objects.get(key);
      if (!o) return null;
      const part = range ? o.bytes.slice(range.offset, range.offset + range.length) : o.bytes;
      return { body: new Blob([part as Uint8Array<ArrayBuffer>]).stream(), size: o.bytes.byteLength };
    },
    async bytes(key) {
      const o = objects.get(key);
      return o ? (o.bytes.slice().buffer as ArrayBuffer) : null;
    },
    async exists(key) {
      return objects.has(key);
    },
    async delete(keys) {
      for (const k of keys) objects.delete(k);
    },
  };
}

/** A socket that records what it is sent and how it was closed. */
export type MemorySocket = Socket & { sent: string[]; frames(): any[]; closedWith: { code: number; reason: string } | null };

export const TEST_CONFIG: RoomConfig = readConfig({
  CONVERSAS_SESSION_SECRET: "memory-host-session-secret",
  CONVERSAS_ADMIN_KEY: "memory-host-admin-key",
  CONVERSAS_RATE_SEND: "1000000/1000000",
  CONVERSAS_RATE_READ: "1000000/1000000",
});

/** A test's answer to a room-to-room call: the route's own body in, its own reply out (a stale shape does not compile). */
export type Stub<R extends Route> = (roomId: string, body: RouteBody<R>) => Answer<RouteReply<R>> | Promise<Answer<RouteReply<R>>>;
type Stubs = {
  set<R extends Route>(route: R, stub: Stub<R>): Stubs;
  get<R extends Route>(route: R): Stub<R> | undefined;
  delete(route: Route): boolean;
};

/** Rooms of several kinds that call each other, all in memory, with one clock. */
export class MemoryWorld {
  now = 1_800_000_000_000;
  readonly rooms = new Map<string, MemoryRoom<PartyName>>();
  readonly files = memoryFiles();
  /** Calls the test answers itself (a party with no factory here), by route, typed by the route's reply. */
  readonly stubs = new Map() as unknown as Stubs;
  readonly calls: { route: string; roomId: string; body: unknown }[] = [];

  constructor(
    readonly factories: Partial<Record<PartyName, RoomFactory<any>>>,
    readonly config: RoomConfig = TEST_CONFIG,
  ) {}

  room<P extends PartyName>(party: P, id: string): MemoryRoom<P> {
    const key = `${party}/${id}`;
    let r = this.rooms.get(key) as MemoryRoom<P> | undefined;
    if (!r) {
      const factory = this.factories[party];
      if (!factory) throw new Error(`no room factory for ${party}`);
      r = new MemoryRoom<P>(this, party, id, factory as RoomFactory<P>);
      this.rooms.set(key, r as unknown as MemoryRoom<PartyName>);
    }
    return r;
  }

  async call<R extends Route>(route: R, roomId: string, body: RouteBody<R>): Promise<Answer<RouteReply<R>>> {
    this.calls.push({ route, roomId, body });
    const stub = this.stubs.get(route);
    if (stub) return (await stub(roomId, body)) as Answer<RouteReply<R>>;
    const party = ROUTES[route].party;
    if (!this.factories[party]) return refusal("unavailable", `sem sala ${party} neste teste`) as Answer<RouteReply<R>>;
    return (await this.room(party, roomId).rpc(route, body)) as Answer<RouteReply<R>>;
  }

  /** Lets every pending promise (fan-out, background work) run. */
  async settle(rounds = 20): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await Promise.all([...this.rooms.values()].map((r) => r.idle()));
      await new Promise((r) => setImmediate(r));
    }
  }
}

export class MemoryRoom<P extends PartyName> {
  readonly storage: ReturnType<typeof memoryStorage>;
  readonly logic: RoomLogic<P>;
  readonly host: RoomHost;
  private readonly open = new Map<
    string,
    { socket: MemorySocket; state: { who: Identity; admitted: boolean; closing?: number; data: Record<string, any> } }
  >();
  private pending = new Set<Promise<unknown>>();
  private started: Promise<void> | null = null;
  alarmAt: number | null = null;
  private nextSocket = 0;

  constructor(
    readonly world: MemoryWorld,
    readonly party: P,
    readonly id: string,
    factory: RoomFactory<P>,
    legacyData?: Map<string, unknown>,
  ) {
    this.storage = memoryStorage(legacyData);
    const room = this;
    const tagged = (pred: (who: Identity) => boolean) =>
      [...room.open.values()].filter((o) => o.state.admitted && !o.state.closing && pred(o.state.who)).map((o) => o.socket);
    this.host = {
      party,
      id,
      storage: this.storage,
      files: world.files,
      config: world.config,
      *sockets() {
        for (const o of room.open.values()) if (o.state.admitted && !o.state.closing) yield o.socket;
      },
      *allSockets() {
        for (const o of room.open.values()) yield o.socket;
      },
      socketsOf: (userId) => tagged((w) => w.userId === userId),
      socketsOfSession: (sid) => tagged((w) => w.sid === sid),
      call: (route, roomId, body) => world.call(route, roomId, body),
      waitUntil: (work) => {
        const p = work.catch((err) => console.error(`${party}/${id}`, err)).finally(() => room.pending.delete(p));
        room.pending.add(p);
      },
      wakeAt: (at) => {
        if (room.alarmAt === null || at < room.alarmAt) room.alarmAt = at;
      },
      now: () => world.now,
      autoRespond: () => undefined,
    };
    this.logic = factory(this.host);
  }

  start(): Promise<void> {
    this.started ??= Promise.resolve(this.logic.start());
    return this.started;
  }

  /** Opens a socket for `who`, as the adapter would after the edge let it through; `frames`: it offered FRAMES_SUBPROTOCOL. */
  async connect(who: Identity, { frames = false }: { frames?: boolean } = {}): Promise<MemorySocket> {
    await this.start();
    const id = `s${++this.nextSocket}`;
    const state = { who, admitted: false, data: {} as Record<string, any> };
    const sent: string[] = [];
    const socket: MemorySocket = {
      id,
      identity: who,
      get admitted() {
        return state.admitted;
      },
      admit: () => void (state.admitted = true),
      get data() {
        return state.data;
      },
      setData: (patch) => void Object.assign(state.data, patch),
      send: (frame) => void (!socket.closedWith && sent.push(JSON.stringify(frame))),
      sendEncoded: (d) => void (!socket.closedWith && sent.push(d)),
      sendAll: (encoded) => {
        for (const d of frames ? joinFrames(encoded) : encoded) socket.sendEncoded(d);
      },
      close: (code, reason) => {
        if (socket.closedWith) return;
        (state as { closing?: number }).closing = code;
        sent.push(JSON.stringify({ type: "close", code, reason }));
        socket.closedWith = { code, reason };
        this.open.delete(id);
        void this.logic.close?.(socket, code);
      },
      pingedAt: () => null,
      sent,
      // What the client handles: a `frames` frame is the frames it holds, in order (`sent` keeps the wire as it was).
      frames: () =>
        sent.flatMap((d) => {
          const f = JSON.parse(d);
          return f.type === "frames" ? f.frames : [f];
        }),
      closedWith: null,
    };
    this.open.set(id, { socket, state });
    await this.logic.connect?.(socket);
    return socket;
  }

  async message(socket: MemorySocket, frame: unknown): Promise<void> {
    await this.start();
    await this.logic.message?.(socket, typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The client goes away (a tab closed, a network drop). */
  async disconnect(socket: MemorySocket, code = 1001): Promise<void> {
    if (!this.open.delete(socket.id)) return;
    socket.closedWith = { code, reason: "" };
    await this.logic.close?.(socket, code);
  }

  async rpc<R extends Route>(route: R, body: unknown): Promise<Answer<RouteReply<R>>> {
    await this.start();
    const parsed = v.safeParse(ROUTES[route].body, body);
    if (!parsed.success)
      return refusal("invalid_body", parsed.issues[0].message, v.getDotPath(parsed.issues[0]) ?? "(raiz)") as Answer<RouteReply<R>>;
    const handler = (this.logic.handlers as Record<string, (b: unknown) => unknown>)[route];
    if (!handler) return refusal("not_found", route) as Answer<RouteReply<R>>;
    return (await handler(parsed.output)) as Answer<RouteReply<R>>;
  }

  async request(req: Request, identity: Identity | null = null): Promise<Response> {
    await this.start();
    return this.logic.request!(req, { identity });
  }

  /** Fires the room's alarm if it is due at the world's clock. */
  async fireAlarm(): Promise<boolean> {
    if (this.alarmAt === null || this.alarmAt > this.world.now) return false;
    this.alarmAt = null;
    await this.logic.alarm?.();
    return true;
  }

  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}
