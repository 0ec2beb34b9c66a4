/**
 * The "Chamadas" tab (R21, R22, R25, R27, R28): contact search from the 3rd
 * character with a phone button per contact, "Contatos Frequentes", the dialer
 * ("Discador": click or type digits, backspace, "Ligar") and the call history with
 * its filters, search and paging (each row calls back). Dumb: app.tsx passes the data and the actions.
 * Without an extension (R2) every call button is disabled and the reason shown.
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { CallFilter, CallHistoryEntry } from "../../../../protocol/frames";
import { durationLabel, FILTERS, iconTone, STATUS_TEXT, whenLabel } from "../../model/calls";
import { t } from "../../i18n";
import { words } from "./strings";
import { Avatar } from "../Avatar";
import { PhoneIcon } from "../icon-frame";
import { BackspaceIcon, InboundIcon, OutboundIcon } from "./icons";
import { Keypad } from "./Keypad";

export type Person = { key: string; userId: string | null; name: string; number: string | null; avatarUrl: string | null; sub: string };

export type CallsTabProps = {
  disabledReason: string | null;
  onCall(number: string): void;
  contactQuery: string;
  onContactQuery(q: string): void;
  /** null while the query is shorter than 3 characters. */
  contactResults: Person[] | null;
  frequent: Person[];
  history: { entry: CallHistoryEntry; person: Person }[];
  filter: CallFilter;
  onFilter(f: CallFilter): void;
  historyQuery: string;
  onHistoryQuery(q: string): void;
  loading: boolean;
  loaded: boolean;
  hasMore: boolean;
  onMore(): void;
  now: number;
};

function CallButton({ person, disabled, onCall }: { person: Person; disabled: boolean; onCall(n: string): void }) {
  const label = t.callTo(person.name);
  return (
    <button
      type="button"
      class="icon-button call-to"
      aria-label={label}
      title={disabled ? undefined : label}
      disabled={disabled || !person.number}
      onClick={() => person.number && onCall(person.number)}
    >
      <PhoneIcon size={18} />
    </button>
  );
}

function PersonRow({ person, disabled, onCall }: { person: Person; disabled: boolean; onCall(n: string): void }) {
  return (
    <li class="row call-row">
      <Avatar id={person.userId ?? person.key} name={person.name} url={person.avatarUrl} size={36} />
      <span class="row-main">
        <span class="row-name">{person.name}</span>
        <span class="row-sub">{person.sub}</span>
      </span>
      <CallButton person={person} disabled={disabled} onCall={onCall} />
    </li>
  );
}

/** The tab's two search boxes (contacts, history): labelled by their placeholder, no browser autofill. */
function SearchBox({ label, value, onInput }: { label: string; value: string; onInput(q: string): void }) {
  return (
    <div class="search" role="search">
      <input
        type="search"
        aria-label={label}
        placeholder={label}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
        autocomplete="off"
      />
    </div>
  );
}

