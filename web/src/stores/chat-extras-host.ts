/**
 * The seam between the first screen and issue 17's parts (ui/chat-extras.ts),
 * which load as their own chunk shortly after sign-in, as the softphone does:
 * `ChatExtrasHost` is what they need of the first screen's stores (the open chat,
 * its room, the hub), handed to them by ui/extras-door.tsx as they arrive rather
 * than imported — every first-screen module they imported, this one too, would
 * move to a chunk shared with the first screen, and the first screen pays for
 * each such chunk (issue 17 keeps it at 60 KB or less); `shown` is what they
 * keep that the first screen shows, empty until they run (handed to them too).
 */
import { signal } from "@preact/signals";
import type { EDIT_WINDOW_MS, Message, TYPING_TTL_MS } from "../../../protocol/chat";
import type { MIN_SEARCH, SEARCH_PAGE } from "../../../protocol/hub";
import type { highlightParts, mergeHits } from "../model/smart-search";
import type { Receipt } from "../model/receipts";
import type { group, history, jumpTo, openChatId } from "./chat";
import type { onChatFrame, sendToChat } from "./chat-links";
import type { contactById } from "./contacts";
import type { onHub, sendToHub } from "./hub";
import type { showNotice } from "./notice";
import type { session } from "./session";
import type { infoSeq, reacting, searchingChat } from "./view";

export type ChatExtrasHost = {
  openChatId: typeof openChatId;
  history: typeof history;
  group: typeof group;
  session: typeof session;
  contactById: typeof contactById;
  jumpTo: typeof jumpTo;
  onChatFrame: typeof onChatFrame;
  sendToChat: typeof sendToChat;
  onHub: typeof onHub;
  sendToHub: typeof sendToHub;
  showNotice: typeof showNotice;
  searchingChat: typeof searchingChat;
  infoSeq: typeof infoSeq;
  reacting: typeof reacting;
  highlightParts: typeof highlightParts;
  mergeHits: typeof mergeHits;
  minSearch: typeof MIN_SEARCH;
  searchPage: typeof SEARCH_PAGE;
  editWindowMs: typeof EDIT_WINDOW_MS;
  typingTtlMs: typeof TYPING_TTL_MS;
  shown: typeof shown;
};

/** The message being edited in the composer: its seq, its text as sent, and the new text. */
export type Editing = { seq: number; original: string; text: string };

export const shown = {
  /** Issue 17.2: "Ana está digitando…", or "". */
  typingText: signal(""),
  /** Issue 17.4: the edit being written in the composer. */
  editing: signal<Editing | null>(null),
  /** Issue 17.4/17.5: the loaded messages with the edits and reactions this tab asked for and the room has not confirmed yet. */
  decorate: signal<((messages: readonly Message[]) => readonly Message[]) | null>(null),
  /** Issue 17.1: one's own stored message's ✓ / ✓✓ / "Lida". */
  receiptOf: signal<((m: Message) => Receipt) | null>(null),
};
