/**
 * Issue 17.1, "Informações da mensagem" (on demand, its own chunk): the message,
 * then "Lida por" and "Entregue a" with each person's time, as the room answers
 * `message.info` (stores/message-info.ts, run while the dialog is open). Escape
 * or "Fechar" closes it and focus returns to the menu.
 */
import { useEffect } from "preact/hooks";
import { t } from "../i18n";
import { tx } from "../i18n-chat-extras";
import { dayLabel, formatTime } from "../model/dates";
import type { InfoRow } from "../model/receipts";
import { Avatar } from "./Avatar";
import { now } from "../stores/clock";
import { avatarOf, host, nameOf } from "../stores/extras-host";
import { messageInfo, startMessageInfo } from "../stores/message-info";
import { uiHost } from "./extras-ui-host";

type Props = {
  text: string;
  lists: { readBy: InfoRow[]; deliveredTo: InfoRow[] } | null;
  nameOf(userId: string): string;
  avatarOf(userId: string): string | null;
  now: number;
  onClose(): void;
};

function People({ id, title, rows, ...p }: { id: string; title: string; rows: InfoRow[] } & Pick<Props, "nameOf" | "avatarOf" | "now">) {
  return (
    <section class="info-section" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {rows.length === 0 ? (
        <p class="muted small">{tx.nobodyYet}</p>
      ) : (
        <ul class="info-people">
          {rows.map((r) => (
            <li key={r.userId}>
              <Avatar id={r.userId} name={p.nameOf(r.userId)} url={p.avatarOf(r.userId)} size={32} />
              <span class="info-name">{p.nameOf(r.userId)}</span>
              <time class="muted small" dateTime={new Date(r.at).toISOString()}>
                {dayLabel(r.at, p.now)} {formatTime(r.at)}
              </time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function MessageInfoDialog(props: Props) {
  const { lists } = props;
  const { Modal } = uiHost;
  return (
    <Modal class="modal message-info" labelledBy="message-info-title" onClose={props.onClose}>
      <h2 id="message-info-title">{t.messageInfo}</h2>
      {props.text && <p class="info-text">{props.text}</p>}
      {lists ? (
        <>
          <People id="info-read" title={tx.readBy} rows={lists.readBy} {...props} />
          <People id="info-delivered" title={tx.deliveredTo} rows={lists.deliveredTo} {...props} />
        </>
      ) : (
        <p class="muted" role="status">
          {t.loading}
        </p>
      )}
      <div class="modal-actions">
        <button type="button" class="button" onClick={props.onClose} autoFocus>
          {t.close}
        </button>
      </div>
    </Modal>
  );
}

export default function MessageInfoHost({ chatId, seq, onClose }: { chatId: string; seq: number; onClose(): void }) {
  const message = host.history.peek().messages.find((m) => m.seq === seq);
  useEffect(() => startMessageInfo(chatId, seq, message?.senderId ?? ""), [chatId, seq]);
  return (
    <MessageInfoDialog
      text={message?.text ?? ""}
      lists={messageInfo.value}
      nameOf={nameOf}
      avatarOf={avatarOf}
      now={now.value}
      onClose={onClose}
    />
  );
}
