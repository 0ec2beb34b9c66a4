import type { ChatMeta } from "../../party/domain/chat";

/** A group's meta for tests: created by its first member (its admin) at time 1; `since` per member. */
export function groupMeta(
  name: string,
  members: [userId: string, since: number][],
  chatId = "g.abcdefgh12345678",
): Extract<ChatMeta, { kind: "group" }> {
  return {
    chatId,
    kind: "group",
    createdAt: 1,
    group: {
      name,
      imageFileId: null,
      createdBy: members[0]![0],
      createdAt: 1,
      members: members.map(([userId, since], i) => ({ userId, role: i === 0 ? "admin" : "member", since })),
    },
  };
}
