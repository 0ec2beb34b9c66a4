/**
 * Files in messages (R9, R10): the address a stored file is served from (the
 * chat room authorises every download by the token), the upload limit checked
 * before uploading, how a chosen file is previewed, sizes and durations as
 * people read them, and the snippet a reply quotes.
 */
import type { Attachment, AttachmentKind, Message } from "../../../protocol/frames";
import { chatRoomId } from "../../../protocol/ids";
import { shareSnippet } from "../../../protocol/share";

/** The server's default limit (25 MiB); larger files are refused before uploading. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export function uploadUrl(tenant: string, chatId: string): string {
  return `/parties/chat/${encodeURIComponent(chatRoomId(tenant, chatId))}/files`;
}

export function fileUrl(tenant: string, chatId: string, fileId: string, token: string, download = false): string {
  const q = new URLSearchParams({ token });
  if (download) q.set("download", "1");
  return `${uploadUrl(tenant, chatId)}/${encodeURIComponent(fileId)}?${q}`;
}

/** How the preview shows a chosen file, from its browser-reported type. */
export function previewKind(type: string): Exclude<AttachmentKind, "voice"> {
  if (/^image\/(png|jpeg|gif|webp|avif|bmp)$/.test(type)) return "image";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "audio";
  return "document";
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let n = bytes / 1024;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${n.toLocaleString("pt-BR", { maximumFractionDigits: n < 10 ? 1 : 0 })} ${units[u]}`;
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