/** A titled list of people to call (search results, "Contatos Frequentes"), or its own empty line. */
function PeopleSection({
  class: className,
  titleId,
  title,
  people,
  empty,
  disabled,
  onCall,
}: {
  class?: string;
  titleId: string;
  title: string;
  people: Person[];
  empty: JSX.Element;
  disabled: boolean;
  onCall(n: string): void;
}) {
  return (
    <section aria-labelledby={titleId} class={className}>
      <h2 id={titleId} class="section-title">
        {title}
      </h2>
      {people.length === 0 ? (
        empty
      ) : (
        <ul class="rows">
          {people.map((c) => (
            <PersonRow key={c.key} person={c} disabled={disabled} onCall={onCall} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Dialer({ disabled, onCall }: { disabled: boolean; onCall(n: string): void }) {
  const [digits, setDigits] = useState("");
  const dial = () => {
    if (digits) onCall(digits);
  };
  return (
    <section class="dialer" aria-labelledby="dialer-title">
      <h2 id="dialer-title" class="section-title">
        {words.dialer}
      </h2>
      <div class="dialer-display">
        <input
          aria-label={words.numberToCall}
          inputMode="tel"
          value={digits}
          disabled={disabled}
          onInput={(e) => setDigits(e.currentTarget.value.replace(/[^0-9+*#]/g, ""))}
          onKeyDown={(e) => {
            if (e.key === "Enter") dial();
          }}
        />
        <button
          type="button"
          class="icon-button"
          aria-label={words.backspace}
          disabled={disabled || !digits}
          onClick={() => setDigits(digits.slice(0, -1))}
        >
          <BackspaceIcon />
        </button>
      </div>
      {!disabled && <Keypad label={words.dialer} onKey={(k) => setDigits((d) => d + k)} />}
      <button type="button" class="primary dial" disabled={disabled || !digits} onClick={dial}>
        <PhoneIcon size={18} /> {words.callButton}
      </button>
    </section>
  );
}

function HistoryRow({
  entry,
  person,
  now,
  disabled,
  onCall,
}: {
  entry: CallHistoryEntry;
  person: Person;
  now: number;
  disabled: boolean;
  onCall(n: string): void;
}) {
  const tone = iconTone(entry);
  return (
    <li class="row call-row call-history-row" data-call-id={entry.callId}>
      <Avatar id={person.userId ?? person.key} name={person.name} url={person.avatarUrl} size={36} />
      <span class="row-main">
        <span class="row-name">{person.name}</span>
        <span class="row-sub">
          <span class={`call-icon tone-${tone}`} role="img" aria-label={entry.direction === "inbound" ? words.inbound : words.outbound}>
            {entry.direction === "inbound" ? <InboundIcon /> : <OutboundIcon />}
          </span>
          <span class="call-history-status">{STATUS_TEXT[entry.status]}</span> · {whenLabel(entry.endedAt, now)}
          {entry.answered && ` · ${durationLabel(entry)}`}
        </span>
      </span>
      <CallButton person={person} disabled={disabled} onCall={onCall} />
    </li>
  );
}

export function CallsTab(p: CallsTabProps) {
  const disabled = p.disabledReason !== null;
  return (
    <div class="calls-tab">
      {p.disabledReason && (
        <p class="call-disabled" role="alert">
          {p.disabledReason}
        </p>
      )}
      <SearchBox label={words.searchContacts} value={p.contactQuery} onInput={p.onContactQuery} />
      {p.contactResults && (
        <PeopleSection
          titleId="call-contacts-title"
          title={t.contacts}
          people={p.contactResults}
          empty={<p class="empty empty-title">{t.noContacts}</p>}
          disabled={disabled}
          onCall={p.onCall}
        />
      )}
      <PeopleSection
        class="frequent"
        titleId="frequent-title"
        title={words.frequentContacts}
        people={p.frequent}
        empty={<p class="muted small empty-line">{words.noFrequent}</p>}
        disabled={disabled}
        onCall={p.onCall}
      />
      <Dialer disabled={disabled} onCall={p.onCall} />
      <section aria-labelledby="history-title" class="call-history">
        <h2 id="history-title" class="section-title">
          {words.callHistory}
        </h2>
        <div class="call-filters" role="group" aria-label={words.callFilters}>
          {FILTERS.map((f) => (
            <button type="button" key={f.id} class="chip" aria-pressed={p.filter === f.id} onClick={() => p.onFilter(f.id)}>
              {f.label}
            </button>
          ))}
        </div>
        <SearchBox label={words.searchHistory} value={p.historyQuery} onInput={p.onHistoryQuery} />
        <ul class="rows" aria-label={words.callHistory} aria-busy={p.loading}>
          {p.history.map(({ entry, person }) => (
            <HistoryRow key={entry.callId} entry={entry} person={person} now={p.now} disabled={disabled} onCall={p.onCall} />
          ))}
        </ul>
        {p.loading ? (
          <p class="muted small empty-line" role="status">
            {t.loading}
          </p>
        ) : p.loaded && p.history.length === 0 ? (
          <p class="muted small empty-line">{words.noCalls}</p>
        ) : (
          p.hasMore && (
            <button type="button" class="link" onClick={p.onMore}>
              {t.loadMore}
            </button>
          )
        )}
      </section>
    </div>
  );
}
