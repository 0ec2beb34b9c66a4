/**
 * Drafts that follow the user (R9 "Rascunho"): text typed but not sent, per chat,
 * kept in the user's Yjs doc on the drafts party (party/rooms/drafts/drafts.ts) and
 * synced live to their other tabs and devices through y-partyserver's provider,
 * whose socket offers the access token in the subprotocol like every other
 * (a WebSocket subclass adds it; read again on each reconnection).
 * Yjs loads on demand after sign-in, so the first screen stays light. Typing
 * shows at once here and reaches the doc after a short pause; sending clears the
 * draft everywhere at once.
 */
import { computed, signal } from "@preact/signals";
import type * as Y from "yjs";
import { userRoomId } from "../../../protocol/ids";
import { DRAFTS_MAP, MAX_DRAFT } from "../../../party/rooms/drafts/drafts";
import { mergeDrafts, storedDraft } from "../model/drafts";
import { socketProtocols } from "../model/wire";
import type { Lifetime } from "./lifetime";
import { currentToken, type Session } from "./session";

/**
 * A WebSocket that offers the current access token beside the app's subprotocol,
 * whatever the provider asks, and always closes with a status code: a close
 * without one reaches the room as 1005, which it cannot echo, so the closing
 * handshake would hang until the socket times out.
 */
class AuthedWebSocket extends WebSocket {
  constructor(url: string | URL) {
    super(url, socketProtocols(currentToken()));
  }
  override close(code = 1000, reason?: string): void {
    super.close(code, reason);
  }
}

const WRITE_AFTER_MS = 250;

/** chat id → draft text, as this tab shows it. */
export const drafts = signal<ReadonlyMap<string, string>>(new Map());
/** Chats with a non-empty draft, for "Rascunho" in the conversation list. */
export const chatsWithDraft = computed(() => new Set([...drafts.value].filter(([, text]) => text.trim() !== "").map(([id]) => id)));

let map: Y.Map<string> | null = null;
const unwritten = new Map<string, string>();
/** What this tab last typed per chat, and when (model/drafts.ts: it wins for a second). */
const typedHere = new Map<string, { text: string; at: number }>();
let timer: ReturnType<typeof setTimeout> | null = null;

function writeSoon(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(flush, WRITE_AFTER_MS);
}

function flush() {
  if (timer) clearTimeout(timer);
  timer = null;
  const m = map;
  if (!m || unwritten.size === 0) return;
  m.doc!.transact(() => {
    for (const [chatId, text] of unwritten) {
      const stored = storedDraft(text, MAX_DRAFT);
      if (stored === "") m.delete(chatId);
      else if (m.get(chatId) !== stored) m.set(chatId, stored);
    }
  });
  unwritten.clear();
}

export function setDraft(chatId: string, text: string): void {
  drafts.value = new Map(drafts.peek()).set(chatId, text);
  unwritten.set(chatId, text);
  typedHere.set(chatId, { text, at: Date.now() });
  if (text === "") return flush();
  writeSoon();
}

/** Loads Yjs and joins the user's drafts doc for the session; stopping writes what is pending and leaves it. */
export function startDrafts(life: Lifetime, s: Session): void {
  let stop = false;
  let cleanup = () => {};
  // Offline before Yjs was ever loaded: drafts stay in this tab until the browser is back on-line, then it loads.
  const retry = () => {
    if (!stop) life.on(window, "online", load, { once: true });
  };
  const load = () => void Promise.all([import("yjs"), import("y-partyserver/provider")]).then(connect, retry);
  const connect = ([Yjs, { default: YProvider }]: [typeof import("yjs"), typeof import("y-partyserver/provider")]) => {
    if (stop) return;
    const doc = new Yjs.Doc();
    const provider = new YProvider(location.host, userRoomId(s.tenant, s.user.id), doc, {
      party: "drafts",
      protocol: location.protocol === "https:" ? "wss" : "ws",
      WebSocketPolyfill: AuthedWebSocket,
      maxBackoffTime: 8_000,
      // Tabs sync through the server; a BroadcastChannel would mix users who share a browser.
      disableBc: true,
    });
    const m = doc.getMap<string>(DRAFTS_MAP);
    // Remote changes replace what this tab shows, except text typed here (not yet written, or a moment ago).
    const show = () => {
      const { shown, rewrite } = mergeDrafts(m.entries(), unwritten, typedHere, Date.now(), MAX_DRAFT);
      drafts.value = shown;
      if (rewrite.length === 0) return;
      for (const [chatId, text] of rewrite) unwritten.set(chatId, text);
      writeSoon();
    };
    m.observe(show);
    provider.on("sync", (synced: boolean) => {
      if (synced) {
        map = m;
        flush();
        show();
      }
    });
    cleanup = () => {
      map = null;
      provider.destroy();
      doc.destroy();
    };
  };
  load();
  life.add(() => {
    stop = true;
    flush();
    cleanup();
    unwritten.clear();
    typedHere.clear();
    drafts.value = new Map();
  });
}
