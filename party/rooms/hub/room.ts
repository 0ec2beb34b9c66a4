/**
 * The company's hub (one room per company, or per shard of its users for a big
 * company; `CONVERSAS_HUB_SHARDS`): every open app holds one socket here. So
 * this is where a person's presence is known (R5, presence.ts), where their
 * conversation list is updated live (R6, R20: one call per chat change,
 * whatever the number of members), and where the app's search (R12) and call
 * history (R25–R28) questions go, relayed to the user's own room.
 *
 * Lists: on a socket's arrival the user's own room hands over the whole list as
 * the chats say it is now (user.snapshot); the hub keeps it while the user has
 * an app open, so a second tab gets it at once, and folds every live update in.
 * Every summary carries the chat's `rev`, so an older one never replaces a newer
 * one, here or in the browser. Nothing here is the truth: it is all rebuilt
 * from the chats after a restart or hibernation. A big group's update goes out
 * SLICE members at a time: where rooms share a thread, a message sent meanwhile
 * waits for one slice, not for the whole group's lists (issue 15: the group's
 * p99 was made by these waits).
 */
import {
  HubClientFrame,
  PRESENCE_PING,
  PRESENCE_PONG,
  SEARCH_PAGE,
  type ConversationSummary,
  type HubServerFrame,
} from "../../../protocol/hub";
import { DEFAULT_PAGE } from "../../../protocol/chat";
import { splitRoomId, userRoomId } from "../../../protocol/ids";
import { answer, type MemberState, type RouteBody, type SummaryBase } from "../../../protocol/internal";
import { parseJson } from "../../../protocol/validate";
import { encode, type RoomFactory, type RoomHost, type Socket } from "../../runtime/host";
import { errorFrame } from "../../runtime/respond";
import { hubPresence } from "./presence";
import { breathe } from "../../runtime/paced";

/** A list update to a big group goes out this many members at a time, letting other frames through between. */
const SLICE = 25;

type List = { ready: Promise<void> | null; byChat: Map<string, ConversationSummary>; gone: Map<string, number> };

/** A member's summary from the chat's shared part and their own state. */
export function memberSummary(base: SummaryBase, [userId, unread, lastUnreadAt, mentioned]: MemberState): ConversationSummary {
  if (base.kind === "group")
    return {
      chatId: base.chatId,
      kind: "group",
      name: base.name ?? "",
      imageFileId: base.imageFileId ?? null,
      lastMessage: base.lastMessage,
      rev: base.rev,
      unread,
      lastUnreadAt,
      mentioned,
    };
  const peerId = base.members?.find((m) => m !== userId) ?? userId;
  return { chatId: base.chatId, kind: "direct", peerId, lastMessage: base.lastMessage, rev: base.rev, unread, lastUnreadAt, mentioned };
}

