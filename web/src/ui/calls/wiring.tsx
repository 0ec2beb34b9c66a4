/**
 * Where the softphone's stores meet its components (kept beside them so app.tsx
 * only places two elements): the "Chamadas" tab's content and the floating call
 * cards, plus the ring while a call rings in. Atendimento users (R26) get no card;
 * their calls go out by postMessage (stores/phone.ts).
 */
import { computed, signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { PublicUser } from "../../../../protocol/http";
import { t } from "../../i18n";
import { words } from "./strings";
import { END_TEXT, forbiddenText } from "../../model/callCard";
import { searchByName } from "../../model/search";
import {
  callEntries,
  callFilter,
  callQuery,
  callsLoaded,
  callsLoading,
  frequent,
  hasMoreCalls,
  loadMoreCalls,
  showCalls,
  startCalls,
} from "../../stores/calls";
import { now } from "../../stores/clock";
import {
  answer,
  call,
  cards,
  dismiss,
  ensurePhone,
  handedOff,
  hangup,
  phoneError,
  phoneStatus,
  sendTone,
  setHeld,
  setMuted,
  startPhone,
  transfer,
  type PhoneProblem,
} from "../../stores/phone";
import { CallCards } from "./CallCard";
import type { Lifetime } from "../../stores/lifetime";
import { host } from "../../stores/softphone-host";
import { CallsTab, type Person } from "./CallsTab";
import { setRinging } from "./ring";
import { addStylesOnce } from "../add-styles";
import callsCss from "./calls.css" with { type: "text" };

const contactQuery = signal("");

function problemText(p: PhoneProblem | null): string {
  if (p?.kind === "not-loaded") return words.phoneNotLoaded;
  if (p?.kind === "not-configured") return words.phoneNotConfigured;
  if (p?.kind === "unreachable") return words.callServerUnreachable;
  if (p?.kind === "refused" && p.status === 403) return forbiddenText(p.reason ?? "");
  if (p?.kind === "refused" && p.status === 503) return END_TEXT.serviceDown;
  if (p?.kind === "refused") return words.registerRefused(p.status);
  return words.phoneUnavailable;
}

/** Why calls cannot be made right now, or null. */
export const callsDisabledReason = computed(() => {
  if (phoneStatus.value === "no-extension") return t.noExtension;
  if (phoneStatus.value === "error") return problemText(phoneError.value);
  return null;
});

function personOf(userId: string | null, number: string): Person {
  const c = userId ? host.contactById.value.get(userId) : undefined;
  return {
    key: userId ?? number,
    userId,
    name: c?.name ?? number,
    number: c ? c.extension : number,
    avatarUrl: c?.avatarUrl ?? null,
    sub: c ? (c.extension ?? c.department) : number,
  };
}

function contactPerson(c: PublicUser): Person {
  return {
    key: c.id,
    userId: c.id,
    name: c.name,
    number: c.extension,
    avatarUrl: c.avatarUrl,
    sub: c.extension ? `${words.extension} ${c.extension}` : c.department,
  };
}

export function CallsSidebar() {
  useEffect(() => {
    showCalls();
    void ensurePhone();
  }, []);
  const results = searchByName(host.otherContacts.value, contactQuery.value);
  return (
    <CallsTab
      disabledReason={callsDisabledReason.value}
      onCall={(n) => void call(n)}
      contactQuery={contactQuery.value}
      onContactQuery={(q) => (contactQuery.value = q)}
      contactResults={results ? results.map(contactPerson) : null}
      frequent={frequent.value.map((f) => personOf(f.userId, f.number))}
      history={callEntries.value.map((entry) => ({ entry, person: personOf(entry.other.userId, entry.other.number) }))}
      filter={callFilter.value}
      onFilter={(f) => (callFilter.value = f)}
      historyQuery={callQuery.value}
      onHistoryQuery={(q) => (callQuery.value = q)}
      loading={callsLoading.value}
      loaded={callsLoaded.value}
      hasMore={hasMoreCalls.value}
      onMore={loadMoreCalls}
      now={now.value}
    />
  );
}

export { call };

export function PhoneCards() {
  if (handedOff.value) return null;
  return (
    <CallCards
      cards={cards.value}
      on={{
        answer: (id) => void answer(id),
        hangup: (id) => void hangup(id),
        dismiss,
        mute: setMuted,
        hold: (id, on) => void setHeld(id, on),
        tone: (id, k) => void sendTone(id, k),
        transfer,
      }}
    />
  );
}

/** Runs the softphone for the session: its stores, the ring while a call rings in, and its styles (added once). */
export function start(life: Lifetime): void {
  addStylesOnce(callsCss as string);
  startCalls(life);
  startPhone(life);
  life.effect(() => setRinging(!handedOff.value && cards.value.some((c) => c.phase === "ringing")));
  life.add(() => {
    setRinging(false);
    contactQuery.value = "";
  });
}
