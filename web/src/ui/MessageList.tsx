/**
 * The history of the open chat (R8) as a log: day separators, the "Mensagens não
 * lidas" line, bubbles (own on the right) with their time and delivery state. A
 * chat opens at the unread line, else at the newest message; reaching the top asks
 * for the older page. The view never jumps (issue 17): at the bottom it stays at
 * the bottom whatever grows (new messages, media loading late), and elsewhere the
 * message at the top of the view is kept in place through older pages, media and
 * long messages unfolding — done here for every browser, so the browser's own
 * scroll anchoring (`overflow-anchor`, missing in Safari) is off and the two never
 * fight. Scrolled up, a floating "↓" with the count of new messages jumps to the
 * newest. Long messages show their start and "Ler mais". Bubbles carry attachments, reply
 * quotes (a click scrolls to and highlights the original), "Encaminhada", the
 * "⋮" actions, and clickable links — text is always rendered as text. In groups,
 * others' messages carry their sender's name and events show as centred system lines.
 * Issue 17: one's own messages show ✓ "Enviada" / ✓✓ "Entregue" / "Lida"; an
 * edited one says "editada"; "Reagir" (on hover, and in the "⋮" menu) offers quick
 * emojis and the picker, and the reactions show as chips under the bubble;
 * mentions are highlighted, and a message mentioning the reader stands out.
 */
import { Component } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { linkParts } from "../model/links";

type LinkFinder = Parameters<typeof linkParts>[1];
import type { TimelineItem } from "../model/timeline";
import { describeEvent } from "../../../protocol/groups";
import { t } from "../i18n";
import { badgeText } from "../model/unread";
import { AttachmentView, type FileLink } from "./Attachment";
import type { MentionPart } from "../model/mentions";
import { AlertIcon, CheckIcon, ClockIcon, DoubleCheckIcon, ForwardIcon } from "./icons";
import { MessageMenu, type MenuAction } from "./MessageMenu";
import { extras, fromExtras } from "./extras-door";
import { ShareCard } from "./ShareCard";

type MessageItem = Extract<TimelineItem, { kind: "message" }>;

const ReactTool = fromExtras((m) => m.ReactTool);
const ReactionChips = fromExtras((m) => m.ReactionChips);

/** What the "⋮" menu and the quotes do; the app wires them to the stores. */
export type MessageActions = {
  copy(item: MessageItem): void;
  reply(seq: number): void;
  forward(seq: number): void;
  remove(seq: number): void;
  jumpTo(seq: number): void;
  nameOf(userId: string): string;
  /** The person's own name, also for oneself (mentions are written with it). */
  contactName(userId: string): string;
  /** Issue 17.4: whether "Editar" is offered now (own text message, within 15 minutes), asked as the menu opens. */
  canEdit(item: MessageItem): boolean;
  edit(seq: number): void;
  /** Issue 17.5: toggles one's reaction with this emoji. */
  react(seq: number, emoji: string): void;
  /** Issue 17.5: "Reagir" in the menu opens the message's quick emojis. */
  openReactions(seq: number): void;
  /** Issue 17.1: "Informações da mensagem". */
  info(seq: number): void;
  /** The signed-in user's id (own reactions, mentions of oneself). */
  me: string;
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
  /** The read cursor as the chat opened when something was unread (the "Mensagens não lidas" line), else null. */
  unreadAfter: number | null;
};

const NEAR_TOP = 200;
const NEAR_BOTTOM = 80;

/** Issue 17.1: ✓ "Enviada", ✓✓ "Entregue", ✓✓ in the accent colour "Lida" (before that: "Enviando" or "Não enviada"). */
function Status({ item }: { item: MessageItem }) {
  if (item.status === "pending") return <ClockIcon size={14} label={t.sending} />;
  if (item.status === "failed") return <AlertIcon size={14} label={t.failed} />;
  const r = item.receipt ?? "sent";
  return (
    <span class={`receipt ${r}`}>
      {r === "sent" ? <CheckIcon size={14} label={t.sent} /> : <DoubleCheckIcon size={16} label={r === "read" ? t.read : t.delivered} />}
    </span>
  );
}

/** Longer than this (in lines or characters), a message shows its start and "Ler mais" (issue 17: no 4,000-px bubbles). */
const LONG_LINES = 18;
const LONG_CHARS = 1200;

