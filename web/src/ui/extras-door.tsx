/**
 * The first screen's door to chat-extras.ts (issue 17's on-demand parts): it
 * fills their host (stores/chat-extras-host.ts), and the chunk is fetched the
 * first time one of its parts is shown, which then renders
 * once it arrives (nothing stands in its place before); a failed fetch (offline)
 * is tried again the next time.
 */
import { signal } from "@preact/signals";
import type { ComponentType } from "preact";
import { MIN_SEARCH, SEARCH_PAGE } from "../../../protocol/hub";
import { jumpTo, openChatId } from "../stores/chat";
import { host } from "../stores/chat-extras-host";
import { onChatFrame, sendToChat } from "../stores/chat-links";
import { onHub, sendToHub } from "../stores/hub";

type Extras = typeof import("./chat-extras");
const loaded = signal<Extras | null>(null);
let loading: Promise<void> | null = null;

/** The chunk's exports once here (a component reading this renders again when it arrives); asks for it the first time. */
export function extras(): Extras | null {
  const m = loaded.value;
  if (!m && !loading) {
    Object.assign(host, {
      openChatId,
      jumpTo,
      onChatFrame,
      sendToChat,
      onHub,
      sendToHub,
      minSearch: MIN_SEARCH,
      searchPage: SEARCH_PAGE,
    });
  }
  if (!m)
    loading ??= import("./chat-extras").then(
      (x) => {
        x.addStyles();
        loaded.value = x;
      },
      () => void (loading = null),
    );
  return m;
}

/** A component of the chunk, rendered once it is here. */
export function fromExtras<P extends object>(pick: (m: Extras) => ComponentType<P>): ComponentType<P> {
  return function OnDemand(props: P) {
    const m = extras();
    const Component = m && pick(m);
    return Component ? <Component {...props} /> : null;
  };
}
