/**
 * The seams between room logic and the runtime (as tldraw's TLSyncRoom sees
 * sockets and storage through small interfaces of its own). The Workers adapter
 * (server.ts, on partyserver and SQLite-backed Durable Objects) implements them;
 * the rooms never import the runtime, and unit tests run rooms on the in-memory
 * host of test/support/memory-host.ts.
 */
import type { PartyName } from "../../protocol/ids";
import type { Route, RouteBody, RouteReply, RoutesOf, Answer } from "../../protocol/internal";
import type { ChatServerFrame } from "../../protocol/chat";
import type { CloseFrame } from "../../protocol/errors";
import type { HubServerFrame } from "../../protocol/hub";
import type { Identity } from "../domain/session";
import type { RoomConfig } from "./config";

export type SqlValue = string | number | null | ArrayBuffer;
export type Row = Record<string, SqlValue>;

/**
 * A room's own SQLite database (one per room, synchronous, each statement
 * atomic). Queries bind every value (`?`), never interpolate.
 */
export interface RoomStorage {
  /** Every row of a statement. */
  all<T = Row>(query: string, ...bindings: SqlValue[]): T[];
  /** The first row, or null. */
  one<T = Row>(query: string, ...bindings: SqlValue[]): T | null;
  /** Runs a statement; returns how many rows it wrote. */
  run(query: string, ...bindings: SqlValue[]): number;
  /** Runs `work` as one transaction: all of it is stored, or none. */
  transaction<T>(work: () => T): T;
  /** The key-value store earlier versions wrote to, read once to migrate (see each room's schema.ts). */
  readonly legacy: LegacyStorage;
}

export interface LegacyStorage {
  list(options: { prefix?: string; start?: string; limit: number }): Promise<Map<string, unknown>>;
  get(keys: string[]): Promise<Map<string, unknown>>;
  delete(keys: string[]): Promise<void>;
}

/** A stored object's bytes, whole or a range. */
export type StoredFile = { body: ReadableStream<Uint8Array>; size: number };

/** Where file bytes live (R2 in production). Keys are the rooms' own (domain/files.ts `fileKey`). */
export interface FileStore {
  put(key: string, body: ArrayBuffer | Uint8Array | string, meta: { contentType: string; custom?: Record<string, string> }): Promise<void>;
  get(key: string, range?: { offset: number; length: number }): Promise<StoredFile | null>;
  /** The whole object as bytes (copies, transcripts), or null. */
  bytes(key: string): Promise<ArrayBuffer | null>;
  exists(key: string): Promise<boolean>;
  delete(keys: string[]): Promise<void>;
}

/** Per-socket state the runtime keeps with the socket (it survives hibernation; under 2 KB). */
export type SocketState = {
  who: Identity;
  admitted: boolean;
  /** Set once the room has asked the socket to close (with this code): it gets and hears nothing more. */
  closing?: number;
  /** The client offered protocol/chat.ts FRAMES_SUBPROTOCOL: it takes several frames sent as one. */
  frames?: boolean;
  data: Record<string, string | number | boolean | null>;
};

/** Every frame a room sends a client (protocol/chat.ts, protocol/hub.ts, protocol/errors.ts). */
export type ServerFrame = ChatServerFrame | HubServerFrame | CloseFrame;

/** The one place frames become text; a fan-out encodes once and sends the text to many sockets. */
export function encode(frame: ServerFrame): string {
  return JSON.stringify(frame);
}

/** A connected client, already authenticated by the edge and again by the adapter. */
export interface Socket {
  readonly id: string;
  readonly identity: Identity;
  /** Set by the room once it has checked membership; only admitted sockets are listed by `RoomHost.sockets()`. */
  readonly admitted: boolean;
  admit(): void;
  /** Small room-specific values kept with the socket across hibernation. */
  readonly data: SocketState["data"];
  setData(patch: SocketState["data"]): void;
  send(frame: ServerFrame): void;
  /** A frame already encoded (`encode`), sent as it is: a fan-out encodes once for every socket. */
  sendEncoded(data: string): void;
  /** Frames already encoded, in order: as one `frames` frame when the client takes them so, else one by one. */
  sendAll(encoded: readonly string[]): void;
  close(code: number, reason: string): void;
  /** When the runtime last answered this socket's ping by itself (RoomHost.autoRespond), or null. */
  pingedAt(): number | null;
}

/** Calls another room through the typed routes of protocol/internal.ts. */
export type CallRoom = <R extends Route>(route: R, roomId: string, body: RouteBody<R>) => Promise<Answer<RouteReply<R>>>;

export interface RoomHost {
  readonly party: PartyName;
  readonly id: string;
  readonly storage: RoomStorage;
  readonly files: FileStore | null;
  readonly config: RoomConfig;
  /** Open sockets that the room has admitted. */
  sockets(): Iterable<Socket>;
  /** Every open socket, admitted or not. */
  allSockets(): Iterable<Socket>;
  /** One user's admitted sockets (found through the runtime's index, not a scan). */
  socketsOf(userId: string): Socket[];
  /** One session's admitted sockets. */
  socketsOfSession(sid: string): Socket[];
  call: CallRoom;
  /** Keeps background work (fan-out to other rooms) alive after the event. */
  waitUntil(work: Promise<unknown>): void;
  /** Asks for `alarm()` to run at `at` (epoch ms) or earlier; an alarm survives hibernation, a timer does not. */
  wakeAt(at: number): void;
  now(): number;
  /** Lets the runtime answer `request` with `response` without waking the room (hibernation-friendly pings). */
  autoRespond(request: string, response: string): void;
}

/** HTTP into a room from outside (files, transcripts): the caller as the edge and the adapter read it. */
export type Caller = { identity: Identity | null };

export type Handlers<P extends PartyName> = {
  [R in RoutesOf<P>]: (body: RouteBody<R>) => Promise<Answer<RouteReply<R>>> | Answer<RouteReply<R>>;
};

/** What every room kind implements; the adapter routes runtime events here. */
export interface RoomLogic<P extends PartyName = PartyName> {
  /** Loads what the room keeps in memory; runs before any other event (again after hibernation). */
  start(): Promise<void> | void;
  /** A socket whose token the adapter has verified; the room admits or closes it. */
  connect?(socket: Socket): Promise<void> | void;
  message?(socket: Socket, data: string): Promise<void> | void;
  close?(socket: Socket, code: number): Promise<void> | void;
  request?(req: Request, caller: Caller): Promise<Response>;
  alarm?(): Promise<void> | void;
  /** The room's answers to room-to-room calls, one handler per route of its party. */
  readonly handlers: Handlers<P>;
}

export type RoomFactory<P extends PartyName = PartyName> = (host: RoomHost) => RoomLogic<P>;