/** Plain text with its links clickable. */
function Linked({ text, find }: { text: string; find: LinkFinder }) {
  return (
    <>
      {linkParts(text, find).map((p, i) =>
        p.href ? (
          <a key={i} href={p.href} target="_blank" rel="noopener noreferrer">
            {p.text}
          </a>
        ) : (
          p.text
        ),
      )}
    </>
  );
}

function Text({ text, find, mentions }: { text: string; find: LinkFinder; mentions: MentionPart[] | null }) {
  const long = text.length > LONG_CHARS || text.split("\n").length > LONG_LINES;
  const [open, setOpen] = useState(false);
  const body = (
    <p class={`msg-text${long && !open ? " collapsed" : ""}`}>
      {mentions ? (
        mentions.map((p, i) =>
          p.mention ? (
            <strong key={i} class={`mention${p.me ? " me" : ""}`}>
              {p.text}
            </strong>
          ) : (
            <Linked key={i} text={p.text} find={find} />
          ),
        )
      ) : (
        <Linked text={text} find={find} />
      )}
    </p>
  );
  if (!long) return body;
  return (
    <div class="msg-long">
      {body}
      <button type="button" class="link read-more" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t.readLess : t.readMore}
      </button>
    </div>
  );
}

function menuFor(item: MessageItem, a: MessageActions): MenuAction[] {
  const seq = item.seq;
  if (seq === null || item.deleted) return [];
  return [
    { label: t.copy, run: () => a.copy(item) },
    { label: t.reply, run: () => a.reply(seq) },
    { label: t.forward, run: () => a.forward(seq) },
    { label: t.react, run: () => a.openReactions(seq) },
    ...(a.canEdit(item) ? [{ label: t.edit, run: () => a.edit(seq) }] : []),
    ...(item.mine ? [{ label: t.messageInfo, run: () => a.info(seq) }] : []),
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
      <li class="msg-system" data-seq={item.seq ?? undefined} data-key={item.key}>
        <span>{describeEvent(item.system, actions.nameOf)}</span>
      </li>
    );
  }
  const hasMenu = item.seq !== null && !item.deleted;
  const mentioned = !item.deleted && item.mentionsMe;
  // Highlighting comes with the group's on-demand parts: plain text until they are here.
  const mentions = item.mentions?.length
    ? (extras()?.mentionParts(item.text, item.mentions, actions.contactName, actions.me) ?? null)
    : null;
  // A picture or a video sizes its bubble: the caption wraps under it instead of widening it (issue 17).
  const media = !item.deleted && (item.attachment?.kind === "image" || item.attachment?.kind === "video");
  return (
    <li
      class={`msg${item.mine ? " mine" : ""} msg-${item.status}${item.deleted ? " msg-deleted" : ""}${highlighted ? " highlight" : ""}${mentioned ? " msg-mentioned" : ""}`}
      data-seq={item.seq ?? undefined}
      data-key={item.key}
    >
      <div class="msg-row">
        <div class={`bubble${media ? " has-media" : ""}`}>
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
              {item.text && item.text !== item.share?.note && <Text text={item.text} find={actions.find} mentions={mentions} />}
            </>
          )}
          <span class="msg-meta">
            {item.editedAt !== undefined && !item.deleted && <span class="msg-edited">{t.edited}</span>}
            <time>{item.time}</time>
            {item.mine && <Status item={item} />}
          </span>
        </div>
        {hasMenu && (
          <div class="msg-tools">
            <ReactTool seq={item.seq!} onPick={(emoji) => actions.react(item.seq!, emoji)} />
            <MessageMenu actions={() => menuFor(item, actions)} />
          </div>
        )}
      </div>
      {item.reactions && item.seq !== null && !item.deleted && (
        <ReactionChips
          reactions={item.reactions}
          me={actions.me}
          nameOf={actions.nameOf}
          onToggle={(emoji) => actions.react(item.seq!, emoji)}
        />
      )}
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

type BubbleProps = Parameters<typeof Bubble>[0];

/** Two objects (or arrays) with the same keys, each pair of values equal by `same`. */
function sameEntries(a: object, b: object, same: (x: unknown, y: unknown) => boolean = Object.is): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** Equal values, or objects and arrays whose own entries are each the same value (one level down). */
const alike = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === "object" && typeof b === "object" && !!a && !!b && sameEntries(a, b));

/**
 * A bubble draws again only when what it shows changed: its message (field by field, as the timeline
 * is rebuilt on every change), its place in a run, the highlight. A keystroke in the composer or a new
 * message then draws one bubble, not the whole history. The actions are closures over the chat and
 * the signed-in user, built afresh on each draw: the same chat and user are the same actions. What a
 * bubble reads from signals (names, the on-demand parts) draws it again by itself.
 */
