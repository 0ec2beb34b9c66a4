/**
 * Deep links (R31): `/c/{chatId}` opens a chat and `/u/{userId}` the 1:1 chat
 * with that person, so the attendance screens can link straight into Conversas.
 * Parsing is strict: a `/c/` or `/u/` path without a well-formed id is an
 * unknown link (the list shows, with a notice); any other path is the list.
 */
import { directChatMembers, isChatId, USER_ID_RE } from "../../../protocol/ids";

export type Route = { kind: "chat"; chatId: string } | { kind: "user"; userId: string } | { kind: "home" } | { kind: "unknown" };

export function parseRoute(pathname: string): Route {
  // Other paths (a sign-in link's, one left over) are not chat links: the list.
  if (!/^\/[cu]\//.test(pathname)) return { kind: "home" };
  const m = /^\/([cu])\/([^/]+)\/?$/.exec(pathname);
  if (!m) return { kind: "unknown" };
  let id: string;
  try {
    id = decodeURIComponent(m[2]!);
  } catch {
    return { kind: "unknown" };
  }
  if (m[1] === "c") return isChatId(id) ? { kind: "chat", chatId: id } : { kind: "unknown" };
  return USER_ID_RE.test(id) ? { kind: "user", userId: id } : { kind: "unknown" };
}

/** The address of an open chat; the list alone is "/". */
export function chatPath(chatId: string | null): string {
  return chatId ? `/c/${encodeURIComponent(chatId)}` : "/";
}

/**
 * Whether a chat may be tried at all: a 1:1 chat between two other people never
 * (its room refuses the connection outright, which looks like a network error
 * from the browser); a group only its room can answer.
 */
export function mayTry(chatId: string, myId: string): boolean {
  const members = directChatMembers(chatId);
  return members ? members.includes(myId) : true;
}
