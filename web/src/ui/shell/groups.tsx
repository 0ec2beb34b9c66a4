/**
 * Wires the group stores (R13–R19) to the group components, beside the shell so
 * the shell only decides where they go: the "+" of "Novo grupo" and its dialog,
 * group rows for the conversation list and for "Encaminhar", the group chat's
 * header and its "Dados do grupo" panel.
 */
import type { ComponentChildren } from "preact";
import type { ConversationSummary } from "../../../../protocol/hub";
import { t } from "../../i18n";
import { IconButton } from "../IconButton";
import { rowTimeLabel } from "../../model/unread";
import { addableContacts, groupPreview } from "../../model/groups";
import { group, openChatId } from "../../stores/chat";
import { now } from "../../stores/clock";
import { contactById, otherContacts } from "../../stores/contacts";
import { chatsWithDraft, drafts } from "../../stores/drafts";
import type { Gallery, GalleryKind } from "../../stores/gallery";
import {
  addMembers,
  createGroup,
  groupImageUrl,
  leaveGroup,
  newGroupOpen,
  removeMember,
  renameGroup,
  setGroupImage,
  setRole,
} from "../../stores/groups";
import { conversations } from "../../stores/inbox";
import { me } from "../../stores/session";
import type { FileLink } from "../Attachment";
import type { ConversationRow } from "../ConversationList";
import type { ForwardTarget } from "../ForwardDialog";
import { GroupHeader } from "../groups/GroupHeader";
import { onDemand } from "../panels-door";

type GroupSummary = Extract<ConversationSummary, { kind: "group" }>;

const nameOf = (userId: string) => contactById.value.get(userId)?.name ?? userId;
/** Like nameOf, but the signed-in user is "Você" (system lines, member list). */
const nameOrYou = (userId: string) => (userId === me.value?.id ? t.you : nameOf(userId));

export function groupRow(c: GroupSummary): ConversationRow {
  const last = c.lastMessage;
  const preview = last ? groupPreview(last, me.value?.id, nameOrYou) : { text: "", mine: false, sender: null };
  return {
    chatId: c.chatId,
    peerId: c.chatId,
    name: c.name,
    avatarUrl: groupImageUrl(c.chatId, c.imageFileId),
    preview: last?.deleted ? t.deletedMessage : preview.text,
    mine: preview.mine && !last?.deleted,
    sender: last?.deleted ? null : preview.sender,
    when: rowTimeLabel(c, now.value),
    active: c.chatId === openChatId.value,
    unread: c.unread,
    mentioned: c.mentioned,
    draft: chatsWithDraft.value.has(c.chatId) ? (drafts.value.get(c.chatId) ?? "").replace(/\s+/g, " ") : null,
  };
}

/** The user's groups as "Encaminhar" targets (R10 in groups). */
export function groupForwardTargets(): ForwardTarget[] {
  return conversations.value
    .filter((c): c is GroupSummary => c.kind === "group")
    .map((c) => ({
      chatId: c.chatId,
      peerId: c.chatId,
      name: c.name,
      avatarUrl: groupImageUrl(c.chatId, c.imageFileId),
      detail: t.groupLabel,
    }));
}

const NewGroupDialog = onDemand((m) => m.NewGroupDialog);
const GroupPanel = onDemand((m) => m.GroupPanel);

export function NewGroupButton() {
  return (
    <IconButton class="new-group" label={t.newGroup} onClick={() => (newGroupOpen.value = true)}>
      +
    </IconButton>
  );
}

export function NewGroupHost() {
  if (!newGroupOpen.value) return null;
  return <NewGroupDialog people={otherContacts.value} onCreate={createGroup} onClose={() => (newGroupOpen.value = false)} />;
}

/** The header of the open group; its name comes from the list until the room's answer arrives. */
export function GroupChatHeader(props: { onBack(): void; panelOpen: boolean; onTogglePanel(): void; children?: ComponentChildren }) {
  const chatId = openChatId.value!;
  const summary = conversations.value.find((c): c is GroupSummary => c.chatId === chatId && c.kind === "group");
  const g = group.value;
  return (
    <GroupHeader
      chatId={chatId}
      name={g?.name ?? summary?.name ?? ""}
      imageUrl={groupImageUrl(chatId, g ? g.imageFileId : (summary?.imageFileId ?? null))}
      memberCount={g ? g.members.length : null}
      {...props}
    />
  );
}

export function groupChatName(): string {
  const chatId = openChatId.value;
  return group.value?.name ?? conversations.value.find((c): c is GroupSummary => c.chatId === chatId && c.kind === "group")?.name ?? "";
}

export function GroupPanelHost(props: {
  gallery: Gallery | null;
  link: FileLink;
  onTab(kind: GalleryKind): void;
  onMore(): void;
  onClose(): void;
}) {
  const chatId = openChatId.value!;
  const g = group.value;
  return (
    <GroupPanel
      chatId={chatId}
      group={g}
      me={me.value?.id ?? ""}
      nameOf={nameOf}
      avatarOf={(id) => contactById.value.get(id)?.avatarUrl ?? null}
      imageUrl={groupImageUrl(chatId, g?.imageFileId ?? null)}
      addable={addableContacts(otherContacts.value, g, "")}
      actions={{
        rename: renameGroup,
        image: (file) => void setGroupImage(file),
        add: addMembers,
        remove: removeMember,
        role: setRole,
        leave: leaveGroup,
      }}
      {...props}
    />
  );
}
