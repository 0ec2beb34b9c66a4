/**
 * The "Chamadas" tab (R21, R22, R25, R27, R28): contact search from the 3rd
 * character with a phone button per contact, "Contatos Frequentes", the dialer
 * ("Discador": click or type digits, backspace, "Ligar") and the call history with
 * its filters, search and paging (each row calls back). Dumb: app.tsx passes the data and the actions.
 * Without an extension (R2) every call button is disabled and the reason shown.
 */
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
      <div class="search" role="search">
        <input
          type="search"
          aria-label={words.searchContacts}
          placeholder={words.searchContacts}
          value={p.contactQuery}
          onInput={(e) => p.onContactQuery(e.currentTarget.value)}
          autocomplete="off"
        />
      </div>
      {p.contactResults && (
        <section aria-labelledby="call-contacts-title">
          <h2 id="call-contacts-title" class="section-title">
            {t.contacts}
          </h2>
          {p.contactResults.length === 0 ? (
            <p class="empty empty-title">{t.noContacts}</p>
          ) : (
            <ul class="rows">
              {p.contactResults.map((c) => (
                <PersonRow key={c.key} person={c} disabled={disabled} onCall={p.onCall} />
              ))}
            </ul>
          )}
        </section>
      )}
      <section aria-labelledby="frequent-title" class="frequent">
        <h2 id="frequent-title" class="section-title">
          {words.frequentContacts}
        </h2>
        {p.frequent.length === 0 ? (
          <p class="muted small empty-line">{words.noFrequent}</p>
        ) : (
          <ul class="rows">
            {p.frequent.map((c) => (
              <PersonRow key={c.key} person={c} disabled={disabled} onCall={p.onCall} />
            ))}
          </ul>
        )}
      </section>
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
        <div class="search" role="search">
          <input
            type="search"
            aria-label={words.searchHistory}
            placeholder={words.searchHistory}
            value={p.historyQuery}
            onInput={(e) => p.onHistoryQuery(e.currentTarget.value)}
            autocomplete="off"
          />
        </div>
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
