/**
 * Wires the stores to the dumb components of ui/: the sign-in screen, or the
 * sidebar ("Chats", "Pesquisar" with the "+" of "Novo grupo", the conversation list
 * or the smart search's results) beside the open chat, its forward dialog and
 * contact or group data panel; the unread badge on "Chats" and the notifications
 * bar. Components meet signals only here and in app-groups.tsx / app-search.tsx.
 */
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { directChatId } from "../../protocol/ids";
import { t } from "./i18n";
import { rowTimeLabel } from "./model/unread";
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
  isGroupOpen,
  jumpTo,
  notice,
  loadingOlder,
  loadOlder,
  openChat,
  openChatId,
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
import { discardOutbox, pendingCount } from "./stores/outbox";
import { initialTenant, me, session, signIn, signingIn, signInError, signOut } from "./stores/session";
import { askPermission, dismissPermissionBar, showPermissionBar } from "./stores/notifications";
import { isOnline } from "./stores/presence";
import "./stores/read-marks";
import "./stores/route";
import { unreadTotal } from "./stores/unread";
import { Avatar } from "./ui/Avatar";
import { ChatHeader } from "./ui/ChatHeader";
import { Composer } from "./ui/Composer";
import { ConnectionPill } from "./ui/ConnectionPill";
import { ConfirmDialog } from "./ui/ConfirmDialog";
import { ContactPanel } from "./ui/ContactPanel";
import { ConversationList, type ConversationRow } from "./ui/ConversationList";
import { ForwardDialog, type ForwardTarget } from "./ui/ForwardDialog";
import { ChatIcon, LogoutIcon, PhoneIcon } from "./ui/icons";
import { MessageList, type MessageActions } from "./ui/MessageList";
import { NotifyBar } from "./ui/NotifyBar";
import { UnreadBadge } from "./ui/UnreadDot";
import { SearchField } from "./ui/SearchField";
import { SignIn } from "./ui/SignIn";
import { callNumber, CallsSidebar, callsDisabledReason, PhoneCards } from "./ui/calls/loader";
import { GroupChatHeader, groupChatName, groupForwardTargets, groupRow, GroupPanelHost, NewGroupButton, NewGroupHost } from "./app-groups";
import { SearchResultsHost } from "./app-search";
import { moveFocus } from "./ui/SmartSearchResults";

function conversationRows(): ConversationRow[] {
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

/** The seq being forwarded (the dialog is open), and whether the contact panel is. */
const forwarding = signal<number | null>(null);
const panelOpen = signal(false);
/** The sidebar's module tab: "Chats" or "Chamadas". */
const sideTab = signal<"chats" | "calls">("chats");

function link(chatId: string) {
  return (fileId: string, download = false) => {
    const s = session.peek();
    return s ? fileUrl(s.tenant, chatId, fileId, s.token, download) : "";
  };
}

/** Forward targets: the user's groups, then conversations, then every other contact. */
function forwardTargets(): ForwardTarget[] {
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

const confirmingSignOut = signal(false);

function Sidebar() {
  const user = me.value!;
  const results = contactResults.value;
  return (
    <aside class="sidebar">
      <header class="me">
        <Avatar id={user.id} name={user.name} url={user.avatarUrl} size={36} />
        <div class="me-text">
          <strong>{user.name}</strong>
          <ConnectionPill status={connectionStatus.value} pending={pendingCount.value} />
        </div>
        <button
          type="button"
          class="icon-button"
          aria-label={t.signOut}
          title={t.signOut}
          // Unsent messages would stay in this browser for the next sign-in: on a shared computer, ask first.
          onClick={() => (pendingCount.value > 0 ? (confirmingSignOut.value = true) : signOut())}
        >
          <LogoutIcon />
        </button>
        {confirmingSignOut.value && (
          <ConfirmDialog
            title={t.signOutPendingTitle(pendingCount.value)}
            confirm={t.signOutAnyway}
            onConfirm={() => {
              discardOutbox();
              signOut();
            }}
            onClose={() => (confirmingSignOut.value = false)}
          >
            <p>{t.signOutPendingBody}</p>
          </ConfirmDialog>
        )}
      </header>
      <div class="tabs" role="tablist" aria-label={t.modules}>
        <button type="button" role="tab" class="tab" aria-selected={sideTab.value === "chats"} onClick={() => (sideTab.value = "chats")}>
          <ChatIcon size={18} /> {t.chatsTab}
          <UnreadBadge total={unreadTotal.value} />
        </button>
        <button type="button" role="tab" class="tab" aria-selected={sideTab.value === "calls"} onClick={() => (sideTab.value = "calls")}>
          <PhoneIcon size={18} /> {t.callsTab}
        </button>
      </div>
      {sideTab.value === "chats" && (
        <div class="search-row">
          <SearchField
            value={searchQuery.value}
            onChange={(q) => (searchQuery.value = q)}
            onArrowDown={() => moveFocus(document.activeElement as HTMLElement, 1)}
          />
          <NewGroupButton />
        </div>
      )}
      {showPermissionBar() && <NotifyBar onEnable={() => void askPermission()} onDismiss={dismissPermissionBar} />}
      <div class="sidebar-body">
        {sideTab.value === "calls" ? (
          <CallsSidebar />
        ) : results ? (
          contactsStatus.value === "error" ? (
            <div class="empty">
              <p role="alert">{t.contactsError}</p>
              <button type="button" class="link" onClick={() => void loadContacts()}>
                {t.tryAgain}
              </button>
            </div>
          ) : (
            <SearchResultsHost />
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
        {notice.value && (
          <p class="toast" role="status">
            {notice.value}
          </p>
        )}
      </section>
    );
  }
  const contact = peer.value;
  const h = history.value;
  const actions = actionsFor(chatId);
  const togglePanel = () => {
    panelOpen.value = !panelOpen.value;
    if (panelOpen.value) openGallery(chatId, "media");
    else closeGallery();
  };
  const isGroup = isGroupOpen.value;
  return (
    <section class="chat" aria-label={isGroup ? groupChatName() : (contact?.name ?? peerId.value ?? "")}>
      {isGroup ? (
        <GroupChatHeader onBack={closeChat} panelOpen={panelOpen.value} onTogglePanel={togglePanel} />
      ) : (
        <ChatHeader
          id={peerId.value ?? chatId}
          name={contact?.name ?? peerId.value ?? ""}
          avatarUrl={contact?.avatarUrl ?? null}
          department={contact?.department ?? ""}
          onCall={contact?.extension ? () => callNumber(contact.extension!) : undefined}
          callDisabled={callsDisabledReason.value}
          onBack={closeChat}
          panelOpen={panelOpen.value}
          onTogglePanel={togglePanel}
          online={peerId.value ? isOnline(peerId.value) : null}
        />
      )}
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
        showSenders={isGroup}
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
  const close = () => {
    panelOpen.value = false;
    closeGallery();
    document.querySelector<HTMLElement>(".panel-toggle")?.focus();
  };
  if (isGroupOpen.value)
    return (
      <GroupPanelHost
        gallery={g}
        link={link(chatId)}
        onTab={(kind) => openGallery(chatId, kind)}
        onMore={loadMoreGallery}
        onClose={close}
      />
    );
  return (
    <ContactPanel
      contact={peer.value}
      online={peerId.value ? isOnline(peerId.value) : null}
      fallbackId={peerId.value ?? chatId}
      gallery={g}
      link={link(chatId)}
      onTab={(kind) => openGallery(chatId, kind)}
      onMore={loadMoreGallery}
      onClose={close}
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
      <PhoneCards />
      <NewGroupHost />
    </div>
  );
}
