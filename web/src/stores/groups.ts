/**
 * Group actions of the client (R13–R19): creating a group over HTTP, and the
 * `group.*` frames the open group's room decides on (add, remove, role, leave,
 * rename, image). The room answers with `group.updated` (kept in chat.ts) or an
 * `error` shown as a notice; nothing here changes the group optimistically. When
 * a group leaves the list (`inbox.remove`) while it is open, the chat closes.
 */
import { signal } from "@preact/signals";
import type { Attachment } from "../../../protocol/chat";
import type { Role } from "../../../protocol/groups";
import { uploadUrl } from "../model/files";
import { t } from "../i18n";
import { postGroup } from "./api";
import { fileLink } from "./file-links";
import { closeChat, openChat, openChatId, showNotice } from "./chat";
import { measureMedia, mediaHeaders } from "./media-size";
import { sendToChat } from "./chat-links";
import { onConversationRemoved } from "./inbox";
import type { Lifetime } from "./lifetime";
import { apiWithSession, fetchWithSession, session } from "./session";

/** Whether the "Novo grupo" dialog is open. */
export const newGroupOpen = signal(false);

/** Creates a group and opens it; the error for people if the server refused. */
export async function createGroup(name: string, members: string[]): Promise<string | null> {
  const res = await apiWithSession((s) => postGroup(s.tenant, s.token, name.trim(), members));
  if (!res) return t.sessionEnded;
  if (res.ok) {
    openChat(res.value.chatId);
    return null;
  }
  return res.status === 0 ? t.networkError : res.error;
}

function send(frame: object): void {
  const chatId = openChatId.peek();
  if (!chatId || !sendToChat(chatId, frame)) showNotice(t.groupOffline);
}

export const addMembers = (userIds: string[]) => send({ type: "group.add", userIds });
export const removeMember = (userId: string) => send({ type: "group.remove", userId });
export const setRole = (userId: string, role: Role) => send({ type: "group.role", userId, role });
export const renameGroup = (name: string) => send({ type: "group.rename", name: name.trim() });

/** Groups this tab asked to leave: their disappearance is expected, not news. */
const leaving = new Set<string>();
export function leaveGroup(): void {
  const chatId = openChatId.peek();
  if (!chatId) return;
  leaving.add(chatId);
  send({ type: "group.leave" });
}

/** The group's picture, served by its room like any of its files (a signed link; null until it arrives). */
export function groupImageUrl(chatId: string, fileId: string | null): string | null {
  return (fileId && fileLink(chatId, fileId)) || null;
}

/** Uploads an image to the group's files, then makes it the group's picture. */
export async function setGroupImage(file: File): Promise<void> {
  const chatId = openChatId.peek();
  const s = session.peek();
  if (!chatId || !s) return;
  if (!file.type.startsWith("image/")) return showNotice(t.groupImageNotImage);
  try {
    const size = await measureMedia(file);
    const res = await fetchWithSession(uploadUrl(s.tenant, chatId), {
      method: "POST",
      headers: { "x-file-name": encodeURIComponent(file.name), "content-type": file.type, ...mediaHeaders(size) },
      body: file,
    });
    if (!res) return;
    const body = (await res.json().catch(() => null)) as { attachment?: Attachment; error?: string } | null;
    if (!res.ok || !body?.attachment) return showNotice(body?.error ?? t.uploadFailed);
    if (openChatId.peek() === chatId) send({ type: "group.image", fileId: body.attachment.fileId });
  } catch {
    showNotice(t.uploadNetworkError);
  }
}

/** Closes a group that leaves the list while open, saying why; stopping forgets what was asked. */
export function startGroups(life: Lifetime): void {
  life.add(
    onConversationRemoved((chatId) => {
      const expected = leaving.delete(chatId);
      if (openChatId.peek() !== chatId) return;
      closeChat();
      showNotice(expected ? t.leftGroup : t.notInGroup);
    }),
  );
  life.add(() => {
    leaving.clear();
    newGroupOpen.value = false;
  });
}
