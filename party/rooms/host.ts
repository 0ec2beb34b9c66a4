/**
 * The two seams between room logic and a runtime (as tldraw's TLSyncRoom sees
 * sockets and storage through small interfaces). The PartyKit adapter
 * (party/partykit) and the Workers/partyserver adapter (party/workers) each
 * implement them in a few lines; the rooms never import either runtime.
 */
import type { PartyName } from "../../protocol";
import type { Identity } from "../domain/session";
import type { RoomConfig } from "./config";

/** A connected client, already authenticated by the room. */
export interface Socket {
  readonly id: string;
  readonly identity: Identity;
  /**
   * Set by the room once it has checked membership; only admitted sockets are
   * listed by `RoomHost.sockets()`, so nothing is broadcast to a caller before.
   */
  admitted: boolean;
  send(data: string): void;
  close(code: number, reason: string): void;
}

/** The subset of Durable Object storage the rooms use (identical on both runtimes). */
export type Storage = Pick<DurableObjectStorage, "get" | "put" | "delete" | "list" | "transaction">;

export interface RoomHost {
  readonly id: string;
  readonly storage: Storage;
  readonly config: RoomConfig;
  /** Open sockets that the room has admitted. */
  sockets(): Iterable<Socket>;
  /** Calls another room over HTTP (path starts with "/"); carries a service token. */
  call(party: PartyName, roomId: string, path: string, init?: RequestInit): Promise<Response>;
  /** The R2 bucket for files (binding FILES), when the runtime provides one. */
  readonly files: R2Bucket | null;
  /** Keeps background work (fan-out to other rooms) alive after the event. */
  waitUntil(work: Promise<unknown>): void;
}

/** What every room kind implements; adapters route runtime events here. */
export interface RoomLogic {
  onStart(): Promise<void>;
  /** Called with a socket whose token the adapter has verified. */
  onConnect(socket: Socket): Promise<void>;
  onMessage(socket: Socket, data: string): Promise<void>;
  onClose(socket: Socket): void;
  /** HTTP into the room; `service` says a sibling room signed the call. */
  onRequest(req: Request, caller: { service: boolean; identity: Identity | null }): Promise<Response>;
}

export type RoomFactory = (host: RoomHost) => RoomLogic;
