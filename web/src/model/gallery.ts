/**
 * The shelves of a chat's data panel (R5, R16, issue 17): "Mídias" (pictures and
 * videos), "Áudios" (voice notes and audio files, playable) and "Documentos"
 * (everything else). The chat room keeps one index per shelf (`gallery.fetch`
 * kind "media", "audio", "documents"); what a page brings is still checked here,
 * so a page of another shelf never shows on this one.
 */
import type { AttachmentKind, Message } from "../../../protocol/chat";

export type GalleryKind = "media" | "audio" | "documents";

const AUDIO: readonly AttachmentKind[] = ["voice", "audio"];

/** Which server index a shelf reads: its own. */
export function serverGallery(kind: GalleryKind): GalleryKind {
  return kind;
}

/** Whether a message of that index belongs on the shelf. */
export function onShelf(kind: GalleryKind, m: Message): boolean {
  const a = m.attachment?.kind;
  if (!a || m.deleted) return false;
  if (kind === "media") return true;
  return kind === "audio" ? AUDIO.includes(a) : !AUDIO.includes(a);
}
