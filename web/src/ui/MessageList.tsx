/**
 * The history of the open chat (R8) as a log: day separators, bubbles (own on the
 * right) with their time and delivery state. Reaching the top asks for the older
 * page; the view keeps its place while pages are prepended (the browser's own
 * scroll anchoring is off, so the two never fight), and follows new messages only
 * when the reader is already at the bottom.
 */
import { useLayoutEffect, useRef } from "preact/hooks";
import type { TimelineItem } from "../model/timeline";
import { t } from "../i18n";
import { AlertIcon, CheckIcon, ClockIcon } from "./icons";

type Props = {
  chatId: string;
  items: TimelineItem[];
  loaded: boolean;
  hasMore: boolean;
  loadingOlder: boolean;
  onNearTop(): void;
  onRetry(clientId: string): void;
  onDiscard(clientId: string): void;
};

const NEAR_TOP = 200;
const NEAR_BOTTOM = 80;

function Status({ item }: { item: Extract<TimelineItem, { kind: "message" }> }) {
  if (item.status === "pending") return <ClockIcon size={14} label={t.sending} />;
  if (item.status === "failed") return <AlertIcon size={14} label={t.failed} />;
  return <CheckIcon size={14} label={t.sent} />;
}

function Bubble({ item, onRetry, onDiscard }: { item: Extract<TimelineItem, { kind: "message" }> } & Pick<Props, "onRetry" | "onDiscard">) {
  return (
    <li class={`msg${item.mine ? " mine" : ""} msg-${item.status}`}>
      <div class="bubble">
        <p class="msg-text">{item.text}</p>
        <span class="msg-meta">
          <time>{item.time}</time>
          {item.mine && <Status item={item} />}
        </span>
      </div>
      {item.status === "failed" && (
        <div class="msg-failed">
          <span>{item.error ?? t.failed}</span>
          <button type="button" class="link" onClick={() => onRetry(item.clientId)}>
            {t.tryAgain}
          </button>
          <button type="button" class="link" onClick={() => onDiscard(item.clientId)}>
            {t.discard}
          </button>
        </div>
      )}
    </li>
  );
}

export function MessageList(props: Props) {
  const { chatId, items, loaded, hasMore, loadingOlder, onNearTop } = props;
  const box = useRef<HTMLDivElement>(null);
  /** Distance from the bottom before the last change, and what sat at the top then. */
  const before = useRef({ chatId: "", fromBottom: 0, firstKey: "", lastKey: "", count: 0 });
  const firstKey = items.find((i) => i.kind === "message")?.key ?? "";
  const last = items.at(-1);
  const lastKey = last?.key ?? "";

  const measure = () => {
    const el = box.current;
    if (el) before.current.fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
  };
  const maybeLoad = () => {
    const el = box.current;
    if (el && loaded && hasMore && !loadingOlder && el.scrollTop < NEAR_TOP) onNearTop();
  };

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const prev = before.current;
    const bottom = () => (el.scrollTop = el.scrollHeight);
    if (prev.chatId !== chatId || prev.count === 0) bottom();
    else if (firstKey !== prev.firstKey && lastKey === prev.lastKey) el.scrollTop = el.scrollHeight - el.clientHeight - prev.fromBottom;
    else if (lastKey !== prev.lastKey && (prev.fromBottom < NEAR_BOTTOM || (last?.kind === "message" && last.mine))) bottom();
    before.current = { chatId, fromBottom: 0, firstKey, lastKey, count: items.length };
    measure();
    maybeLoad();
  });

  return (
    <div
      class="history"
      ref={box}
      onScroll={() => {
        measure();
        maybeLoad();
      }}
    >
      <div class="history-inner">
        <div class="history-top">
          <p role="status" class="loading">
            {loadingOlder ? t.loading : ""}
          </p>
          {!loadingOlder && loaded && !hasMore && items.length > 0 && <p class="muted small">{t.startOfChat}</p>}
        </div>
        {loaded && items.length === 0 && <p class="empty muted">{t.emptyChat}</p>}
        {!loaded && items.length === 0 && <p class="empty muted">{t.loading}</p>}
        <div role="log" aria-label={t.messages}>
          <ol class="log">
            {items.map((item) =>
              item.kind === "day" ? (
                <li key={item.key} class="day">
                  <span>{item.label}</span>
                </li>
              ) : (
                <Bubble key={item.key} item={item} onRetry={props.onRetry} onDiscard={props.onDiscard} />
              ),
            )}
          </ol>
        </div>
      </div>
    </div>
  );
}
