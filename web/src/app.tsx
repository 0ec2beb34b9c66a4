/**
 * Wires the stores to the dumb components of ui/: the sign-in screen, or the
 * sidebar ("Chats", "Pesquisar", the conversation list or contact results) beside
 * the open chat. The only place where components meet signals.
 */
import { t } from "./i18n";
import { listTimeLabel } from "./model/dates";
import { now } from "./stores/clock";
import {
  chatError,
  closeChat,
  discardMessage,
  draft,
  history,
  loadingOlder,
  loadOlder,
  openChat,
  openChatId,
  openChatWith,
  peer,
  peerId,
  retryMessage,
  sendMessage,
  setDraft,
  timeline,
} from "./stores/chat";
import { connectionStatus } from "./stores/connection";
import { contactById, contactResults, contactsStatus, loadContacts, searchQuery } from "./stores/contacts";
import { conversations, inboxLoaded } from "./stores/inbox";
import { pendingCount } from "./stores/outbox";
import { initialTenant, me, session, signIn, signingIn, signInError, signOut } from "./stores/session";
import { Avatar } from "./ui/Avatar";
import { ChatHeader } from "./ui/ChatHeader";
import { Composer } from "./ui/Composer";
import { ConnectionPill } from "./ui/ConnectionPill";
import { ContactList } from "./ui/ContactList";
import { ConversationList, type ConversationRow } from "./ui/ConversationList";
import { ChatIcon, LogoutIcon, PhoneIcon } from "./ui/icons";
import { MessageList } from "./ui/MessageList";
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
      preview: c.lastMessage.text.replace(/\s+/g, " "),
      mine: c.lastMessage.senderId === myId,
      when: listTimeLabel(c.lastMessage.createdAt, now.value),
      active: c.chatId === openChatId.value,
    };
  });
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
  return (
    <section class="chat" aria-label={contact?.name ?? peerId.value ?? ""}>
      <ChatHeader
        id={peerId.value ?? chatId}
        name={contact?.name ?? peerId.value ?? ""}
        avatarUrl={contact?.avatarUrl ?? null}
        department={contact?.department ?? ""}
        onBack={closeChat}
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
      />
      <Composer chatId={chatId} value={draft.value} onInput={setDraft} onSend={sendMessage} />
    </section>
  );
}

export function App() {
  if (!session.value) {
    return <SignIn initialTenant={initialTenant()} busy={signingIn.value} error={signInError.value} onSubmit={signIn} />;
  }
  return (
    <div class={`shell${openChatId.value ? " has-chat" : ""}`}>
      <Sidebar />
      <ChatPane />
    </div>
  );
}
