/**
 * The conversation list of the "Chats" tab (R6): avatar (a group's image or
 * initials) with the contact's status (R5), name, a red dot when unread (R7)
 * with "@" beside it when an unread message mentions the user (issue 17.6),
 * last message (in groups, with the sender's first name) and its time label
 * (R20: an unread chat's newest unread message), most recent first; or the
 * empty state.
 */
import { t } from "../i18n";
import { Avatar } from "./Avatar";
import { Presence } from "./Presence";
import { UnreadDot } from "./UnreadDot";

export type ConversationRow = {
  chatId: string;
  peerId: string;
  name: string;
  avatarUrl: string | null;
  preview: string;
  mine: boolean;
  /** In groups, the first name of whoever else sent the last message. */
  sender?: string | null;
  when: string;
  active: boolean;
  /** Text typed here and not sent (R9): the row says "Rascunho" instead of the last message. */
  draft: string | null;
  /** Messages not read yet (R7). */
  unread?: number;
  /** The contact's status in a 1:1 chat (R5); null when unknown or a group. */
  online?: boolean | null;
  /** Issue 17.6: an unread message mentions the user ("@" beside the unread dot). */
  mentioned?: boolean;
};

export function ConversationList({ rows, loaded, onOpen }: { rows: ConversationRow[]; loaded: boolean; onOpen(chatId: string): void }) {
  if (rows.length === 0) {
    return loaded ? (
      <div class="empty">
        <p class="empty-title">{t.noConversations}</p>
        <p class="muted">{t.noConversationsHint}</p>
      </div>
    ) : (
      <p class="empty muted">{t.loading}</p>
    );
  }
  return (
    <ul class="rows" aria-label={t.conversations}>
      {rows.map((row) => (
        <li key={row.chatId}>
          <button
            type="button"
            class={`row${row.active ? " active" : ""}${row.unread ? " unread" : ""}`}
            aria-current={row.active ? "true" : undefined}
            onClick={() => onOpen(row.chatId)}
          >
            <span class="avatar-wrap">
              <Avatar id={row.peerId} name={row.name} url={row.avatarUrl} size={44} />
              <Presence online={row.online ?? null} />
            </span>
            <span class="row-main">
              <span class="row-top">
                <span class="row-name">{row.name}</span>
                <span class="row-when">{row.when}</span>
                {row.mentioned && (row.unread ?? 0) > 0 && (
                  <span class="mention-mark" role="img" aria-label={t.mentionedBadge} title={t.mentionedBadge}>
                    @
                  </span>
                )}
                <UnreadDot count={row.unread ?? 0} />
              </span>
              <span class="row-sub">
                {row.draft !== null ? (
                  <>
                    <span class="row-draft">{t.draft}: </span>
                    {row.draft}
                  </>
                ) : (
                  <>
                    {row.mine && <span class="row-you">{t.you}: </span>}
                    {!row.mine && row.sender && <span class="row-you">{row.sender}: </span>}
                    {row.preview}
                  </>
                )}
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
