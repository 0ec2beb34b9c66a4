/**
 * The floating call cards (R23, R24): one per call, over whatever screen is open,
 * so they stay while the user moves between tabs and chats. Before an answer:
 * "Em espera" and "Desligar" (outgoing) or "Recebendo", "Recusar", "Atender"
 * (incoming); once answered: the timer, "Teclado" (DTMF), "Transferir", "Mudo",
 * "Em espera"/"Retomar" and "Desligar"; a failed call says why.
 */
import { useEffect, useState } from "preact/hooks";
import { actions, timer, type Card } from "../../model/callCard";
import { t } from "../../i18n";
import { words } from "./strings";
import { CloseIcon, PhoneIcon } from "../icon-frame";
import { HangupIcon, HoldIcon, InboundIcon, KeypadIcon, MicOffIcon, OutboundIcon, TransferIcon } from "./icons";
import { Keypad } from "./Keypad";

export type CardHandlers = {
  answer(id: string): void;
  hangup(id: string): void;
  dismiss(id: string): void;
  mute(id: string, on: boolean): void;
  hold(id: string, on: boolean): void;
  tone(id: string, key: string): void;
  transfer(id: string, number: string): Promise<boolean>;
};

function useTick(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const i = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(i);
  }, [active]);
  return now;
}

function status(card: Card, now: number): string {
  switch (card.phase) {
    case "dialing":
      return words.callWaiting;
    case "ringing":
      return words.callRinging;
    case "answering":
      return words.callConnecting;
    case "active":
      return card.held ? words.callHeld : timer(now - (card.answeredAt ?? now));
    case "ended":
      return card.error ?? words.callEnded;
  }
}

function OneCard({ card, on }: { card: Card; on: CardHandlers }) {
  const now = useTick(card.phase === "active");
  const [panel, setPanel] = useState<"keypad" | "transfer" | null>(null);
  const [sent, setSent] = useState("");
  const [target, setTarget] = useState("");
  const [transferNote, setTransferNote] = useState<string | null>(null);
  const who = card.name ?? card.number;
  const btn = (label: string, cls: string, onClick: () => void, icon: preact.JSX.Element, pressed?: boolean) => (
    <button type="button" class={`call-btn ${cls}`} aria-label={label} title={label} aria-pressed={pressed} onClick={onClick}>
      {icon}
      <span>{label}</span>
    </button>
  );
  const byAction = {
    hangup: () => btn(words.hangUp, "danger", () => on.hangup(card.id), <HangupIcon />),
    decline: () => btn(words.decline, "danger", () => on.hangup(card.id), <HangupIcon />),
    answer: () => btn(words.answerCall, "ok", () => on.answer(card.id), <PhoneIcon size={18} />),
    keypad: () => btn(words.keypad, "", () => setPanel(panel === "keypad" ? null : "keypad"), <KeypadIcon />, panel === "keypad"),
    transfer: () =>
      btn(words.transfer, "", () => setPanel(panel === "transfer" ? null : "transfer"), <TransferIcon />, panel === "transfer"),
    mute: () => btn(words.mute, "", () => on.mute(card.id, !card.muted), <MicOffIcon />, card.muted),
    hold: () => btn(card.held ? words.resume : words.hold, "", () => on.hold(card.id, !card.held), <HoldIcon />, card.held),
    dismiss: () => btn(t.close, "", () => on.dismiss(card.id), <CloseIcon />),
  };
  return (
    <section class={`call-card call-${card.phase}`} aria-label={words.callWith(who)}>
      <header class="call-head">
        <span class="call-dir" role="img" aria-label={card.direction === "inbound" ? words.inbound : words.outbound}>
          {card.direction === "inbound" ? <InboundIcon /> : <OutboundIcon />}
        </span>
        <span class="call-who">
          <strong class="call-name">{who}</strong>
          {card.name && <span class="muted small call-number">{card.number}</span>}
        </span>
      </header>
      {card.phase === "active" && !card.held ? (
        // The running time: a timer (not announced every second, unlike a status), named like the composer's.
        <p class="call-status" role="timer" aria-label={words.callDuration}>
          {status(card, now)}
        </p>
      ) : (
        <p class={`call-status${card.error ? " call-error" : ""}`} role={card.error ? "alert" : "status"}>
          {status(card, now)}
        </p>
      )}
      {card.phase === "active" && panel === "keypad" && (
        <div class="call-panel">
          <output class="call-tones" aria-label={words.tonesSent}>
            {sent}
          </output>
          <Keypad
            label={words.keypad}
            onKey={(k) => {
              on.tone(card.id, k);
              setSent((s) => (s + k).slice(-16));
            }}
          />
        </div>
      )}
      {card.phase === "active" && panel === "transfer" && (
        <form
          class="call-panel call-transfer"
          onSubmit={(e) => {
            e.preventDefault();
            void on.transfer(card.id, target).then((ok) => setTransferNote(ok ? words.transferDone : words.transferFailed));
          }}
        >
          <label>
            {words.transferTo}
            <input inputMode="tel" value={target} onInput={(e) => setTarget((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" class="primary" disabled={!target.trim()}>
            {words.transfer}
          </button>
          {transferNote && <p role="status">{transferNote}</p>}
        </form>
      )}
      <div class="call-actions">{actions(card).map((a) => byAction[a]())}</div>
    </section>
  );
}

export function CallCards({ cards, on }: { cards: Card[]; on: CardHandlers }) {
  if (cards.length === 0) return null;
  return (
    <div class="call-cards">
      {cards.map((c) => (
        <OneCard key={c.id} card={c} on={on} />
      ))}
    </div>
  );
}
