/**
 * The edge's checks: what runs before any room is touched. Every socket and
 * every request to a room carries an access token (never in the address: the
 * WebSocket subprotocol `bearer.<token>`, or `Authorization: Bearer`), which is
 * verified here, then the user's own room is asked whether that session is still
 * alive (ended sessions are refused at once, issue 12.3), then the room id is
 * checked against the caller (domain/session.ts `mayReachRoom`). The one
 * exception is a file download, whose signed address the chat room checks itself.
 */
import type { PublicParty } from "../../protocol/ids";
import { userRoomId } from "../../protocol/ids";
import { mayReachRoom, type Identity } from "../domain/session";
import { identify } from "../runtime/adapter";
import type { RoomConfig } from "../runtime/config";
import type { CallRoom } from "../runtime/host";
import { refuse } from "../runtime/respond";

export type Gate = { ok: true; who: Identity } | { ok: false; response: Response };

/** The caller's identity, if their access token is valid and their session still open. */
export async function liveIdentity(req: Request, config: RoomConfig, call: CallRoom): Promise<Identity | null> {
  const who = await identify(req, config);
  if (!who) return null;
  const alive = await call("user.sessionAlive", userRoomId(who.tenant, who.userId), { sid: who.sid });
  return alive.ok ? who : null;
}

/** A signed-in caller with a live session, or the refusal to answer with. */
export async function requireSession(req: Request, config: RoomConfig, call: CallRoom, tenant?: string): Promise<Gate> {
  const who = await liveIdentity(req, config, call);
  if (!who) return { ok: false, response: await refuse(req, "unauthorized", "sessão inválida ou encerrada; entre de novo") };
  if (tenant !== undefined && who.tenant !== tenant)
    return { ok: false, response: await refuse(req, "forbidden", "acesso negado a esta empresa") };
  return { ok: true, who };
}

/** Gate for a socket or request to /parties/<party>/<room>: null lets it through. */
export async function gateRoom(
  req: Request,
  config: RoomConfig,
  call: CallRoom,
  party: PublicParty,
  roomId: string,
  path: string,
): Promise<Response | null> {
  // A signed file address is checked by the chat room itself (no session token rides along).
  if (party === "chat" && req.method === "GET" && /^\/files\/[A-Za-z0-9_-]{8,64}$/.test(path) && new URL(req.url).searchParams.has("s"))
    return null;
  const gate = await requireSession(req, config, call);
  if (!gate.ok) return gate.response;
  if (!mayReachRoom(gate.who, party, roomId, config.hubShards)) return refuse(req, "forbidden", "acesso negado a esta sala");
  return null;
}
