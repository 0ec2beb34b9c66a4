/**
 * The history of the open chat (R8) as a log: day separators, bubbles (own on the
 * right) with their time and delivery state. Reaching the top asks for the older
 * page; the view keeps its place while pages are prepended (the browser's own
 * scroll anchoring is off, so the two never fight), and follows new messages only
 * when the reader is already at the bottom. Bubbles carry attachments, reply
 * quotes (a click scrolls to and highlights the original), "Encaminhada", the
 * "⋮" actions, and clickable links — text is always rendered as text. In groups,
 * others' messages carry their sender's name and events show as centred system lines.
 */
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import { linkParts } from "../model/links";

type LinkFinder = Parameters<typeof linkParts>[1];
import type { TimelineItem } from "../model/timeline";
import { describeEvent } from "../../../protocol/groups";
import { t } from "../i18n";
import { AttachmentView, type FileLink } from "./Attachment";
import { AlertIcon, CheckIcon, ClockIcon, ForwardIcon } from "./icons";
import { MessageMenu, type MenuAction } from "./MessageMenu";
import { ShareCard } from "./ShareCard";

type MessageItem = Extract<TimelineItem, { kind: "message" }>;

/** What the "⋮" menu and the quotes do; the app wires them to the stores. */
export type MessageActions = {
  copy(item: MessageItem): void;
  reply(seq: number): void;
  forward(seq: number): void;
  remove(seq: number): void;
  jumpTo(seq: number): void;
  nameOf(userId: string): string;
  link: FileLink;
  /** linkifyjs's `find` once loaded; text stays plain until then. */
  find: LinkFinder;
};

type Props = {
  chatId: string;
  items: TimelineItem[];
  loaded: boolean;
  hasMore: boolean;
  loadingOlder: boolean;
  onNearTop(): void;
  onRetry(clientId: string): void;
  onDiscard(clientId: string): void;
  actions: MessageActions;
  highlight: number | null;
  onHighlightShown(): void;
  /** A group: name the sender above others' messages. */
  showSenders?: boolean;
};

const NEAR_TOP = 200;
const NEAR_BOTTOM = 80;

function Status({ item }: { item: MessageItem }) {
  if (item.status === "pending") return <ClockIcon size={14} label={t.sending} />;
  if (item.status === "failed") return <AlertIcon size={14} label={t.failed} />;
  return <CheckIcon size={14} label={t.sent} />;
}

function Text({ text, find }: { text: string; find: LinkFinder }) {
  return (
    <p class="msg-text">
      {linkParts(text, find).map((p, i) =>
        p.href ? (
          <a key={i} href={p.href} target="_blank" rel="noopener noreferrer">
            {p.text}
          </a>
        ) : (
          p.text
        ),
      )}
    </p>
  );
}

function menuFor(item: MessageItem, a: MessageActions): MenuAction[] {
  const seq = item.seq;
  if (seq === null || item.deleted) return [];
  return [
    { label: t.copy, run: () => a.copy(item) },
    { label: t.reply, run: () => a.reply(seq) },
    { label: t.forward, run: () => a.forward(seq) },
    ...(item.mine ? [{ label: t.delete, run: () => a.remove(seq), danger: true }] : []),
  ];
}

function Bubble({
  chatId,
  item,
  actions,
  highlighted,
  sender,
  onRetry,
  onDiscard,
}: { chatId: string; item: MessageItem; actions: MessageActions; highlighted: boolean; sender: string | null } & Pick<
  Props,
  "onRetry" | "onDiscard"
>) {
  if (item.system) {
    return (
      <li class="msg-system" data-seq={item.seq ?? undefined}>
        <span>{describeEvent(item.system, actions.nameOf)}</span>
      </li>
    );
  }
  const menu = menuFor(item, actions);
  return (
    <li
      class={`msg${item.mine ? " mine" : ""} msg-${item.status}${item.deleted ? " msg-deleted" : ""}${highlighted ? " highlight" : ""}`}
      data-seq={item.seq ?? undefined}
    >
      <div class="msg-row">
        <div class="bubble">
          {sender && <p class="msg-sender">{sender}</p>}
          {item.forwarded && !item.deleted && (
            <p class="msg-forwarded">
              <ForwardIcon size={14} /> {t.forwarded}
            </p>
          )}
          {item.replyTo && !item.deleted && (
            <button
              type="button"
              class="quote"
              aria-label={`${t.showOriginal}: ${item.quoteDeleted ? t.deletedMessage : item.replyTo.snippet}`}
              onClick={() => actions.jumpTo(item.replyTo!.seq)}
            >
              <strong>{actions.nameOf(item.replyTo.senderId)}</strong>
              <span>{item.quoteDeleted ? t.deletedMessage : item.replyTo.snippet}</span>
            </button>
          )}
          {item.deleted ? (
            <p class="msg-text msg-gone">{t.deletedMessage}</p>
          ) : (
            <>
              {item.attachment && <AttachmentView attachment={item.attachment} link={actions.link} />}
              {item.share && <ShareCard card={item.share} chatId={chatId} />}
              {item.text && item.text !== item.share?.note && <Text text={item.text} find={actions.find} />}
            </>
          )}
          <span class="msg-meta">
            <time>{item.time}</time>
            {item.mine && <Status item={item} />}
          </span>
        </div>
        {menu.length > 0 && <MessageMenu actions={menu} />}
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

/** The first of consecutive messages from one sender (a day or system line breaks the run). */
function startsRun(items: TimelineItem[], i: number): boolean {
  const prev = items[i - 1];
  const item = items[i];
  return !prev || prev.kind !== "message" || !!prev.system || item?.kind !== "message" || prev.senderId !== item.senderId;
}

export function MessageList(props: Props) {
  const { chatId, items, loaded, hasMore, loadingOlder, onNearTop, highlight, onHighlightShown } = props;
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

  // A clicked quote: bring the original into view once it is rendered, then let the highlight fade.
  const highlightLoaded = highlight !== null && items.some((i) => i.kind === "message" && i.seq === highlight);
  useEffect(() => {
    if (!highlightLoaded) return;
    box.current?.querySelector(`[data-seq="${highlight}"]`)?.scrollIntoView({ block: "center" });
    const done = setTimeout(onHighlightShown, 2_500);
    return () => clearTimeout(done);
  }, [highlight, highlightLoaded]);

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
            {items.map((item, i) =>
              item.kind === "day" ? (
                <li key={item.key} class="day">
                  <span>{item.label}</span>
                </li>
              ) : (
                <Bubble
                  key={item.key}
                  chatId={chatId}
                  item={item}
                  actions={props.actions}
                  highlighted={item.seq !== null && item.seq === highlight}
                  sender={props.showSenders && !item.mine && startsRun(items, i) ? props.actions.nameOf(item.senderId) : null}
                  onRetry={props.onRetry}
                  onDiscard={props.onDiscard}
                />
              ),
            )}
          </ol>
        </div>
      </div>
    </div>
  );
}
