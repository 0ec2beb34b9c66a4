/**
 * A chat room's neighbours for unit tests on the in-memory host: the directory
 * knows everyone asked about, the members' lists and hubs take every update
 * (nobody's app open), the search index takes every batch. A test adds or
 * replaces stubs for what it looks at. `sendText` sends from a socket and returns
 * the stored message of its acknowledgement.
 */
import type { Message } from "../../protocol/chat";
import { answer } from "../../protocol/internal";
import type { RoomConfig } from "../../party/runtime/config";
import { chatRoom } from "../../party/rooms/chat/room";
import { MemoryWorld, type MemoryRoom, type MemorySocket } from "./memory-host";

export function chatWorld(config?: RoomConfig): MemoryWorld {
  const world = new MemoryWorld({ chat: chatRoom }, config);
  world.stubs.set("directory.known", (_room, body) => answer({ known: body.ids }));
  for (const route of ["user.listAdd", "user.listRemove"] as const) world.stubs.set(route, () => answer({ added: true, removed: true }));
  world.stubs.set("hub.chatChanged", () => answer({ delivered: 0, reached: [] }));
  world.stubs.set("hub.listRemove", () => answer({ delivered: 0 }));
  world.stubs.set("search.index", (_room, body) => answer({ indexed: body.docs.length }));
  return world;
}

let sent = 0;

export async function sendText(room: MemoryRoom<"chat">, s: MemorySocket, text: string): Promise<Message> {
  const clientId = `cliente-${++sent}`.padEnd(8, "0");
  await room.message(s, { type: "message.send", clientId, text });
  const ack = s.frames().find((f) => f.type === "message.ack" && f.clientId === clientId);
  if (!ack) throw new Error(`no ack: ${JSON.stringify(s.frames().slice(-2))}`);
  return ack.message;
}
