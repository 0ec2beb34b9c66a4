/**
 * The seam between the first screen and issue 17's on-demand parts
 * (ui/chat-extras.ts): what their stores need of the open chat, its room and the
 * hub socket, handed over by ui/extras-door.tsx before the chunk is fetched
 * rather than imported by the on-demand code. As with the softphone's host: every
 * first-screen module an on-demand part imported would move to a chunk shared
 * with the first screen, and the first screen pays for each such chunk (issue
 * 17 keeps it at 60 KB or less). Only this object and small modules are shared.
 */
import type { MIN_SEARCH, SEARCH_PAGE } from "../../../protocol/hub";
import type { jumpTo, openChatId } from "./chat";
import type { onChatFrame, sendToChat } from "./chat-links";
import type { onHub, sendToHub } from "./hub";

export type ChatExtrasHost = {
  openChatId: typeof openChatId;
  jumpTo: typeof jumpTo;
  onChatFrame: typeof onChatFrame;
  sendToChat: typeof sendToChat;
  onHub: typeof onHub;
  sendToHub: typeof sendToHub;
  minSearch: typeof MIN_SEARCH;
  searchPage: typeof SEARCH_PAGE;
};

/** Filled by ui/extras-door.tsx before any on-demand module runs. */
export const host = {} as ChatExtrasHost;
