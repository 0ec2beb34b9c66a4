/**
 * The contact data panel's "Mídias" and "Documentos" (R5): the open chat's
 * attachments, newest first, a page at a time through `gallery.fetch` on the
 * chat room. Pages answer on the chat socket and arrive here through chat.ts.
 */
import { signal } from "@preact/signals";
import type { ChatServerFrame, Message } from "../../../protocol/frames";
import { sendToChat } from "./chat-links";
import type { Lifetime } from "./lifetime";

export type GalleryKind = "media" | "documents";
export type Gallery = { chatId: string; kind: GalleryKind; items: Message[]; hasMore: boolean; loading: boolean };

export const gallery = signal<Gallery | null>(null);
const PAGE = 30;

/** Starts the list over (opening the panel or switching tabs). */
export function openGallery(chatId: string, kind: GalleryKind): void {
  gallery.value = { chatId, kind, items: [], hasMore: false, loading: true };
  if (!sendToChat(chatId, { type: "gallery.fetch", kind, limit: PAGE })) gallery.value = { ...gallery.value, loading: false };
}

/** On (re)connection: a list asked for while the room was unreachable is asked again. */
export function refreshGallery(chatId: string): void {
  const g = gallery.peek();
  if (g && g.chatId === chatId && g.items.length === 0) openGallery(chatId, g.kind);
}

export function loadMoreGallery(): void {
  const g = gallery.peek();
  const before = g?.items.at(-1)?.seq;
  if (!g || !g.hasMore || g.loading || before === undefined) return;
  if (sendToChat(g.chatId, { type: "gallery.fetch", kind: g.kind, before, limit: PAGE })) gallery.value = { ...g, loading: true };
}

export function closeGallery(): void {
  gallery.value = null;
}

export function applyGalleryPage(chatId: string, page: Extract<ChatServerFrame, { type: "gallery.page" }>): void {
  const g = gallery.peek();
  if (!g || g.chatId !== chatId || g.kind !== page.kind) return;
  const known = new Set(g.items.map((m) => m.seq));
  const items = [...g.items, ...page.items.filter((m) => !known.has(m.seq))].sort((a, b) => b.seq - a.seq);
  gallery.value = { ...g, items, hasMore: page.hasMore, loading: false };
}

/** A deleted message leaves the gallery at once. */
export function dropFromGallery(chatId: string, seq: number): void {
  const g = gallery.peek();
  if (g && g.chatId === chatId && g.items.some((m) => m.seq === seq)) gallery.value = { ...g, items: g.items.filter((m) => m.seq !== seq) };
}

export function startGallery(life: Lifetime): void {
  life.add(closeGallery);
}
