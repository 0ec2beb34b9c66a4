/**
 * Wires the stores to the dumb components of ui/: the sign-in screen, or the
 * sidebar ("Chats", "Pesquisar", the conversation list or contact results) beside
 * the open chat, its forward dialog and contact data panel. The only place where
 * components meet signals.
 */
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { directChatId } from "../../protocol/ids";
import { t } from "./i18n";
import { listTimeLabel } from "./model/dates";
import { fileUrl } from "./model/files";
import { now } from "./stores/clock";
import {
  chatError,
  closeChat,
  deleteMessage,
  discardMessage,
  draft,
  forwardMessage,
  highlightSeq,
  history,
  jumpTo,
  notice,
  loadingOlder,
  loadOlder,
  openChat,
  openChatId,
  openChatWith,
  peer,
  peerId,
  replyingTo,
  retryMessage,
  sendMessage,
  setDraft,
  showNotice,
  startReply,
  timeline,
} from "./stores/chat";
import { chatsWithDraft, drafts } from "./stores/drafts";
import { linkFinder } from "./stores/linkify";
import { closeGallery, gallery, loadMoreGallery, openGallery } from "./stores/gallery";
import { cancelUpload, chooseFile, startUpload, uploads } from "./stores/uploads";
import { connectionStatus } from "./stores/connection";
import { contactById, contactResults, contactsStatus, loadContacts, otherContacts, searchQuery } from "./stores/contacts";
import { conversations, inboxLoaded } from "./stores/inbox";
import { pendingCount } from "./stores/outbox";
import { initialTenant, me, session, signIn, signingIn, signInError, signOut } from "./stores/session";
import { Avatar } from "./ui/Avatar";
import { ChatHeader } from "./ui/ChatHeader";
import { Composer } from "./ui/Composer";
import { ConnectionPill } from "./ui/ConnectionPill";
import { ContactList } from "./ui/ContactList";
import { ContactPanel } from "./ui/ContactPanel";
import { ConversationList, type ConversationRow } from "./ui/ConversationList";
import { ForwardDialog, type ForwardTarget } from "./ui/ForwardDialog";
import { ChatIcon, LogoutIcon, PhoneIcon } from "./ui/icons";
import { MessageList, type MessageActions } from "./ui/MessageList";
import { SearchField } from "./ui/SearchField";
import { SignIn } from "./ui/SignIn";

function conversationRows(): ConversationRow[] {
  const myId = me.value?.id;
  return conversations.value.map((c) => {
    const contact = contactById.value.get(c.peerId);
    return {
      chatId: c.chatId,
      peerId: c.peerId,
      name: contact?.name ?? c.peerId,
      avatarUrl: contact?.avatarUrl ?? null,
      preview: c.lastMessage.deleted ? t.deletedMessage : c.lastMessage.text.replace(/\s+/g, " "),
      mine: c.lastMessage.senderId === myId,
      when: listTimeLabel(c.lastMessage.createdAt, now.value),
      active: c.chatId === openChatId.value,
      draft: chatsWithDraft.value.has(c.chatId) ? (drafts.value.get(c.chatId) ?? "").replace(/\s+/g, " ") : null,
    };
  });
}

/** The seq being forwarded (the dialog is open), and whether the contact panel is. */
const forwarding = signal<number | null>(null);
const panelOpen = signal(false);

function link(chatId: string) {
  return (fileId: string, download = false) => {
    const s = session.peek();
    return s ? fileUrl(s.tenant, chatId, fileId, s.token, download) : "";
  };
}

