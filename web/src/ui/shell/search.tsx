/**
 * Wires the smart search (R12) beside the sidebar: conversations and contacts matched
 * in the browser from the list and the directory, "Mensagens" from the user's
 * room (stores/search.ts), each result opening its chat — a message hit scrolled
 * to that message, highlighted.
 */
import { t } from "../../i18n";
import { listTimeLabel } from "../../model/dates";
import { chatPath } from "../../model/route";
import { rankByName } from "../../model/smart-search";
import { openChat, openChatAt, openChatWith } from "../../stores/chat";
import { now } from "../../stores/clock";
import { contactById, contactsStatus, otherContacts, searchQuery } from "../../stores/contacts";
import { groupImageUrl } from "../../stores/groups";
import { conversations } from "../../stores/inbox";
import { isOnline } from "../../stores/presence";
import { loadMoreHits, messageSearch } from "../../stores/search";
import { me } from "../../stores/session";
import { onDemand } from "../panels-door";
import type { ChatResult, MessageResult } from "../SmartSearchResults";

const nameOf = (userId: string) => contactById.value.get(userId)?.name ?? userId;

/** Every conversation in the list as a result: a 1:1 chat by the contact's name, a group by its own. */
function chatResults(): ChatResult[] {
  return conversations.value.map((c) =>
    c.kind === "group"
      ? {
          chatId: c.chatId,
          peerId: c.chatId,
          name: c.name,
          avatarUrl: groupImageUrl(c.chatId, c.imageFileId),
          online: null,
          detail: t.groupLabel,
        }
      : {
          chatId: c.chatId,
          peerId: c.peerId,
          name: nameOf(c.peerId),
          avatarUrl: contactById.value.get(c.peerId)?.avatarUrl ?? null,
          online: isOnline(c.peerId),
          detail: contactById.value.get(c.peerId)?.department ?? "",
        },
  );
}

const SmartSearchResults = onDemand((m) => m.SmartSearchResults);

export function SearchResultsHost() {
  const query = searchQuery.value;
  const myId = me.value?.id ?? "";
  const all = chatResults();
  const chats = rankByName(all, query, (c) => c.name) ?? [];
  // Someone the user already talks to is found under "Conversas"; "Contatos" lists the others, so each person shows once.
  const talking = new Set(all.map((c) => c.peerId));
  const contacts =
    contactsStatus.value === "ready"
      ? (rankByName(otherContacts.value, query, (c) => c.name) ?? []).filter((c) => !talking.has(c.id))
      : null;
  const names = new Map(all.map((c) => [c.chatId, c.name]));
  const s = messageSearch.value;
  const items: MessageResult[] = s.hits.map((h) => {
    const chatName = names.get(h.chatId) ?? nameOf(h.chatId.split(".").find((p) => p !== "dm" && p !== myId) ?? h.chatId);
    const isGroup = h.chatId.startsWith("g.");
    return {
      chatId: h.chatId,
      seq: h.seq,
      chatName,
      sender: h.senderId === myId ? t.you : isGroup ? nameOf(h.senderId) : "",
      text: h.text,
      when: listTimeLabel(h.createdAt, now.value),
      href: chatPath(h.chatId),
    };
  });
  const done = () => (searchQuery.value = "");
  return (
    <SmartSearchResults
      query={s.q || query}
      chats={chats}
      messages={{ items, loading: s.loading, hasMore: s.hasMore, error: s.error }}
      contacts={contacts}
      onlineOf={isOnline}
      onOpenChat={(chatId) => {
        openChat(chatId);
        done();
      }}
      onOpenMessage={(chatId, seq) => {
        openChatAt(chatId, seq);
        done();
      }}
      onOpenContact={(userId) => {
        openChatWith(userId);
        done();
      }}
      onMoreMessages={loadMoreHits}
    />
  );
}
