/**
 * The softphone's door in the first bundle: everything else of it (stores, card,
 * tab, and behind them sip.js) is one dynamic import, fetched when the
 * "Chamadas" tab or a call needs it, or shortly after sign-in so calls can ring
 * in. Keeps the first screen the size it was before the softphone: its words
 * are in ./strings.ts, its styles in ./calls.css, and it reaches the first
 * screen's stores only through ./host.ts, filled here.
 */
import { computed, effect, signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { t } from "../../i18n";
import { userRoomId } from "../../../../protocol/ids";
import { contactById, contacts, otherContacts } from "../../stores/contacts";
import { openRoomSocket } from "../../stores/room-socket";
import { session } from "../../stores/session";
import { host } from "./host";

Object.assign(host, {
  session,
  contacts,
  contactById,
  otherContacts,
  openRoomSocket,
  userRoomId,
} satisfies typeof host);

type Wiring = typeof import("./wiring");
const wiring = signal<Wiring | null>(null);
let loading: Promise<Wiring | null> | null = null;

/** Resolves with the softphone, or null when it could not be fetched (offline); a later call tries again. */
export function loadPhone(): Promise<Wiring | null> {
  loading ??= import("./wiring").then(
    (m) => (wiring.value = m),
    () => {
      loading = null;
      return null;
    },
  );
  return loading;
}

/** Why calls cannot be made right now (R2), or null; known before the phone is loaded. */
export const callsDisabledReason = computed(() => {
  if (session.value && !session.value.user.extension) return t.noExtension;
  return wiring.value?.callsDisabledReason.value ?? null;
});

export function callNumber(number: string) {
  void loadPhone().then((m) => m?.call(number));
}

export function CallsSidebar() {
  useEffect(() => void loadPhone(), []);
  const W = wiring.value;
  return W ? <W.CallsSidebar /> : <p class="empty muted">{t.loading}</p>;
}

export function PhoneCards() {
  const W = wiring.value;
  return W ? <W.PhoneCards /> : null;
}

const signedIn = computed(() => !!session.value?.token);
effect(() => {
  if (!signedIn.value) return;
  const timer = setTimeout(() => void loadPhone(), 1500);
  return () => clearTimeout(timer);
});
