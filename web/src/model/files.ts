/**
 * Files in messages (R9, R10): where uploads go, the upload limit checked before
 * uploading, how a chosen file is previewed, the box a picture or video takes
 * before it loads, sizes and durations as people read them, and the snippet a
 * reply quotes. (Downloads use signed links: stores/file-links.ts.)
 */
import type { Attachment, AttachmentKind, Message } from "../../../protocol/chat";
import { chatRoomId } from "../../../protocol/ids";
import { shareSnippet } from "../../../protocol/share";

/** The server's default limit (25 MiB); larger files are refused before uploading. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export function uploadUrl(tenant: string, chatId: string): string {
  return `/parties/chat/${encodeURIComponent(chatRoomId(tenant, chatId))}/files`;
}

/** The widest and tallest a picture or video is shown in a message. */
export const MEDIA_MAX = 320;

/**
 * The box a picture or video takes in a message before it loads: its own shape
 * (the uploader measured it), as wide as fits in MEDIA_MAX × MEDIA_MAX and never
 * enlarged; null when its size is not known (older files).
 */
export function mediaBox(a: Pick<Attachment, "width" | "height">): { width: number; aspectRatio: string } | null {
  const { width: w, height: h } = a;
  if (!w || !h || w <= 0 || h <= 0) return null;
  const scale = Math.min(1, MEDIA_MAX / w, MEDIA_MAX / h);
  return { width: Math.max(1, Math.round(w * scale)), aspectRatio: `${w} / ${h}` };
}

/** How the preview shows a chosen file, from its browser-reported type. */
export function previewKind(type: string): Exclude<AttachmentKind, "voice"> {
  if (/^image\/(png|jpeg|gif|webp|avif|bmp)$/.test(type)) return "image";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "audio";
  return "document";
}

/**
 * Bytes as people read them, in pt-BR: "830 B", "1,5 MB", "12 KB". `steady`: one
 * decimal always ("12,4 KB"), and kept under 10 ("1,0 KB"), for a figure that
 * grows while it is watched (an export's progress).
 */
export function formatSize(bytes: number, steady = false): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let n = bytes / 1024;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  const digits = steady ? { maximumFractionDigits: 1, minimumFractionDigits: n < 10 ? 1 : 0 } : { maximumFractionDigits: n < 10 ? 1 : 0 };
  return `${n.toLocaleString("pt-BR", digits)} ${units[u]}`;
}

/** m:ss, as voice notes show elapsed and total time. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** The short label of a file type on a document card: "PDF", "DOCX", or the subtype. */
export function typeLabel(a: Pick<Attachment, "name" | "contentType">): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(a.name)?.[1];
  return (ext ?? a.contentType.split("/")[1] ?? "arquivo").toUpperCase();
}

const SNIPPET = 120;

/** What a reply or a list preview shows of a message: its text, else the file's name. */
export function snippetOf(m: Pick<Message, "text" | "attachment" | "share">): string {
  // A shared customer conversation (R30) is quoted as the server quotes it.
  if (m.share) return shareSnippet(m.share);
  const text = m.text.replace(/\s+/g, " ").trim();
  const base = text || m.attachment?.name || "";
  return base.length > SNIPPET ? `${base.slice(0, SNIPPET - 1)}…` : base;
}
