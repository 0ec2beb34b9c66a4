/**
 * A user room that still holds the key-value layout of earlier releases
 * (`conv:<chatId>` → the list's summary, `call:<endedAt>:<callId>` → a call
 * record, `callid:<callId>` → its key) moves into the tables on its first start:
 * copied, counted, then the old keys deleted. A copied summary keeps no `rev`,
 * so the first snapshot asks its chat again.
 */
import type { CallRecord } from "../../../protocol/calls";
import type { ConversationSummary } from "../../../protocol/hub";
import type { RoomHost } from "../../runtime/host";
import { copier, moveLegacyKeys } from "../legacy";
import { insertCall } from "./calls";

export async function migrateLegacy(host: RoomHost): Promise<void> {
  const db = host.storage;
  await moveLegacyKeys(host, {
    "conv:": copier<ConversationSummary>({
      copy: (c) =>
        db.run(
          "INSERT OR IGNORE INTO chats(chat_id, summary, rev, added_at) VALUES (?, ?, -1, ?)",
          c.chatId,
          JSON.stringify({ ...c, rev: 0 }),
          host.now(),
        ),
      landed: (c) => !!db.one("SELECT 1 FROM chats WHERE chat_id = ?", c.chatId),
    }),
    "call:": copier<CallRecord>({
      copy: (call) => insertCall(host, call),
      landed: (call) => !!db.one("SELECT 1 FROM calls WHERE call_id = ?", call.callId),
    }),
    // The call-id index is the calls table's own.
    "callid:": null,
  });
}
