/**
 * How a stored file is named and served (R9 attachments), free of any runtime:
 * the Content-Type allow-list, file-name sanitising, the attachment kind and the
 * response headers that keep a hostile file from running script in our origin.
 * The declared type of an upload is only a hint: what we serve comes from here.
 */
import type { AttachmentKind } from "../../protocol";

/** Types served as themselves; anything else is served as application/octet-stream. */
const ALLOWED = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "audio/webm",
  "audio/ogg",
  "audio/mpeg",
  "audio/mp4",
  "audio/wav",
  "video/mp4",
  "video/webm",
  "application/pdf",
  "text/plain",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.ms-powerpoint",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
  "text/csv",
  "application/zip",
]);

/** Browsers and recorders name a few allowed types differently. */
const ALIASES: Record<string, string> = {
  "image/jpg": "image/jpeg",
  "audio/x-wav": "audio/wav",
  "audio/wave": "audio/wav",
  "audio/mp3": "audio/mpeg",
  "audio/x-m4a": "audio/mp4",
  "application/x-zip-compressed": "application/zip",
};

/** Extensions we trust to name an allowed type when the client sent none (or octet-stream). */
const BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  weba: "audio/webm",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  wav: "audio/wav",
  mp4: "video/mp4",
  webm: "video/webm",
  pdf: "application/pdf",
  txt: "text/plain",
  csv: "text/csv",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xls: "application/vnd.ms-excel",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ppt: "application/vnd.ms-powerpoint",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  odt: "application/vnd.oasis.opendocument.text",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  zip: "application/zip",
};

export const FALLBACK_TYPE = "application/octet-stream";

/** The Content-Type we will serve for an upload, from its declared type and its name. */
export function servedContentType(declared: string | null, name: string): string {
  const base = (declared ?? "").split(";")[0]!.trim().toLowerCase();
  const canonical = ALIASES[base] ?? base;
  if (ALLOWED.has(canonical)) return canonical === "text/plain" || canonical === "text/csv" ? `${canonical}; charset=utf-8` : canonical;
  if (canonical && canonical !== FALLBACK_TYPE) return FALLBACK_TYPE;
  const ext = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toLowerCase();
  const guessed = ext ? BY_EXTENSION[ext] : undefined;
  return guessed ? servedContentType(guessed, "") : FALLBACK_TYPE;
}

/**
 * Inline only for types a browser renders without running script (images,
 * audio, video, PDF, plain text); everything else — HTML, SVG, XML, unknown —
 * downloads.
 */
export function mayShowInline(contentType: string): boolean {
  const base = contentType.split(";")[0]!;
  return /^(image\/(png|jpeg|gif|webp)|audio\/|video\/|application\/pdf$|text\/plain$)/.test(base);
}

export function attachmentKind(contentType: string, voice: boolean): AttachmentKind {
  if (voice) return "voice";
  if (contentType.startsWith("image/")) return "image";
  if (contentType.startsWith("video/")) return "video";
  if (contentType.startsWith("audio/")) return "audio";
  return "document";
}

export type Gallery = "media" | "documents" | "audio";

/** R5 gallery tab of an attachment: pictures and videos under "Mídias", voice notes and audio under "Áudios", the rest under "Documentos". */
export function galleryOf(kind: AttachmentKind): Gallery {
  if (kind === "image" || kind === "video") return "media";
  return kind === "voice" || kind === "audio" ? "audio" : "documents";
}

const MAX_NAME = 120;

/**
 * A file name safe to store, show and send back in a header: no path, no control
 * or markup characters, no leading dots, at most 120 characters (keeping the
 * extension).
 */
export function sanitizeFileName(raw: string): string {
  const lastPart = raw.split(/[/\\]/).pop() ?? "";
  let name = lastPart
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[<>:"|?*`$&;'{}=]/g, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  if ([...name].length > MAX_NAME) {
    const ext = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? "";
    name = [...name].slice(0, MAX_NAME - ext.length).join("") + ext;
  }
  return name || "arquivo";
}

/** RFC 6266 / 5987 Content-Disposition with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(name: string, inline: boolean): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Headers on every file response: the served type, never sniffed, sandboxed, private. */
export function fileHeaders(file: { name: string; contentType: string; size: number }, download: boolean): Record<string, string> {
  const contentType = ALLOWED.has(file.contentType.split(";")[0]!) ? file.contentType : FALLBACK_TYPE;
  return {
    "content-type": contentType,
    "content-length": String(file.size),
    "content-disposition": contentDisposition(file.name, !download && mayShowInline(contentType)),
    "x-content-type-options": "nosniff",
    "content-security-policy": "sandbox; default-src 'none'",
    // A deleted file, or a member removed since, must not be read back from a cache.
    "cache-control": "private, no-store",
    "accept-ranges": "bytes",
  };
}

/**
 * A single `Range: bytes=…` of a file of `size` bytes, as an offset and a length;
 * null to serve the whole file (no header, several ranges, or one we don't parse).
 */
export function byteRange(header: string | null, size: number): { offset: number; length: number } | "unsatisfiable" | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? "");
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Math.min(Number(m[2]), size);
    return suffix === 0 ? "unsatisfiable" : { offset: size - suffix, length: suffix };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { offset: start, length: end - start + 1 };
}

/** A random file id: 16 bytes, base64url (22 characters). */
export function newFileId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The R2 key of a file: one folder per tenant and chat. */
export function fileKey(tenant: string, chatId: string, fileId: string): string {
  return `${tenant}/${chatId}/${fileId}`;
}

/** How long a signed file link works (issue 12.5): minutes, never a session token in the address. */
export const FILE_LINK_TTL_MS = 10 * 60 * 1000;
/** Links are made to expire on a 5-minute boundary, so the same file gets the same address for a while (the browser reuses it). */
const LINK_STEP_MS = 5 * 60 * 1000;

export function fileLinkExpiry(now: number): number {
  return Math.ceil((now + FILE_LINK_TTL_MS) / LINK_STEP_MS) * LINK_STEP_MS;
}

/** What a file link's signature covers: the room, the file, who it was made for (user and session), and until when. */
export function fileLinkMessage(roomId: string, fileId: string, userId: string, sid: string, expiresAt: number): string {
  return `file|${roomId}|${fileId}|${userId}|${sid}|${expiresAt}`;
}

/**
 * An export's file links (issue 18.5): made for the company admin who exported
 * the chat, with no session behind them, so they live a day and name nobody;
 * the signature covers the room, the file and the expiry, under its own prefix
 * so a member's link can never pass for one.
 */
export const EXPORT_LINK_TTL_MS = 24 * 60 * 60 * 1000;

export function exportLinkMessage(roomId: string, fileId: string, expiresAt: number): string {
  return `export-file|${roomId}|${fileId}|${expiresAt}`;
}
