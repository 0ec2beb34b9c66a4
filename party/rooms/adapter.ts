/**
 * What both runtime adapters share: turning a verified connection into a
 * `Socket`, and keeping the admitted ones. Each adapter supplies the runtime's
 * own send/close and storage; everything else is here once.
 */
import type { PartyName } from "../../protocol";
import { mayReachRoom } from "../domain/session";
import { readConfig, type RoomConfig } from "./config";
import { identify, isServiceCall, serviceCaller, type CallRoom } from "./edge";
import type { RoomFactory, RoomLogic, Socket, Storage } from "./host";
import { errorFrame } from "./respond";
import { CloseCode } from "../../protocol";

export type RawConnection = { id: string; send(data: string): void; close(code: number, reason: string): void };

export class RoomAdapterCore {
  readonly config: RoomConfig;
  readonly logic: RoomLogic;
  private readonly open = new Map<string, Socket>();

  constructor(
    readonly party: PartyName,
    readonly roomId: string,
    env: Record<string, unknown>,
    storage: Storage,
    raw: CallRoom,
    factory: RoomFactory,
    waitUntil: (work: Promise<unknown>) => void,
    files: R2Bucket | null = null,
  ) {
    this.config = readConfig(env);
    const open = this.open;
    this.logic = factory({
      id: roomId,
      storage,
      config: this.config,
      *sockets() {
        for (const s of open.values()) if (s.admitted) yield s;
      },
      call: serviceCaller(raw, this.config),
      files,
      waitUntil,
    });
  }

  /** Verifies the socket's token again inside the room (defence in depth), then hands it to the room. */
  async connect(conn: RawConnection, req: Request): Promise<void> {
    const who = await identify(req, this.config);
    if (!who || !mayReachRoom(who, this.party, this.roomId)) {
      conn.close(CloseCode.unauthorized, "unauthorized");
      return;
    }
    const socket: Socket = {
      id: conn.id,
      identity: who,
      admitted: false,
      send: (d) => {
        try {
          conn.send(d);
        } catch {
          /* the socket closed under us; onClose cleans up */
        }
      },
      close: (code, reason) => {
        this.open.delete(conn.id);
        try {
          conn.close(code, reason);
        } catch {
          /* already closed */
        }
      },
    };
    this.open.set(conn.id, socket);
    await this.logic.onConnect(socket);
  }

  async message(connId: string, data: unknown): Promise<void> {
    const socket = this.open.get(connId);
    if (!socket) return;
    if (typeof data !== "string") {
      socket.send(errorFrame("invalid_frame", "somente quadros de texto JSON", { field: "(raiz)" }));
      return;
    }
    await this.logic.onMessage(socket, data);
  }

  closed(connId: string): void {
    const socket = this.open.get(connId);
    if (!socket) return;
    this.open.delete(connId);
    this.logic.onClose(socket);
  }

  async request(req: Request): Promise<Response> {
    const service = await isServiceCall(req, this.config);
    const identity = service ? null : await identify(req, this.config);
    return this.logic.onRequest(req, { service, identity });
  }
}
