/**
 * The address bar (R31): `/c/{chatId}` and `/u/{userId}` open that chat. The
 * path is read at the moment a session appears — on load when already signed
 * in, right after signing in otherwise (the sign-in screen keeps the link in the
 * address), or after a sign-in link replaced the address with where it leads.
 * Afterwards the address follows the open chat (a new history entry per chat, so
 * "back" returns to the previous one). A link to a chat the user cannot open
 * leaves a notice over the list.
 */
import { untracked } from "@preact/signals";
import { t } from "../i18n";
import { chatPath, mayTry, parseRoute } from "../model/route";
import { chatError, closeChat, history as chatHistory, openChat, openChatId, openChatWith, peerId, showNotice } from "./chat";
import type { Lifetime } from "./lifetime";
import { session } from "./session";

/** The chat opened from a link, until it loads or is refused. */
let linked: string | null = null;
/** Leaving a refused link: replace its address rather than stack it in the history. */
let replaceNext = false;

function follow(pathname: string) {
  // A sign-in link (/l/…) is the redeemer's (signin-link.ts): it replaces the address with where the link leads.
  if (pathname.startsWith("/l/")) return;
  const route = parseRoute(pathname);
  const myId = session.peek()?.user.id ?? "";
  if (route.kind === "chat" && mayTry(route.chatId, myId)) openChat(route.chatId);
  else if (route.kind === "user" && route.userId !== session.peek()?.user.id) openChatWith(route.userId);
  else if (route.kind === "home") {
    if (pathname !== "/") window.history.replaceState(null, "", "/" + location.search);
    return closeChat();
  } else {
    closeChat();
    window.history.replaceState(null, "", "/" + location.search);
    return showNotice(t.linkNotFound);
  }
  linked = openChatId.peek();
}

/**
 * Opens what the address names as the session starts, then keeps the address and
 * the open chat together; stopping (signing out) leaves the address at "/", so
 * whoever signs in next on this computer starts from the list, not from the last
 * person's chat.
 */
export function startRoute(life: Lifetime): void {
  untracked(() => follow(location.pathname));

  // The address follows the open chat; a `/u/{userId}` link is replaced by its chat's address.
  life.effect(() => {
    const chatId = openChatId.value;
    const path = chatPath(chatId);
    if (path === location.pathname || location.pathname.startsWith("/l/")) return;
    const route = parseRoute(location.pathname);
    const same = route.kind === "user" && route.userId === untracked(() => peerId.value);
    const url = path + location.search;
    if (same || replaceNext) window.history.replaceState(null, "", url);
    else window.history.pushState(null, "", url);
    replaceNext = false;
  });

  // A linked chat the room refuses (not a member, no such chat): back to the list, with a notice.
  life.effect(() => {
    const chatId = openChatId.value;
    const error = chatError.value;
    if (!linked || chatId !== linked) return;
    if (chatHistory.value.loaded) linked = null;
    else if (error) {
      linked = null;
      replaceNext = true;
      untracked(() => {
        closeChat();
        showNotice(t.linkNotFound);
      });
    }
  });

  life.on(window, "popstate", () => follow(location.pathname));
  life.add(() => {
    linked = null;
    replaceNext = false;
    if (location.pathname !== "/" && !location.pathname.startsWith("/l/")) window.history.replaceState(null, "", "/" + location.search);
  });
}
