/**
 * What the parts of a conversation room share: the host, the state (ChatState
 * owns the meta, the sequence and every write), how to reach the room's sockets,
 * and what to do after a change is stored (tell the members' lists and the
 * search index). Each part (sends, messages, files, share, groups) takes this one
 * object instead of a handful of callbacks.
 */
import type { ChatServerFrame } from "../../../protocol/chat";
import type { ChatMeta } from "../../domain/chat";
import type { RoomHost, Socket } from "../../runtime/host";
import type { ChatState } from "./state";

export type Changed = {
  /** Whose list shows something new: everyone (a message, a rename) or some members (a read). */
  members: "all" | string[];
  /** The search index has work: new messages, or deleted ones to drop (awaited by a delete). */
  index?: boolean;
  /** A deletion waits in the index outbox. */
  removed?: boolean;
};

export interface ChatContext {
  readonly host: RoomHost;
  readonly state: ChatState;
  readonly tenant: string;
  readonly chatId: string;
  send(socket: Socket, frame: ChatServerFrame): void;
  broadcast(frame: ChatServerFrame, except?: Socket): void;
  /** After a commit: lists and the search index catch up (coalesced, off the sender's path). */
  changed(what: Changed): void;
  /** The search index has dropped every deleted message (a delete waits for it before anyone sees it gone). */
  indexSettled(): Promise<void>;
  /** The chat's meta; a DM's is made on first use, once the directory confirms both people exist. */
  ensureMeta(): Promise<ChatMeta | null>;
  /** Runs async work (R2, the directory) one at a time, so a check and its write cannot interleave with another's. */
  serial<T>(work: () => Promise<T>): Promise<T>;
}
