/**
 * The first screen's door to issue 17's parts (ui/chat-extras.ts): as the
 * session starts it keeps the chat frames that arrive before the chunk is here,
 * fetches it at once, hands it the first screen's stores and components
 * (stores/chat-extras-host.ts) and starts it for the session. Components of the
 * chunk render once it is here (nothing stands in their place before); a fetch
 * that failed (offline) is tried again when a part is next shown.
 */
import { signal } from "@preact/signals";
import type { ComponentType } from "preact";
import { EDIT_WINDOW_MS, TYPING_TTL_MS, type ChatServerFrame } from "../../../protocol/chat";
import { MIN_SEARCH, SEARCH_PAGE } from "../../../protocol/hub";
import { highlightParts, mergeHits } from "../model/smart-search";
import { group, history, jumpTo, openChatId } from "../stores/chat";
import { shown } from "../stores/chat-extras-host";
import { onChatFrame, sendToChat } from "../stores/chat-links";
import { contactById } from "../stores/contacts";
import { onHub, sendToHub } from "../stores/hub";
import type { Lifetime } from "../stores/lifetime";
import { showNotice } from "../stores/notice";
import { session } from "../stores/session";
import { infoSeq, reacting, searchingChat } from "../stores/view";
import { EmojiButton } from "./EmojiButton";
import { IconButton } from "./IconButton";
import { Modal } from "./Modal";
import { SearchInput } from "./SearchField";

type Extras = typeof import("./chat-extras");
const loaded = signal<Extras | null>(null);
let loading: Promise<Extras | null> | null = null;

function load(): Promise<Extras | null> {
  loading ??= import("./chat-extras").then(
    (x) => {
      x.useHost(
        {
          openChatId,
          history,
          group,
          session,
          contactById,
          jumpTo,
          onChatFrame,
          sendToChat,
          onHub,
          sendToHub,
          showNotice,
          searchingChat,
          infoSeq,
          reacting,
          highlightParts,
          mergeHits,
          minSearch: MIN_SEARCH,
          searchPage: SEARCH_PAGE,
          editWindowMs: EDIT_WINDOW_MS,
          typingTtlMs: TYPING_TTL_MS,
          shown,
        },
        { Modal, EmojiButton, IconButton, SearchInput },
      );
      return (loaded.value = x);
    },
    () => ((loading = null), null),
  );
  return loading;
}

/** The chunk's exports once here (a component reading this renders again when it arrives); asks for it if it is not. */
export function extras(): Extras | null {
  const m = loaded.value;
  if (!m) void load();
  return m;
}

/** The chunk's exports if here, for an event handler (nothing when it is not: its stores are not running either). */
export const extrasNow = (): Extras | null => loaded.peek();

/** A component of the chunk, rendered once it is here. */
export function fromExtras<P extends object>(pick: (m: Extras) => ComponentType<P>): ComponentType<P> {
  return function OnDemand(props: P) {
    const m = extras();
    const Component = m && pick(m);
    return Component ? <Component {...props} /> : null;
  };
}

/** Fetches the parts (handing them the first screen's stores as they arrive) and runs their stores for the session. */
export function startChatExtras(life: Lifetime): void {
  // A chat opened at once (its address) may say things before the chunk is here: they are kept for it.
  const early: [string, ChatServerFrame][] = [];
  let keep = true;
  const stopKeeping = onChatFrame((chatId, frame) => keep && early.length < 1000 && early.push([chatId, frame]));
  life.add(stopKeeping);
  const startThem = (x: Extras | null) => {
    if (!x || life.stopped) return;
    keep = false;
    stopKeeping();
    x.start(life, early.splice(0));
  };
  void load().then((x) => {
    if (x) return startThem(x);
    // Offline at sign-in: started once a part asks for the chunk again and it comes.
    const wait = loaded.subscribe((m) => m && (startThem(m), wait()));
    life.add(wait);
  });
}