/** Forward targets: the user's conversations first, then every other contact. */
function forwardTargets(): ForwardTarget[] {
  const myId = me.value?.id;
  if (!myId) return [];
  const seen = new Set<string>();
  const out: ForwardTarget[] = [];
  for (const c of conversations.value) {
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

function actionsFor(chatId: string): MessageActions {
  const toFile = link(chatId);
  return {
    copy(item) {
      const what = item.attachment ? new URL(toFile(item.attachment.fileId), location.href).href : item.text;
      const text = item.attachment && item.text ? `${item.text}\n${what}` : what;
      navigator.clipboard.writeText(text).then(
        () => showNotice(t.copied),
        () => showNotice(t.failed),
      );
    },
    reply: startReply,
    forward: (seq) => (forwarding.value = seq),
    remove(seq) {
      if (confirm(t.confirmDelete)) deleteMessage(seq);
    },
    jumpTo,
    nameOf: (userId) => (userId === me.value?.id ? t.you : (contactById.value.get(userId)?.name ?? userId)),
    link: toFile,
    find: linkFinder.value,
  };
}

function Sidebar() {
  const user = me.value!;
  const results = contactResults.value;
  const openFromSearch = (userId: string) => {
    openChatWith(userId);
    searchQuery.value = "";
  };
  return (
    <aside class="sidebar">
      <header class="me">
        <Avatar id={user.id} name={user.name} url={user.avatarUrl} size={36} />
        <div class="me-text">
          <strong>{user.name}</strong>
          <ConnectionPill status={connectionStatus.value} pending={pendingCount.value} />
        </div>
        <button type="button" class="icon-button" aria-label={t.signOut} title={t.signOut} onClick={() => signOut()}>
          <LogoutIcon />
        </button>
      </header>
      <div class="tabs" role="tablist" aria-label={t.modules}>
        <button type="button" role="tab" class="tab" aria-selected="true">
          <ChatIcon size={18} /> {t.chatsTab}
        </button>
        <button type="button" role="tab" class="tab" aria-selected="false" aria-disabled="true" disabled title={t.comingSoon}>
          <PhoneIcon size={18} /> {t.callsTab}
        </button>
      </div>
      <SearchField value={searchQuery.value} onChange={(q) => (searchQuery.value = q)} />
      <div class="sidebar-body">
        {results ? (
          contactsStatus.value === "error" ? (
            <div class="empty">
              <p role="alert">{t.contactsError}</p>
              <button type="button" class="link" onClick={() => void loadContacts()}>
                {t.tryAgain}
              </button>
            </div>
          ) : contactsStatus.value === "ready" ? (
            <ContactList contacts={results} onOpen={openFromSearch} />
          ) : (
            <p class="empty muted">{t.loading}</p>
          )
        ) : (
          <ConversationList rows={conversationRows()} loaded={inboxLoaded.value} onOpen={openChat} />
        )}
      </div>
    </aside>
  );
}

function ChatPane() {
  const chatId = openChatId.value;
  if (!chatId) {
    return (
      <section class="chat chat-none">
        <ChatIcon size={40} />
        <p class="muted">{t.pickConversation}</p>
      </section>
    );
  }
  const contact = peer.value;
  const h = history.value;
  const actions = actionsFor(chatId);
  return (
    <section class="chat" aria-label={contact?.name ?? peerId.value ?? ""}>
      <ChatHeader
        id={peerId.value ?? chatId}
        name={contact?.name ?? peerId.value ?? ""}
        avatarUrl={contact?.avatarUrl ?? null}
        department={contact?.department ?? ""}
        onBack={closeChat}
        panelOpen={panelOpen.value}
        onTogglePanel={() => {
          panelOpen.value = !panelOpen.value;
          if (panelOpen.value) openGallery(chatId, "media");
          else closeGallery();
        }}
      />
      {chatError.value && (
        <p class="chat-error" role="alert">
          {chatError.value}
        </p>
      )}
      <MessageList
        chatId={chatId}
        items={timeline.value}
        loaded={h.loaded}
        hasMore={h.hasMore}
        loadingOlder={loadingOlder.value}
        onNearTop={loadOlder}
        onRetry={retryMessage}
        onDiscard={discardMessage}
        actions={actions}
        highlight={highlightSeq.value}
        onHighlightShown={() => (highlightSeq.value = null)}
      />
      {notice.value && (
        <p class="toast" role="status">
          {notice.value}
        </p>
      )}
      <Composer
        chatId={chatId}
        value={draft.value}
        onInput={setDraft}
        onSend={(text) => sendMessage(text)}
        reply={replyingTo.value}
        replyName={replyingTo.value ? actions.nameOf(replyingTo.value.senderId) : ""}
        onCancelReply={() => (replyingTo.value = null)}
        upload={uploads.value.get(chatId) ?? null}
        onChooseFile={(file, voiceMs) => chooseFile(chatId, file, voiceMs)}
        onSendUpload={(caption) => startUpload(chatId, (attachment) => sendMessage(caption, attachment, chatId))}
        onCancelUpload={() => cancelUpload(chatId)}
      />
      {forwarding.value !== null && (
        <ForwardDialog
          targets={forwardTargets().filter((x) => x.chatId !== chatId)}
          onClose={() => (forwarding.value = null)}
          onConfirm={(to) => {
            if (forwarding.value !== null) forwardMessage(forwarding.value, to);
            forwarding.value = null;
          }}
        />
      )}
    </section>
  );
}

function Panel() {
  const chatId = openChatId.value;
  const open = !!chatId && panelOpen.value;
  // Another chat opened with the panel showing: list that chat's files instead.
  useEffect(() => {
    if (open && chatId && gallery.peek()?.chatId !== chatId) openGallery(chatId, "media");
  }, [open, chatId]);
  if (!chatId || !open) return null;
  const g = gallery.value?.chatId === chatId ? gallery.value : null;
  return (
    <ContactPanel
      contact={peer.value}
      fallbackId={peerId.value ?? chatId}
      gallery={g}
      link={link(chatId)}
      onTab={(kind) => openGallery(chatId, kind)}
      onMore={loadMoreGallery}
      onClose={() => {
        panelOpen.value = false;
        closeGallery();
        document.querySelector<HTMLElement>(".panel-toggle")?.focus();
      }}
    />
  );
}

export function App() {
  if (!session.value) {
    return <SignIn initialTenant={initialTenant()} busy={signingIn.value} error={signInError.value} onSubmit={signIn} />;
  }
  return (
    <div class={`shell${openChatId.value ? " has-chat" : ""}${openChatId.value && panelOpen.value ? " has-panel" : ""}`}>
      <Sidebar />
      <ChatPane />
      <Panel />
    </div>
  );
}
