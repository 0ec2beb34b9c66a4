/**
 * The "Chamadas" tab (R21, R22, R25, R27, R28): contact search from the 3rd
 * character with a phone button per contact, the dialer opened on demand
 * ("Discador": click or type digits, backspace, "Ligar"), "Contatos Frequentes"
 * as a strip of one-click chips, and the call history with its filters, search
 * and paging (each row calls back) — in view first at a laptop's height. Dumb: app.tsx passes the data and the actions.
 * Without an extension (R2) every call button is disabled and the reason shown.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { CallFilter, CallHistoryEntry } from "../../../../protocol/calls";
import { durationLabel, FILTERS, iconTone, STATUS_TEXT, whenLabel } from "../../model/calls";
import { t } from "../../i18n";
import { words } from "./strings";
import { Avatar } from "../Avatar";
import { TitledList } from "../TitledList";
import { PhoneIcon } from "../icon-frame";
import { BackspaceIcon, InboundIcon, KeypadIcon, OutboundIcon } from "./icons";
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

/** The tab's two search boxes (contacts, history): each landmark named apart (axe: landmarks unique), the field by its placeholder, no browser autofill. */
function SearchBox({ region, label, value, onInput }: { region: string; label: string; value: string; onInput(q: string): void }) {
  return (
    <div class="search" role="search" aria-label={region}>
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

/** A titled list of people to call (the contact search's results), or its own empty line. */
function PeopleSection({
  titleId,
  title,
  people,
  empty,
  disabled,
  onCall,
}: {
  titleId: string;
  title: string;
  people: Person[];
  empty: JSX.Element;
  disabled: boolean;
  onCall(n: string): void;
}) {
  return (
    <TitledList
      id={titleId}
      title={title}
      empty={empty}
      items={people.map((c) => (
        <PersonRow key={c.key} person={c} disabled={disabled} onCall={onCall} />
      ))}
    />
  );
}

/** A chip's caption: a colleague's first name, or an outside number's last digits (where numbers differ). */
function shortName(name: string): string {
  return /\p{L}/u.test(name) ? name.split(" ")[0]! : name.length > 6 ? `…${name.slice(-4)}` : name;
}

/** "Contatos Frequentes" (R25) as a compact strip of chips, so the history stays in view: one click calls. */
function FrequentStrip({ people, disabled, onCall }: { people: Person[]; disabled: boolean; onCall(n: string): void }) {
  return (
    <TitledList
      id="frequent-title"
      title={words.frequentContacts}
      class="frequent"
      listClass="frequent-strip"
      empty={<p class="muted small empty-line">{words.noFrequent}</p>}
      items={people.map((p) => (
        <li key={p.key}>
          <button
            type="button"
            class="frequent-chip"
            aria-label={t.callTo(p.name)}
            title={disabled ? undefined : t.callTo(p.name)}
            disabled={disabled || !p.number}
            onClick={() => p.number && onCall(p.number)}
          >
            <span class="frequent-avatar">
              <Avatar id={p.userId ?? p.key} name={p.name} url={p.avatarUrl} size={40} />
              <span class="frequent-phone" aria-hidden="true">
                <PhoneIcon size={12} />
              </span>
            </span>
            <span class="frequent-name" aria-hidden="true">
              {shortName(p.name)}
            </span>
          </button>
        </li>
      ))}
    />
  );
}

function Dialer({ disabled, onCall }: { disabled: boolean; onCall(n: string): void }) {
  const [digits, setDigits] = useState("");
  const input = useRef<HTMLInputElement>(null);
  // Opened on demand: the number field takes the keyboard at once.
  useEffect(() => input.current?.focus(), []);
  const dial = () => {
    if (digits) onCall(digits);
  };
  return (
    <section id="dialer" class="dialer" aria-label={words.dialer}>
      <div class="dialer-display">
        <input
          ref={input}
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
  // The keypad opens on demand ("Discador"), so at a laptop's height the history is in view first (issue 17).
  const [dialerOpen, setDialerOpen] = useState(false);
  return (
    <div class="calls-tab">
      {p.disabledReason && (
        <p class="call-disabled" role="alert">
          {p.disabledReason}
        </p>
      )}
      <div class="calls-tools">
        <SearchBox region={words.contactSearchRegion} label={words.searchContacts} value={p.contactQuery} onInput={p.onContactQuery} />
        <button
          type="button"
          class="button secondary dialer-toggle"
          aria-expanded={dialerOpen}
          aria-controls={dialerOpen ? "dialer" : undefined}
          onClick={() => setDialerOpen(!dialerOpen)}
        >
          <KeypadIcon /> {words.dialer}
        </button>
      </div>
      {dialerOpen && <Dialer disabled={disabled} onCall={p.onCall} />}
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
      <FrequentStrip people={p.frequent} disabled={disabled} onCall={p.onCall} />
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
        <SearchBox region={words.historySearchRegion} label={words.searchHistory} value={p.historyQuery} onInput={p.onHistoryQuery} />
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
