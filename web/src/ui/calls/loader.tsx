/**
 * The softphone's door in the first bundle: everything else of it (stores, card,
 * tab, and behind them sip.js) is one dynamic import, fetched when the
 * "Chamadas" tab or a call needs it, or shortly after sign-in so calls can ring
 * in. Keeps the first screen the size it was before the softphone: its words
 * are in ./strings.ts, its styles in ./calls.css, and it reaches the first
 * screen's stores only through stores/softphone-host.ts, filled here when the
 * session starts (startSoftphone, called by start.ts).
 */
import { computed, signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { t } from "../../i18n";
import { postSipTicket } from "../../stores/api";
import { contactById, contacts, otherContacts } from "../../stores/contacts";
import { onHub, sendToHub } from "../../stores/hub";
import type { Lifetime } from "../../stores/lifetime";
import { loadPublicConfig } from "../../stores/public-config";
import { apiWithSession, session } from "../../stores/session";
import { host } from "../../stores/softphone-host";

type Wiring = typeof import("./wiring");
const wiring = signal<Wiring | null>(null);
let loading: Promise<Wiring | null> | null = null;

/** The session the softphone runs for, and whether it has been started in it. */
let life: Lifetime | null = null;
let started = false;

/** Resolves with the softphone, started for the session, or null when it could not be fetched (offline); a later call tries again. */
export function loadPhone(): Promise<Wiring | null> {
  loading ??= import("./wiring").catch(() => {
    loading = null;
    return null;
  });
  return loading.then((m) => {
    if (m && life && !life.stopped && !started) {
      started = true;
      m.start(life);
    }
    // Shown only once started, so its components never meet stores that are not running.
    if (m) wiring.value = m;
    return m;
  });
}

/**
 * Hands the softphone its seam to the stores and loads it shortly after sign-in,
 * so calls can ring in without the tab ever being opened (the module stays
 * loaded across sessions; what it runs stops with this one).
 */
export function startSoftphone(l: Lifetime): void {
  Object.assign(host, {
    session,
    contacts,
    contactById,
    otherContacts,
    onHub,
    sendToHub,
    sipTicket: () => apiWithSession((s) => postSipTicket(s.tenant, s.token)),
    publicConfig: loadPublicConfig,
  } satisfies typeof host);
  life = l;
  started = false;
  l.after(1500, () => void loadPhone());
  l.add(() => {
    life = null;
    started = false;
  });
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
