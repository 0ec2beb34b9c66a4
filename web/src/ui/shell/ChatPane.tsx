/**
 * The open chat as the shell shows it (the screen's <main>): its header (1:1 with the call button, or
 * the group's), the history with the message actions wired to the stores, the
 * notices, the composer with its attachments (files dropped anywhere on the chat
 * join them), and the "Encaminhar" dialog; issue 17's parts: "Pesquisar nesta
 * conversa" in the header, the "está digitando…" line under it, "Editar" in the
 * composer, mentions of a group's members, "Informações da mensagem". With
 * no chat open, the invitation to pick one.
 */
import { signal } from "@preact/signals";
import { t } from "../../i18n";
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
  loadingOlder,
  loadOlder,
  notice,
  peer,
  peerId,
  replyingTo,
  retryMessage,
  sendMessage,
  setDraft,
  showNotice,
  startReply,
  openChatId,
  unreadAfter,
} from "../../stores/chat";
import { shown } from "../../stores/chat-extras-host";
import { timeline } from "../../stores/timeline";
import { contactById } from "../../stores/contacts";
import { closeGallery, openGallery } from "../../stores/gallery";
import { linkFinder } from "../../stores/linkify";
import { isOnline } from "../../stores/presence";
import { me } from "../../stores/session";
import { addFiles, addVoiceNote, cancelUploads, removeUpload, sendUploads, uploads } from "../../stores/uploads";
import { confirmingDelete, forwarding, infoSeq, panelOpen, reacting, searchingChat } from "../../stores/view";
import { callNumber, callsDisabledReason } from "../calls/loader";
import { ChatHeader } from "../ChatHeader";
import { ConfirmDialog } from "../ConfirmDialog";
import { Composer } from "../Composer";
import { ForwardDialog } from "../ForwardDialog";
import { ChatIcon, SearchIcon } from "../icons";
import { IconButton } from "../IconButton";
import { extrasNow, fromExtras } from "../extras-door";
import { MessageList, type MessageActions } from "../MessageList";
import { GroupChatHeader, groupChatName } from "./groups";
import { fileLink, forwardTargets } from "./rows";

const MessageInfoDialog = fromExtras((m) => m.MessageInfoDialog);
const ChatSearch = fromExtras((m) => m.ChatSearchPanel);

const contactName = (userId: string) => contactById.value.get(userId)?.name ?? userId;

function actionsFor(chatId: string): MessageActions {
  const toFile = fileLink(chatId);
  const myId = me.value?.id ?? "";
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
    // The app's own question, like "Remover" and "Sair do grupo": a confirm() inside an embedding frame can silently say no.
    remove: (seq) => (confirmingDelete.value = seq),
    jumpTo,
    nameOf: (userId) => (userId === me.value?.id ? t.you : contactName(userId)),
    contactName,
    canEdit: (item) => item.seq !== null && item.status === "sent" && !!extrasNow()?.editable(item),
    edit: (seq) => extrasNow()?.startEdit(seq),
    react: (seq, emoji) => extrasNow()?.toggleReaction(seq, emoji),
    openReactions: (seq) => (reacting.value = seq),
    info: (seq) => (infoSeq.value = seq),
    me: myId,
    link: toFile,
    find: linkFinder.value,
  };
}

/** Files dragged over the chat: the overlay shows until they are dropped or leave. */
const dragging = signal(false);
/** dragenter/dragleave come in pairs for every element crossed: the overlay goes when the count is back to zero. */
let depth = 0;
const carriesFiles = (e: DragEvent) => !!e.dataTransfer?.types.includes("Files");

/** Dropping files anywhere on the chat adds them to the same preview as "Anexar" (issue 17). */
function dropZone(chatId: string) {
  return {
    onDragEnter: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth++;
      dragging.value = true;
    },
    onDragOver: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      e.dataTransfer!.dropEffect = "copy";
    },
    onDragLeave: (e: DragEvent) => {
      if (carriesFiles(e) && --depth <= 0) dragging.value = false;
    },
    onDrop: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth = 0;
      dragging.value = false;
      addFiles(chatId, [...(e.dataTransfer?.files ?? [])]);
    },
  };
}

/** What the composer sends: an edit being written, or a new message with the people it mentions. */
function send(text: string): boolean {
  const x = extrasNow();
  if (shown.editing.peek()) return !!x?.saveEdit();
  const sent = sendMessage(text, undefined, undefined, x?.mentionsFor(text) ?? []);
  if (sent) x?.sentMessage();
  return sent;
}

function SearchButton() {
  return (
    <IconButton
      class="search-toggle"
      label={t.searchInChat}
      expanded={searchingChat.value}
      onClick={() => (searchingChat.value = !searchingChat.value)}
    >
      <SearchIcon />
    </IconButton>
  );
}

function Notice() {
  return notice.value ? (
    <p class="toast" role="status">
      {notice.value}
    </p>
  ) : null;
}

export function ChatPane() {
  const chatId = openChatId.value;
  if (!chatId) {
    return (
      <main class="chat chat-none">
        <ChatIcon size={40} />
        <p class="muted">{t.pickConversation}</p>
        <Notice />
      </main>
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
  const edit = shown.editing.value;
  return (
    <main class="chat" aria-label={isGroup ? groupChatName() : (contact?.name ?? peerId.value ?? "")} {...dropZone(chatId)}>
      {dragging.value && (
        <div class="drop-overlay" aria-hidden="true">
          {t.dropFiles}
        </div>
      )}
      {isGroup ? (
        <GroupChatHeader onBack={closeChat} panelOpen={panelOpen.value} onTogglePanel={togglePanel}>
          <SearchButton />
        </GroupChatHeader>
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
        >
          <SearchButton />
        </ChatHeader>
      )}
      <p class="typing-line" aria-live="polite">
        {shown.typingText.value}
      </p>
      {searchingChat.value && <ChatSearch chatId={chatId} onClose={() => (searchingChat.value = false)} />}
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
        unreadAfter={unreadAfter.value}
      />
      <Notice />
      <Composer
        chatId={chatId}
        value={edit ? edit.text : draft.value}
        onInput={(text) => {
          if (shown.editing.peek()) return extrasNow()?.setEditText(text);
          setDraft(text);
          extrasNow()?.noteTyping(text);
        }}
        onSend={send}
        editing={edit}
        onCancelEdit={() => extrasNow()?.cancelEdit()}
        inGroup={isGroup}
        reply={replyingTo.value}
        replyName={replyingTo.value ? actions.nameOf(replyingTo.value.senderId) : ""}
        onCancelReply={() => (replyingTo.value = null)}
        uploads={uploads.value.get(chatId) ?? []}
        onAddFiles={(files) => addFiles(chatId, files)}
        onVoiceNote={(file, ms) => addVoiceNote(chatId, file, ms)}
        onSendUploads={(caption) => sendUploads(chatId, caption, (attachment, text) => sendMessage(text, attachment, chatId))}
        onRemoveUpload={(id) => removeUpload(chatId, id)}
        onCancelUploads={() => cancelUploads(chatId)}
      />
      {confirmingDelete.value !== null && (
        <ConfirmDialog
          title={t.confirmDelete}
          confirm={t.delete}
          onConfirm={() => deleteMessage(confirmingDelete.peek()!)}
          onClose={() => (confirmingDelete.value = null)}
        >
          <p>{t.confirmDeleteBody}</p>
        </ConfirmDialog>
      )}
      {infoSeq.value !== null && <MessageInfoDialog chatId={chatId} seq={infoSeq.value} onClose={() => (infoSeq.value = null)} />}
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
    </main>
  );
}
