/**
 * "Ver Histórico Completo" (R30): the whole customer conversation in a modal
 * pop-up, customer on one side and agent or bot on the other, each line with its
 * time and any media as a link (http(s) only, in a new tab, no opener). It loads
 * when it opens (with "Tentar de novo" on failure), scrolls, and closes with
 * Escape or "Fechar", giving focus back to the button that opened it. Text only:
 * nothing from the transcript is ever rendered as markup.
 */
import type { RefObject } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { ShareCard, Transcript, TranscriptLine } from "../../../protocol/share";
import { t } from "../i18n";
import { parts } from "./panels-parts";

type State = { kind: "loading" } | { kind: "error"; gone: boolean } | { kind: "ready"; transcript: Transcript };

function Line({ line, now }: { line: TranscriptLine; now: number }) {
  const href = line.media ? parts.safeHref(line.media.url) : null;
  const who = line.author ?? t.shareFrom[line.from];
  return (
    <li class={`tline tline-${parts.lineSide(line.from)} from-${line.from}`}>
      <div class="tline-bubble">
        <p class="tline-who">
          <span class="tline-role">{t.shareFrom[line.from]}</span>
          {line.author && <span> · {who}</span>}
        </p>
        {line.text && <p class="tline-text">{line.text}</p>}
        {line.media &&
          (href ? (
            <a class="tline-media" href={href} target="_blank" rel="noopener noreferrer">
              📎 {line.media.name ?? t.shareMedia} ({line.media.type})
            </a>
          ) : (
            <p class="tline-media">📎 {line.media.name ?? t.shareMedia}</p>
          ))}
        <time class="tline-time" dateTime={line.at}>
          {parts.lineTime(line.at, now)}
        </time>
      </div>
    </li>
  );
}

export function TranscriptDialog({
  chatId,
  card,
  onClose,
  returnTo,
}: {
  chatId: string;
  card: ShareCard;
  onClose(): void;
  /** "Ver Histórico Completo", focused again on close. */
  returnTo: RefObject<HTMLElement | null>;
}) {
  const [state, setState] = useState<State>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setState({ kind: "loading" });
    void parts.loadTranscript(chatId, card.shareId).then((r) => {
      if (live) setState(r.ok ? { kind: "ready", transcript: r.transcript } : { kind: "error", gone: r.gone });
    });
    return () => {
      live = false;
    };
  }, [chatId, card.shareId, attempt]);

  const now = Date.now();
  return (
    <parts.Modal class="modal transcript-modal" labelledBy="transcript-title" onClose={onClose} returnTo={returnTo}>
      <header class="transcript-head">
        <parts.ChannelIcon channel={card.channel} size={22} />
        <div>
          <h2 id="transcript-title">{t.shareHistoryTitle(card.protocol)}</h2>
          <p class="muted small">
            {card.customer.name}
            {card.customer.phone ? ` · ${card.customer.phone}` : ""} · {t.shareStartedAt}: {parts.lineTime(card.startedAt, now)}
          </p>
        </div>
      </header>
      {state.kind === "loading" && (
        <p class="transcript-status muted" role="status">
          {t.loading}
        </p>
      )}
      {state.kind === "error" && (
        <div class="transcript-status">
          <p role="alert">{state.gone ? t.shareHistoryGone : t.shareHistoryError}</p>
          {!state.gone && (
            <button type="button" class="button secondary" onClick={() => setAttempt((n) => n + 1)}>
              {t.tryAgain}
            </button>
          )}
        </div>
      )}
      {state.kind === "ready" && (
        <ol class="transcript" aria-label={t.shareLines} tabIndex={0}>
          {state.transcript.messages.map((line, i) => (
            <Line key={i} line={line} now={now} />
          ))}
        </ol>
      )}
      <div class="modal-actions">
        <button type="button" class="button" onClick={onClose} autoFocus>
          {t.close}
        </button>
      </div>
    </parts.Modal>
  );
}
