/**
 * The card a shared customer conversation shows in a chat (R30): the channel's
 * icon (WhatsApp / WebChat), the protocol number, the customer's name, the last
 * few lines, the agent's note, and "Ver Histórico Completo", which opens the whole
 * conversation in a pop-up. Every piece of the transcript is rendered as text.
 */
import { useRef, useState } from "preact/hooks";
import type { ShareCard as Card } from "../../../protocol/share";
import { t } from "../i18n";
import { olderLines } from "../model/share";
import { ChannelIcon } from "./ChannelIcon";
import { onDemand } from "./panels-door";

const TranscriptDialog = onDemand((m) => m.TranscriptDialog);

export function ShareCard({ card, chatId }: { card: Card; chatId: string }) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const older = olderLines(card);
  return (
    <section class={`share-card share-${card.channel}`} aria-label={t.shareCardLabel(card.protocol, card.customer.name)}>
      <header class="share-head">
        <ChannelIcon channel={card.channel} />
        <span class="share-protocol">
          {t.shareProtocol} <strong>{card.protocol}</strong>
        </span>
        <span class="share-customer">{card.customer.name}</span>
      </header>
      {older > 0 && <p class="share-older muted small">{t.shareMoreLines(older)}</p>}
      <ol class="share-lines" aria-label={t.shareLines}>
        {card.lastLines.map((line, i) => (
          <li key={i} class={`share-line from-${line.from}`}>
            <span class="share-who">{line.author ?? t.shareFrom[line.from]}:</span>{" "}
            <span>{line.text ?? `📎 ${line.media?.name ?? t.shareMedia}`}</span>
          </li>
        ))}
      </ol>
      {card.note && <p class="share-note">{card.note}</p>}
      <button ref={opener} type="button" class="button secondary share-open" onClick={() => setOpen(true)}>
        {t.shareFullHistory}
      </button>
      {open && <TranscriptDialog chatId={chatId} card={card} onClose={() => setOpen(false)} returnTo={opener} />}
    </section>
  );
}