export const hubRoom: RoomFactory<"hub"> = (host: RoomHost) => {
  const tenant = splitRoomId(host.id)?.tenant ?? "";
  const lists = new Map<string, List>();
  /** The newest query per socket: an answer overtaken by the next keystroke is dropped. */
  const latestQuery = new Map<string, number>();
  let queries = 0;
  const presence = hubPresence(host);

  const sendTo = (sockets: Iterable<Socket>, frame: HubServerFrame | string) => {
    const data = typeof frame === "string" ? frame : encode(frame);
    for (const s of sockets) s.sendEncoded(data);
  };

  /** Folds a summary into a cached list; false when it is older than what the list has. */
  function fold(list: List, s: ConversationSummary): boolean {
    const known = list.byChat.get(s.chatId);
    if (known && known.rev > s.rev) return false;
    if ((list.gone.get(s.chatId) ?? -1) >= s.rev) return false;
    list.gone.delete(s.chatId);
    list.byChat.set(s.chatId, s);
    return true;
  }

  /** The user's list, loaded once while they have an app open here. */
  function listOf(userId: string): List {
    let list = lists.get(userId);
    if (list) return list;
    list = { ready: null, byChat: new Map(), gone: new Map() };
    const l = list;
    lists.set(userId, l);
    l.ready = (async () => {
      const res = await host.call("user.snapshot", userRoomId(tenant, userId), {});
      if (!res.ok) {
        lists.delete(userId);
        throw new Error(`snapshot of ${userId}: ${res.message}`);
      }
      for (const s of res.value.conversations) fold(l, s);
    })();
    return l;
  }

  async function sendSnapshot(socket: Socket): Promise<void> {
    const userId = socket.identity.userId;
    const list = listOf(userId);
    try {
      await list.ready;
    } catch (err) {
      console.error(err);
      socket.send(errorFrame("unavailable", "Não foi possível carregar as conversas. Tentando de novo…"));
      socket.close(1011, "snapshot");
      return;
    }
    socket.send({ type: "inbox.snapshot", conversations: [...list.byChat.values()] });
  }

  async function chatChanged({ base, members }: RouteBody<"hub.chatChanged">) {
    let delivered = 0;
    /** Members an app of whom got the update: the chat's "Entregue" (issue 17.1). */
    const reached: string[] = [];
    // Members with the same unread state and (in a group) the same summary share one encoded frame.
    const encoded = new Map<string, string>();
    for (const m of members) {
      const sockets = host.socketsOf(m[0]);
      if (sockets.length === 0) continue;
      const summary = memberSummary(base, m);
      const list = lists.get(m[0]);
      if (list && !fold(list, summary)) continue;
      reached.push(m[0]);
      const key = base.kind === "group" ? `${m[1]}|${m[2]}|${m[3]}` : m[0];
      let frame = encoded.get(key);
      if (!frame) encoded.set(key, (frame = encode({ type: "inbox.update", conversation: summary })));
      sendTo(sockets, frame);
      delivered += 1;
      if (delivered % SLICE === 0) await breathe();
    }
    return answer({ delivered, reached });
  }

  function listRemove({ userIds, chatId }: RouteBody<"hub.listRemove">) {
    let delivered = 0;
    const frame = encode({ type: "inbox.remove", chatId });
    for (const userId of userIds) {
      const list = lists.get(userId);
      if (list) {
        const rev = list.byChat.get(chatId)?.rev ?? 0;
        list.byChat.delete(chatId);
        list.gone.set(chatId, Math.max(rev, list.gone.get(chatId) ?? 0));
      }
      const sockets = host.socketsOf(userId);
      sendTo(sockets, frame);
      delivered += sockets.length ? 1 : 0;
    }
    return answer({ delivered });
  }

  async function relay(socket: Socket, frame: HubClientFrame): Promise<void> {
    const userId = socket.identity.userId;
    const room = userRoomId(tenant, userId);
    if (frame.type === "calls.fetch") {
      const res = await host.call("user.callPage", room, {
        filter: frame.filter,
        query: frame.query ?? "",
        ...(frame.before ? { before: frame.before } : {}),
        limit: frame.limit ?? DEFAULT_PAGE,
      });
      socket.send(res.ok ? res.value : errorFrame(res.code, res.message));
      return;
    }
    if (frame.type === "search.query") {
      const id = ++queries;
      latestQuery.set(socket.id, id);
      const q = frame.q.trim();
      const res = await host.call("user.search", room, {
        q,
        chatId: frame.chatId ?? null,
        offset: frame.offset ?? 0,
        limit: frame.limit ?? SEARCH_PAGE,
      });
      if (latestQuery.get(socket.id) !== id) return;
      latestQuery.delete(socket.id);
      if (!res.ok) return socket.send(errorFrame(res.code, res.message));
      const out: HubServerFrame = { type: "search.results", q, chatId: frame.chatId ?? null, offset: frame.offset ?? 0, ...res.value };
      socket.send(out);
    }
  }

  return {
    start() {
      presence.start();
      host.autoRespond(PRESENCE_PING, PRESENCE_PONG);
    },

    async connect(socket) {
      // The snapshot first (with this user on-line already), then everyone else hears of the arrival.
      socket.send({ type: "presence.snapshot", online: [...new Set([...presence.online(), socket.identity.userId])] });
      socket.admit();
      presence.connected(socket);
      await sendSnapshot(socket);
    },

    async message(socket, data) {
      presence.heard(socket);
      const parsed = parseJson(HubClientFrame, data);
      if (!parsed.ok) return socket.send(errorFrame("invalid_frame", parsed.message, { field: parsed.field }));
      const f = parsed.value;
      if (f.type === "presence.ping") return;
      if (f.type === "presence.leave") return presence.leaving(socket);
      await relay(socket, f);
    },

    close(socket) {
      latestQuery.delete(socket.id);
      const userId = socket.identity.userId;
      presence.closed(socket);
      // The last app of the user here closed: the cached list goes (the chats stay the truth).
      if (host.socketsOf(userId).length === 0) lists.delete(userId);
    },

    alarm() {
      presence.alarm();
    },

    handlers: {
      "hub.chatChanged": chatChanged,
      "hub.listRemove": listRemove,
      "hub.toUser": ({ userId, frame }) => {
        const sockets = host.socketsOf(userId);
        sendTo(sockets, frame);
        return answer({ delivered: sockets.length });
      },
      "hub.presence": (body) => answer({ changed: presence.remote(body) }),
      "hub.kick": ({ userId, sid, code, reason }) => {
        const targets = sid ? host.socketsOfSession(sid) : host.socketsOf(userId);
        for (const s of targets) {
          presence.leaving(s);
          s.close(code, reason);
        }
        return answer({ closed: targets.length });
      },
    },
  };
};
