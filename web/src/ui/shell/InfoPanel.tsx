/**
 * The side panel beside the open chat: "Dados do contato" (R5) for a 1:1 chat,
 * "Dados do grupo" (R16) for a group, each with the chat's gallery. Closing it
 * gives focus back to its toggle in the chat header.
 */
import { useEffect } from "preact/hooks";
import { isGroupOpen, openChatId, peer, peerId } from "../../stores/chat";
import { closeGallery, gallery, loadMoreGallery, openGallery } from "../../stores/gallery";
import { isOnline } from "../../stores/presence";
import { panelOpen } from "../../stores/view";
import { onDemand } from "../panels-door";
import { GroupPanelHost } from "./groups";
import { fileLink } from "./rows";

const ContactPanel = onDemand((m) => m.ContactPanel);

export function InfoPanel() {
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
        link={fileLink(chatId)}
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
      link={fileLink(chatId)}
      onTab={(kind) => openGallery(chatId, kind)}
      onMore={loadMoreGallery}
      onClose={close}
    />
  );
}
