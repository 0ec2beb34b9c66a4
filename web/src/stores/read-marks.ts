/**
 * Tells the open chat's room what the user has seen (R7): `read.mark` with the
 * newest loaded seq, whenever the chat is open, its history loaded and the page
 * visible and focused — on opening, as new messages arrive, and when the user
 * comes back to the page. The room moves the read cursor only forward and pushes
 * the new unread count to every tab and device of the user. Until the room
 * confirms a cursor (`read.updated`), the mark is said again as the page is
 * hidden, closed or signed out of — over HTTP (`POST /parties/chat/<room>/read`)
 * with a keep-alive request, which the browser still delivers after the page and
 * its sockets are gone.
 */
import { signal } from "@preact/signals";
import type { ChatServerFrame } from "../../../protocol/chat";
import { chatRoomId } from "../../../protocol/ids";
import { onChatFrame, sendToChat } from "./chat-links";
import { history, openChatId } from "./chat";
import type { Lifetime } from "./lifetime";
import { onLeaving, session, type Session } from "./session";

const looking = () => document.visibilityState === "visible" && document.hasFocus();
/** Whether the user can be looking at this page right now. */
export const pageActive = signal(false);

/** The last seq marked per chat in this tab, so each is said once; reset to the room's own cursor on every `chat.ready`. */
const marked = new Map<string, number>();
/** The newest seq the user has seen per chat, and the cursor the room confirmed storing (`chat.ready`, `read.updated`). */
const seen = new Map<string, number>();
const stored = new Map<string, number>();

/** Marks the open chat read up to its newest loaded message, when the user can be looking at it. */
function markSeen(chatId: string | null, h: typeof history.value, active: boolean) {
  if (!active || !chatId || !h.loaded) return;
  const seq = h.messages.at(-1)?.seq;
  if (seq === undefined) return;
  if (seq > (seen.get(chatId) ?? 0)) seen.set(chatId, seq);
  if ((marked.get(chatId) ?? 0) >= seq) return;
  // Not ready yet (connecting): the `chat.ready` that follows runs this again.
  if (sendToChat(chatId, { type: "read.mark", seq })) marked.set(chatId, seq);
}

/**
 * The page is going (hidden, closed, signed out): every mark the room has not
 * confirmed yet is said again now, in a keep-alive request that outlives the
 * page, so what was read stays read (issue 17). The room moves cursors only
 * forward, so a repeat costs nothing.
 */
function flush(s: Session | null = session.peek()) {
  if (!s) return;
  for (const [chatId, seq] of seen) {
    if (seq <= (stored.get(chatId) ?? 0)) continue;
    void fetch(`/parties/chat/${encodeURIComponent(chatRoomId(s.tenant, chatId))}/read`, {
      method: "POST",
      keepalive: true,
      headers: { authorization: `Bearer ${s.token}`, "content-type": "application/json" },
      body: JSON.stringify({ seq }),
    }).catch(() => undefined);
    // Said once per page-hide; the room's `read.updated` (or the next chat.ready) tells what it stored.
    stored.set(chatId, seq);
  }
}

export function startReadMarks(life: Lifetime): void {
  const update = () => (pageActive.value = looking());
  update();
  // A click or a key press also means the page has focus (a page loaded in the background may not get a focus event).
  for (const event of ["focus", "blur", "pageshow", "pointerdown", "keydown"])
    life.on(window, event, update, { capture: true, passive: true });
  life.on(document, "visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
    update();
  });
  life.on(window, "pagehide", () => flush());
  // "Sair": the marks go while the session still works.
  life.add(onLeaving((s) => flush(s)));

  life.effect(() => markSeen(openChatId.value, history.value, pageActive.value));

  // A mark lost with a dropped socket is said again after the reconnection: the room's cursor is the truth.
  life.add(
    onChatFrame((chatId, frame: ChatServerFrame) => {
      const mine = session.peek()?.user.id;
      if (frame.type === "read.updated" && frame.userId === mine) stored.set(chatId, Math.max(stored.get(chatId) ?? 0, frame.seq));
      if (frame.type !== "chat.ready") return;
      const cursor = (mine && frame.readCursors[mine]) || 0;
      stored.set(chatId, cursor);
      marked.set(chatId, cursor);
      markSeen(openChatId.peek(), history.peek(), pageActive.peek());
    }),
  );
  // Stopping (another tab signed out, the session ended): what is left is forgotten.
  life.add(() => {
    marked.clear();
    seen.clear();
    stored.clear();
  });
}