class MemoBubble extends Component<BubbleProps> {
  override shouldComponentUpdate(next: BubbleProps): boolean {
    const p = this.props;
    return !(
      p.chatId === next.chatId &&
      p.highlighted === next.highlighted &&
      p.sender === next.sender &&
      p.onRetry === next.onRetry &&
      p.onDiscard === next.onDiscard &&
      p.actions.me === next.actions.me &&
      p.actions.find === next.actions.find &&
      sameEntries(p.item, next.item, alike)
    );
  }
  override render(props: BubbleProps) {
    return <Bubble {...props} />;
  }
}

/** The first of consecutive messages from one sender (a day or system line breaks the run). */
function startsRun(items: TimelineItem[], i: number): boolean {
  const prev = items[i - 1];
  const item = items[i];
  return !prev || prev.kind !== "message" || !!prev.system || item?.kind !== "message" || prev.senderId !== item.senderId;
}

/** The messages' elements, the only stable anchors (day lines and the unread line move as older pages arrive). */
const ANCHORS = "li.msg[data-key], li.msg-system[data-key]";

export function MessageList(props: Props) {
  const { chatId, items, loaded, hasMore, loadingOlder, onNearTop, highlight, onHighlightShown, unreadAfter } = props;
  const box = useRef<HTMLDivElement>(null);
  const inner = useRef<HTMLDivElement>(null);
  const lastKey = items.at(-1)?.key ?? "";
  const last = items.at(-1);
  /**
   * What keeps the view in place (issue 17): whether the reader is at the newest
   * message (then every change — a new message, an image or video that loads late,
   * an older page — keeps them there), or else which message sits at the top of
   * the view and where, restored after every change above or below it.
   */
  const view = useRef({
    chatId: "",
    positioned: false,
    pinned: true,
    anchor: null as { key: string; top: number } | null,
    lastKey: "",
    /** The scrollTop this component last set: scroll events at any other value are the reader's. */
    setTop: -1,
    /** scrollTop and scrollHeight when the view was last read, to notice a scroll whose event has not arrived yet. */
    readTop: -1,
    readHeight: 0,
    /** After opening at the unread line, older pages wait for the reader's own scroll. */
    holdLoading: false,
    /** The newest seq the reader has had in view, and the seq after which messages count as new for "↓". */
    seenSeq: 0,
    baseline: 0,
  });
  const [below, setBelow] = useState({ away: false, count: 0 });
  const current = useRef(items);
  current.current = items;

  if (view.current.chatId !== chatId) {
    view.current = {
      ...view.current,
      readTop: -1,
      chatId,
      positioned: false,
      pinned: true,
      anchor: null,
      lastKey: "",
      holdLoading: false,
      seenSeq: 0,
      baseline: 0,
    };
  }

  const scrollTo = (el: HTMLElement, top: number) => {
    el.scrollTop = top;
    view.current.setTop = el.scrollTop;
  };

  /** Reads where the view is: pinned or not, the anchor, the newest message in view and the count for "↓". */
  const measure = () => {
    const el = box.current;
    const v = view.current;
    if (!el) return;
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    v.pinned = fromBottom < NEAR_BOTTOM;
    v.readTop = el.scrollTop;
    v.readHeight = el.scrollHeight;
    const frame = el.getBoundingClientRect();
    v.anchor = null;
    let newestInView = 0;
    for (const li of el.querySelectorAll<HTMLElement>(ANCHORS)) {
      const r = li.getBoundingClientRect();
      if (r.bottom <= frame.top) continue;
      if (r.top >= frame.bottom) break;
      v.anchor ??= { key: li.dataset.key!, top: r.top - frame.top };
      const seq = Number(li.dataset.seq);
      if (seq > newestInView) newestInView = seq;
    }
    // At the bottom everything loaded has been in view.
    if (v.pinned)
      newestInView = current.current.reduce((n, i) => (i.kind === "message" && i.seq !== null && i.seq > n ? i.seq : n), newestInView);
    v.seenSeq = Math.max(v.seenSeq, newestInView);
    const after = Math.max(v.baseline, v.seenSeq);
    const count = current.current.filter((i) => i.kind === "message" && !i.mine && !i.system && i.seq !== null && i.seq > after).length;
    setBelow((b) => (b.away === !v.pinned && b.count === count ? b : { away: !v.pinned, count }));
  };

  const maybeLoad = () => {
    const el = box.current;
    if (!el || !loaded || !hasMore || loadingOlder || el.scrollTop >= NEAR_TOP) return;
    // Opened at the unread line near the top: the reader asks for older pages by scrolling (a page that does not fill the view asks at once).
    if (view.current.holdLoading && el.scrollHeight > el.clientHeight) return;
    onNearTop();
  };

  /** Puts the view back after a change: at the bottom when pinned, else the anchor where it was. */
  const keep = () => {
    const el = box.current;
    const v = view.current;
    if (!el || !v.positioned) return;
    if (v.readTop >= 0 && Math.abs(el.scrollTop - v.readTop) > 1) {
      // The reader scrolled and its event is still on the way (a busy page): where they went wins over
      // the last reading — pinned only if that place was at the bottom of what was there then.
      v.pinned = v.readHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM || el.scrollHeight - el.scrollTop - el.clientHeight < 1;
      if (v.pinned) scrollTo(el, el.scrollHeight);
      return;
    }
    if (v.pinned) return scrollTo(el, el.scrollHeight);
    const anchor = v.anchor && el.querySelector<HTMLElement>(`[data-key="${CSS.escape(v.anchor.key)}"]`);
    if (!anchor) return;
    const drift = anchor.getBoundingClientRect().top - el.getBoundingClientRect().top - v.anchor!.top;
    if (Math.abs(drift) >= 1) scrollTo(el, el.scrollTop + drift);
  };

  useLayoutEffect(() => {
    const el = box.current;
    const v = view.current;
    if (!el) return;
    if (!v.positioned && loaded && items.length > 0) {
      // Opening: at the "Mensagens não lidas" line (a little above it), else at the newest message.
      v.positioned = true;
      const line = el.querySelector<HTMLElement>("li.unread-line");
      const newest = items.reduce((n, i) => (i.kind === "message" && i.seq !== null && i.seq > n ? i.seq : n), 0);
      v.baseline = unreadAfter ?? newest;
      if (line && highlight === null) {
        scrollTo(el, line.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop - 8);
        v.holdLoading = true;
      } else scrollTo(el, el.scrollHeight);
    } else if (v.positioned && lastKey !== v.lastKey && last?.kind === "message" && last.mine) {
      // The reader just sent something: show it.
      v.pinned = true;
      keep();
    } else keep();
    v.lastKey = lastKey;
    measure();
    maybeLoad();
  });

  // Late changes of size (images and videos loading, a long message unfolding) keep the view where it is.
  useEffect(() => {
    const content = inner.current;
    if (!content || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      keep();
      measure();
    });
    observer.observe(content);
    return () => observer.disconnect();
  }, [chatId]);

  // A clicked quote: bring the original into view once it is rendered, then let the highlight fade.
  const highlightLoaded = highlight !== null && items.some((i) => i.kind === "message" && i.seq === highlight);
  useEffect(() => {
    if (!highlightLoaded) return;
    box.current?.querySelector(`[data-seq="${highlight}"]`)?.scrollIntoView({ block: "center" });
    const done = setTimeout(onHighlightShown, 2_500);
    return () => clearTimeout(done);
  }, [highlight, highlightLoaded]);

  const toNewest = () => {
    const el = box.current;
    if (!el) return;
    view.current.pinned = true;
    scrollTo(el, el.scrollHeight);
    measure();
  };

  return (
    <div class="history-wrap">
      <div
        class="history"
        ref={box}
        onScroll={() => {
          const el = box.current;
          if (el && Math.abs(el.scrollTop - view.current.setTop) > 1) view.current.holdLoading = false;
          measure();
          maybeLoad();
        }}
      >
        <div class="history-inner" ref={inner}>
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
                  <li key={item.key} class="day" data-key={item.key}>
                    <span>{item.label}</span>
                  </li>
                ) : item.kind === "unread" ? (
                  <li key={item.key} class="unread-line" data-key={item.key}>
                    <span>{t.unreadLine}</span>
                  </li>
                ) : (
                  <MemoBubble
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
      {below.away && (
        <button
          type="button"
          class="jump-newest"
          aria-label={below.count > 0 ? `${t.jumpToNewest}, ${t.unreadCount(below.count)}` : t.jumpToNewest}
          title={t.jumpToNewest}
          onClick={toNewest}
        >
          <span aria-hidden="true">↓</span>
          {below.count > 0 && (
            <span class="jump-count" aria-hidden="true">
              {badgeText(below.count)}
            </span>
          )}
        </button>
      )}
    </div>
  );
}
