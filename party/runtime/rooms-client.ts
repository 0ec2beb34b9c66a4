/**
 * The typed room-to-room caller (protocol/internal.ts): a route's party picks
 * the Durable Object binding, the room id names the object, and the call is one
 * RPC. Stubs are made per call from the name (a hash, no round trip): a stub is
 * tied to the request that made it, so one kept across requests would fail.
 * A room that throws or cannot be reached answers `unavailable`.
 */
import { ROUTES, refusal, type Answer } from "../../protocol/internal";
import type { CallRoom } from "./host";
import { BINDINGS, type Env } from "./env";
import { counters } from "./metrics";

type RpcStub = { rpc(route: string, body: unknown): Promise<Answer<unknown>> };

export function roomCaller(env: Env): CallRoom {
  return (async (route: keyof typeof ROUTES, roomId: string, body: unknown) => {
    const ns = env[BINDINGS[ROUTES[route].party]];
    counters.roomCalls += 1;
    try {
      const stub = ns.get(ns.idFromName(roomId)) as unknown as RpcStub;
      return await stub.rpc(route, body);
    } catch (err) {
      console.error(`call ${route} → ${roomId}`, err);
      return refusal("unavailable", "serviço indisponível no momento; tente de novo");
    }
  }) as CallRoom;
}
