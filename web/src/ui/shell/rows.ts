/**
 * What the shell's lists show, derived from the stores: the conversation list's
 * rows (R6, R7, R20), the "Encaminhar" targets (R10) and the address of a stored
 * file of a chat. Read inside components, so they follow the signals they touch.
 */
import { directChatId } from "../../../../protocol/ids";
import { t } from "../../i18n";
import { rowTimeLabel } from "../../model/unread";
import { openChatId } from "../../stores/chat";
import { now } from "../../stores/clock";
import { contactById, otherContacts } from "../../stores/contacts";
import { chatsWithDraft, drafts } from "../../stores/drafts";
import { conversations } from "../../stores/inbox";
import { isOnline } from "../../stores/presence";
import { fileLink as signedLink, renewFileLink } from "../../stores/file-links";
import { me } from "../../stores/session";
import type { FileLink } from "../Attachment";
import type { ConversationRow } from "../ConversationList";
import type { ForwardTarget } from "../ForwardDialog";
import { groupForwardTargets, groupRow } from "./groups";

export function conversationRows(): ConversationRow[] {
  const myId = me.value?.id;
  return conversations.value.map((c) => {
    if (c.kind === "group") return groupRow(c);
    const contact = contactById.value.get(c.peerId);
    const last = c.lastMessage!;
    return {
      chatId: c.chatId,
      peerId: c.peerId,
      name: contact?.name ?? c.peerId,
      avatarUrl: contact?.avatarUrl ?? null,
      preview: last.deleted ? t.deletedMessage : last.text.replace(/\s+/g, " "),
      mine: last.senderId === myId,
      when: rowTimeLabel(c, now.value),
      active: c.chatId === openChatId.value,
      unread: c.unread,
      online: isOnline(c.peerId),
      draft: chatsWithDraft.value.has(c.chatId) ? (drafts.value.get(c.chatId) ?? "").replace(/\s+/g, " ") : null,
    };
  });
}

/** Forward targets: the user's groups, then conversations, then every other contact. */
export function forwardTargets(): ForwardTarget[] {
  const myId = me.value?.id;
  if (!myId) return [];
  const seen = new Set<string>();
  const out: ForwardTarget[] = groupForwardTargets();
  for (const c of conversations.value) {
    if (c.kind === "group") continue;
    const contact = contactById.value.get(c.peerId);
    seen.add(c.peerId);
    out.push({
      chatId: c.chatId,
      peerId: c.peerId,
      name: contact?.name ?? c.peerId,
      avatarUrl: contact?.avatarUrl ?? null,
      detail: t.conversations,
    });
  }
  for (const c of otherContacts.value) {
    if (seen.has(c.id)) continue;
    out.push({ chatId: directChatId(myId, c.id), peerId: c.id, name: c.name, avatarUrl: c.avatarUrl, detail: c.department });
  }
  return out;
}

/** Where the files of one chat are read from: their signed links (stores/file-links.ts). */
export function fileLink(chatId: string): FileLink {
  return Object.assign((fileId: string, download = false) => signedLink(chatId, fileId, download), {
    renew: (fileId: string) => renewFileLink(chatId, fileId),
  });
}
