/**
 * The data panels' "Mídias", "Áudios" and "Documentos" (R5, R16): the open chat's
 * attachments, newest first, a page at a time through `gallery.fetch` on the chat
 * room. Pages answer on the chat socket and arrive here through chat.ts. The room
 * indexes audio with the documents, so those two shelves share its pages
 * (model/gallery.ts) and a shelf that a page left nearly empty asks for the next
 * one at once, a few pages at most before waiting for "Carregar mais".
 */
import { signal } from "@preact/signals";
import type { ChatServerFrame, Message } from "../../../protocol/chat";
import { onShelf, serverGallery, type GalleryKind } from "../model/gallery";
import { sendToChat } from "./chat-links";
import type { Lifetime } from "./lifetime";

export type { GalleryKind };
export type Gallery = { chatId: string; kind: GalleryKind; items: Message[]; hasMore: boolean; loading: boolean };

export const gallery = signal<Gallery | null>(null);
const PAGE = 30;
/** A shelf with fewer items than this after a page asks for the next one by itself… */
const FILL = 12;
/** …up to this many pages in a row. */
const AUTO_PAGES = 4;

/** The oldest seq of the last page the room sent (a shelf may not show it) and how many pages came without a click. */
let cursor: number | null = null;
let autoPages = 0;

function fetchPage(chatId: string, kind: GalleryKind, before?: number): boolean {
  return sendToChat(chatId, { type: "gallery.fetch", kind: serverGallery(kind), ...(before ? { before } : {}), limit: PAGE });
}

/** Starts the list over (opening the panel or switching tabs). */
export function openGallery(chatId: string, kind: GalleryKind): void {
  cursor = null;
  autoPages = 0;
  gallery.value = { chatId, kind, items: [], hasMore: false, loading: true };
  if (!fetchPage(chatId, kind)) gallery.value = { ...gallery.value, loading: false };
}

/** On (re)connection: a list asked for while the room was unreachable is asked again. */
export function refreshGallery(chatId: string): void {
  const g = gallery.peek();
  if (g && g.chatId === chatId && g.items.length === 0) openGallery(chatId, g.kind);
}

export function loadMoreGallery(): void {
  const g = gallery.peek();
  if (!g || !g.hasMore || g.loading || cursor === null) return;
  autoPages = 0;
  if (fetchPage(g.chatId, g.kind, cursor)) gallery.value = { ...g, loading: true };
}

export function closeGallery(): void {
  gallery.value = null;
}

export function applyGalleryPage(chatId: string, page: Extract<ChatServerFrame, { type: "gallery.page" }>): void {
  const g = gallery.peek();
  if (!g || g.chatId !== chatId || serverGallery(g.kind) !== page.kind) return;
  // An answer to another shelf of the same index (tabs switched while it travelled).
  if ((page.before ?? null) !== cursor) return;
  const known = new Set(g.items.map((m) => m.seq));
  const fresh = page.items.filter((m) => !known.has(m.seq) && onShelf(g.kind, m));
  const items = [...g.items, ...fresh].sort((a, b) => b.seq - a.seq);
  cursor = page.items.at(-1)?.seq ?? cursor;
  if (page.hasMore && items.length < FILL && autoPages < AUTO_PAGES && cursor !== null && fetchPage(chatId, g.kind, cursor)) {
    autoPages++;
    gallery.value = { ...g, items, hasMore: true, loading: true };
    return;
  }
  gallery.value = { ...g, items, hasMore: page.hasMore, loading: false };
}

/** A deleted message leaves the gallery at once. */
export function dropFromGallery(chatId: string, seq: number): void {
  const g = gallery.peek();
  if (g && g.chatId === chatId && g.items.some((m) => m.seq === seq)) gallery.value = { ...g, items: g.items.filter((m) => m.seq !== seq) };
}

export function startGallery(life: Lifetime): void {
  life.add(() => {
    closeGallery();
    cursor = null;
    autoPages = 0;
  });
}
