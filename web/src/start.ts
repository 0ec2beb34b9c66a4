/**
 * How the web client starts, explicitly: `boot()` runs once for the page (a
 * sign-in link or the stored session, other tabs' sign-ins and sign-outs, the
 * service worker) and
 * calls `startApp(session)` whenever someone is signed in. `startApp` wires every
 * store for that session — sockets, effects, listeners, timers — and returns the
 * `stop()` that undoes all of it, so "Sair", a sign-out in another tab or a
 * different person signing in start the next session clean. Importing a store
 * does nothing by itself.
 */
import { effect, untracked } from "@preact/signals";
import { registerServiceWorker } from "./pwa";
import { startChat } from "./stores/chat";
import { startChime } from "./stores/chime";
import { startClock } from "./stores/clock";
import { startConnection } from "./stores/connection";
import { startContacts } from "./stores/contacts";
import { startDrafts } from "./stores/drafts";
import { startFileLinks } from "./stores/file-links";
import { startGallery } from "./stores/gallery";
import { startGroups } from "./stores/groups";
import { startHub } from "./stores/hub";
import { startInbox } from "./stores/inbox";
import { Lifetime, type Stop } from "./stores/lifetime";
import { startLinkify } from "./stores/linkify";
import { startNotice } from "./stores/notice";
import { startNotifications } from "./stores/notifications";
import { startOutbox } from "./stores/outbox";
import { startPresence } from "./stores/presence";
import { startReadMarks } from "./stores/read-marks";
import { startRoute } from "./stores/route";
import { startSearch } from "./stores/search";
import { followOtherTabs, session, startRenewal, verifySession, type Session } from "./stores/session";
import { redeemSignInLink } from "./stores/signin-link";
import { startAdminAccess } from "./stores/admin-access";
import { returnFromSso } from "./ui/sso/loader";
import { startUnread } from "./stores/unread";
import { startUploads } from "./stores/uploads";
import { startView } from "./stores/view";
import { startSoftphone } from "./ui/calls/loader";
import { startChatExtras } from "./ui/extras-door";

/** Runs the client for one signed-in session; the order is the order frames and effects depend on. */
export function startApp(s: Session): Stop {
  const life = new Lifetime();
  startRenewal(life);
  startClock(life);
  startConnection(life);
  startView(life);
  startNotice(life);
  startOutbox(life);
  startContacts(life);
  // The list, presence, search and calls listen on the hub socket; it opens once they do.
  startInbox(life);
  startPresence(life);
  startHub(life, s);
  startDrafts(life, s);
  startUploads(life);
  startFileLinks(life);
  startGallery(life);
  // The open chat takes each frame before the read marks look at it.
  startChat(life);
  startReadMarks(life);
  // Issue 17's parts (receipts, typing, edits, reactions…) load now and read the chat's frames after the chat store.
  startChatExtras(life);
  // The address is read once the chat store can open what it names.
  startRoute(life);
  startSearch(life);
  startUnread(life);
  startLinkify(life);
  startGroups(life);
  startNotifications(life);
  startChime(life);
  startSoftphone(life);
  // Issue 18.3: whether "Administração" is offered (asked once per session).
  startAdminAccess(life, s);
  return () => life.stop();
}

/** Who the running session is for: a renewed token of the same person keeps it running (sockets read the token on reconnecting). */
const sessionKey = (s: Session | null) => (s ? `${s.tenant}|${s.user.id}` : null);

/** Starts the page: the session from a sign-in link or storage, then one `startApp` per signed-in session. */
export function boot(): Stop {
  const life = new Lifetime();
  life.add(followOtherTabs());
  registerServiceWorker(life);
  // A sign-in link (R31), or the way back from the company's identity provider (issue 18.1), brings its own
  // session; otherwise the stored one is checked.
  if (!redeemSignInLink() && !returnFromSso()) void verifySession(true);
  let running: { key: string; stop: Stop } | null = null;
  const stopRunning = () => {
    running?.stop();
    running = null;
  };
  life.add(
    effect(() => {
      const s = session.value;
      const key = sessionKey(s);
      if (key === running?.key) return;
      stopRunning();
      // Nothing startApp reads on its way belongs to this effect: it follows the session alone.
      if (s && key) running = { key, stop: untracked(() => startApp(s)) };
    }),
  );
  life.add(stopRunning);
  return () => life.stop();
}
