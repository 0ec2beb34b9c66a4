/**
 * The card a shared customer conversation shows in a chat (R30): the channel's
 * icon (WhatsApp / WebChat), the protocol number, the customer's name, the last
 * few lines, the agent's note, and "Ver Histórico Completo", which opens the whole
 * conversation in a pop-up. Every piece of the transcript is rendered as text.
 */
import { useState } from "preact/hooks";
import type { ShareCard as Card } from "../../../protocol/share";
import { t } from "../i18n";
import { olderLines } from "../model/share";
import { Svg } from "./icons";
import { TranscriptDialog } from "./TranscriptDialog";

export function ChannelIcon({ channel, size = 18 }: { channel: Card["channel"]; size?: number }) {
  return channel === "whatsapp" ? (
    <Svg label={t.shareChannel.whatsapp} size={size}>
      <path d="M4 20l1.3-4A8 8 0 1 1 8.4 19z" />
      <path d="M9 9.5c.5 2.5 2.5 4.5 5 5l1.3-1.3-2-1-1 .8a4 4 0 0 1-1.8-1.8l.8-1-1-2z" />
    </Svg>
  ) : (
    <Svg label={t.shareChannel.webchat} size={size}>
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18" />
    </Svg>
  );
}

export function ShareCard({ card, chatId }: { card: Card; chatId: string }) {
  const [open, setOpen] = useState(false);
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
      <button type="button" class="button secondary share-open" onClick={() => setOpen(true)}>
        {t.shareFullHistory}
      </button>
      {open && <TranscriptDialog chatId={chatId} card={card} onClose={() => setOpen(false)} />}
    </section>
  );
}
