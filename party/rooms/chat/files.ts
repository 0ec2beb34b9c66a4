/**
 * A conversation's files (R9 attachments). Uploads come over HTTP with the
 * member's access token; nothing partial ever lands in the file store (the body
 * is counted in full before the one put, and a body shorter than it declared is
 * refused). Downloads need no session token (issue 12.5): a member asks for
 * short-lived links (`POST …/files/links`), each signed for that member, that
 * file and a few minutes, and every download checks the signature, the time and
 * that the member is still a member. Uploads nobody sent are swept after the
 * upload TTL, record and bytes, by the room's alarm.
 */
import type { Attachment } from "../../../protocol/chat";
import { userRoomId } from "../../../protocol/ids";
import { b64url, constantTimeEqual, fromB64url, hmacSha256 } from "../../domain/crypto";
import {
  attachmentKind,
  byteRange,
  exportLinkMessage,
  fileHeaders,
  fileKey,
  fileLinkExpiry,
  fileLinkMessage,
  newFileId,
  sanitizeFileName,
  servedContentType,
} from "../../domain/files";
import { isAbandonedUpload, type FileRecord } from "../../domain/messages";
import type { Caller, RoomStorage } from "../../runtime/host";
import { discardBody, errorResponse, json, readBytes, refuse } from "../../runtime/respond";
import type { ChatContext } from "./context";

const SWEEP_PAGE = 200;
const MAX_LINKS = 100;

type FileRow = { uploader: string; attachment: string; used_by_seq: number | null; created_at: number };

export function fileRecord(storage: RoomStorage, fileId: string): FileRecord | null {
  const row = storage.one<FileRow>("SELECT uploader, attachment, used_by_seq, created_at FROM files WHERE file_id = ?", fileId);
  return row
    ? {
        uploaderId: row.uploader,
        attachment: JSON.parse(row.attachment) as Attachment,
        usedBySeq: row.used_by_seq,
        createdAt: row.created_at,
      }
    : null;
}

export function insertFile(storage: RoomStorage, r: FileRecord): void {
  storage.run(
    "INSERT INTO files(file_id, uploader, attachment, used_by_seq, created_at) VALUES (?, ?, ?, ?, ?)",
    r.attachment.fileId,
    r.uploaderId,
    JSON.stringify(r.attachment),
    r.usedBySeq,
    r.createdAt,
  );
}

export function markFileUsed(storage: RoomStorage, fileId: string, seq: number, attachment: Attachment): void {
  storage.run("UPDATE files SET used_by_seq = ?, attachment = ? WHERE file_id = ?", seq, JSON.stringify(attachment), fileId);
}

export function deleteFileRecord(storage: RoomStorage, fileId: string): void {
  storage.run("DELETE FROM files WHERE file_id = ?", fileId);
}

function dimension(raw: string | null): number | undefined {
  if (raw === null || !/^\d{1,5}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= 20_000 ? n : undefined;
}

export function chatFiles(ctx: ChatContext) {
  const { host, state, tenant, chatId } = ctx;
  const limit = host.config.maxUploadBytes;
  /** How much of a refused upload we read (and drop) so its sender still gets the answer. */
  const drainCap = Math.min(2 * limit + 1024 * 1024, 128 * 1024 * 1024);

  /** Null when the caller (a member with a live session, checked at the edge) may use this chat's files. */
  async function admit(req: Request, caller: Caller): Promise<Response | null> {
    if (!caller.identity) return refuse(req, "unauthorized", "sessão inválida ou expirada; entre de novo");
    if (!state.meta) return refuse(req, "not_found", "Conversa não encontrada.");
    if (!state.isMember(caller.identity.userId)) return refuse(req, "forbidden", "Você não participa desta conversa.");
    if (!host.files) return refuse(req, "internal", "armazenamento de arquivos indisponível");
    return null;
  }

  async function upload(req: Request, caller: Caller): Promise<Response> {
    const refusal = await admit(req, caller);
    if (refusal) return refusal;
    const declared = req.headers.get("content-length");
    if (declared === null || !/^\d+$/.test(declared)) {
      await discardBody(req);
      return json({ error: "Content-Length obrigatório", code: "invalid_body", field: "content-length" }, 411);
    }
    const length = Number(declared);
    if (length > limit) {
      await discardBody(req, drainCap);
      return errorResponse("too_large", `arquivo maior que o limite de ${limit} bytes`);
    }
    if (length === 0) return refuse(req, "invalid_body", "arquivo vazio", "content-length");
    let rawName = req.headers.get("x-file-name") ?? "";
    try {
      rawName = decodeURIComponent(rawName);
    } catch {
      /* not URI-encoded: sanitised as it is */
    }
    const name = sanitizeFileName(rawName);
    const bytes = await readBytes(req, Math.min(length, limit));
    if (!bytes) return errorResponse("too_large", `arquivo maior que o declarado ou que o limite de ${limit} bytes`);
    if (bytes.byteLength !== length) return errorResponse("invalid_body", "o arquivo chegou incompleto", "content-length");
    const contentType = servedContentType(req.headers.get("content-type"), name);
    const kind = attachmentKind(contentType, false);
    const width = kind === "image" || kind === "video" ? dimension(req.headers.get("x-media-width")) : undefined;
    const height = kind === "image" || kind === "video" ? dimension(req.headers.get("x-media-height")) : undefined;
    const fileId = newFileId();
    const attachment: Attachment = { fileId, name, size: length, contentType, kind, ...(width && height ? { width, height } : {}) };
    const key = fileKey(tenant, chatId, fileId);
    const uploader = caller.identity!.userId;
    await host.files!.put(key, bytes, { contentType, custom: { uploader, name } });
    try {
      insertFile(host.storage, { uploaderId: uploader, attachment, usedBySeq: null, createdAt: host.now() });
    } catch (err) {
      await host.files!.delete([key]);
      throw err;
    }
    host.wakeAt(host.now() + host.config.uploadTtlMs);
    return json({ attachment }, 201);
  }

  const sign = async (fileId: string, userId: string, sid: string, exp: number) =>
    b64url(await hmacSha256(host.config.sessionSecret, fileLinkMessage(host.id, fileId, userId, sid, exp)));

  /** `POST …/files/links {fileIds}`: a signed address per file the member may read (R9; issue 12.5). */
  async function links(req: Request, caller: Caller): Promise<Response> {
    const refusal = await admit(req, caller);
    if (refusal) return refusal;
    let fileIds: unknown;
    try {
      fileIds = ((await req.json()) as { fileIds?: unknown }).fileIds;
    } catch {
      return errorResponse("invalid_body", "JSON inválido", "(raiz)");
    }
    if (
      !Array.isArray(fileIds) ||
      fileIds.length > MAX_LINKS ||
      !fileIds.every((f) => typeof f === "string" && /^[A-Za-z0-9_-]{8,64}$/.test(f))
    )
      return errorResponse("invalid_body", `fileIds: até ${MAX_LINKS} ids de arquivo`, "fileIds");
    const { userId, sid } = caller.identity!;
    const expiresAt = fileLinkExpiry(host.now());
    const out: Record<string, string> = {};
    for (const fileId of new Set(fileIds as string[])) {
      const record = fileRecord(host.storage, fileId);
      if (!record || (record.usedBySeq === null && record.uploaderId !== userId)) continue;
      const q = new URLSearchParams({ u: userId, k: sid, e: String(expiresAt), s: await sign(fileId, userId, sid, expiresAt) });
      out[fileId] = `/parties/chat/${encodeURIComponent(host.id)}/files/${fileId}?${q}`;
    }
    return json({ links: out, expiresAt });
  }

  /** An export's link (issue 18.5): the signature and the time only; any file the chat still keeps. */
  async function exportDownload(req: Request, url: URL, fileId: string): Promise<Response> {
    const exp = Number(url.searchParams.get("x"));
    const given = fromB64url(url.searchParams.get("s") ?? "");
    if (!Number.isInteger(exp) || !given) return errorResponse("unauthorized", "link de arquivo inválido");
    const expected = await hmacSha256(host.config.sessionSecret, exportLinkMessage(host.id, fileId, exp));
    if (!constantTimeEqual(given, expected)) return errorResponse("unauthorized", "link de arquivo inválido");
    if (exp <= host.now()) return errorResponse("unauthorized", "link de arquivo expirado; exporte de novo");
    const record = fileRecord(host.storage, fileId);
    const object = record && host.files ? await host.files.get(fileKey(tenant, chatId, fileId)) : null;
    if (!record || !object) return errorResponse("not_found", "Arquivo não encontrado.");
    return new Response(req.method === "HEAD" ? null : object.body, { status: 200, headers: fileHeaders(record.attachment, true) });
  }

  async function download(req: Request, fileId: string): Promise<Response> {
    const url = new URL(req.url);
    if (url.searchParams.has("x")) return exportDownload(req, url, fileId);
    const userId = url.searchParams.get("u") ?? "";
    const sid = url.searchParams.get("k") ?? "";
    const exp = Number(url.searchParams.get("e"));
    const given = fromB64url(url.searchParams.get("s") ?? "");
    if (!userId || !sid || !Number.isInteger(exp) || !given) return errorResponse("unauthorized", "link de arquivo inválido");
    const expected = await hmacSha256(host.config.sessionSecret, fileLinkMessage(host.id, fileId, userId, sid, exp));
    if (!constantTimeEqual(given, expected)) return errorResponse("unauthorized", "link de arquivo inválido");
    if (exp <= host.now()) return errorResponse("unauthorized", "link de arquivo expirado; abra a conversa de novo");
    if (!state.isMember(userId)) return errorResponse("forbidden", "Você não participa desta conversa.");
    // A link dies with the session it was made for (signed out, or the user disabled).
    const alive = await host.call("user.sessionAlive", userRoomId(tenant, userId), { sid });
    if (!alive.ok) return errorResponse("unauthorized", "sessão encerrada; entre de novo");
    const record = fileRecord(host.storage, fileId);
    // An upload no message uses yet is its uploader's alone.
    if (!record || (record.usedBySeq === null && record.uploaderId !== userId) || !host.files) {
      return errorResponse("not_found", "Arquivo não encontrado.");
    }
    const headers = fileHeaders(record.attachment, url.searchParams.get("download") === "1");
    // Single byte ranges let players seek in audio and video without fetching the whole file.
    const range = byteRange(req.headers.get("range"), record.attachment.size);
    if (range === "unsatisfiable") {
      return new Response(null, {
        status: 416,
        headers: { ...headers, "content-length": "0", "content-range": `bytes */${record.attachment.size}` },
      });
    }
    const object = await host.files.get(fileKey(tenant, chatId, fileId), range ?? undefined);
    if (!object) return errorResponse("not_found", "Arquivo não encontrado.");
    if (!range) return new Response(object.body, { status: 200, headers });
    const end = range.offset + range.length - 1;
    return new Response(object.body, {
      status: 206,
      headers: {
        ...headers,
        "content-length": String(range.length),
        "content-range": `bytes ${range.offset}-${end}/${record.attachment.size}`,
      },
    });
  }

  /** Removes uploads nobody sent within the TTL (records and bytes); on the room's serial queue, so a send never loses its file. */
  function sweep(): Promise<void> {
    return ctx.serial(async () => {
      const now = host.now();
      const ttl = host.config.uploadTtlMs;
      for (;;) {
        const rows = host.storage.all<{ file_id: string; uploader: string; attachment: string; created_at: number }>(
          "SELECT file_id, uploader, attachment, created_at FROM files WHERE used_by_seq IS NULL AND created_at <= ? ORDER BY created_at LIMIT ?",
          now - ttl,
          SWEEP_PAGE,
        );
        const gone = rows.filter((r) =>
          isAbandonedUpload(
            { uploaderId: r.uploader, attachment: JSON.parse(r.attachment), usedBySeq: null, createdAt: r.created_at },
            now,
            ttl,
          ),
        );
        if (gone.length === 0) break;
        await host.files?.delete(gone.map((r) => fileKey(tenant, chatId, r.file_id)));
        host.storage.transaction(() => {
          for (const r of gone) host.storage.run("DELETE FROM files WHERE file_id = ? AND used_by_seq IS NULL", r.file_id);
        });
        if (rows.length < SWEEP_PAGE) break;
      }
      const next = host.storage.one<{ created_at: number }>("SELECT min(created_at) AS created_at FROM files WHERE used_by_seq IS NULL");
      if (next?.created_at) host.wakeAt(next.created_at + ttl);
    });
  }

  /** Copies another chat's file into this chat under a new id (forwarding never re-uploads). */
  async function copyFrom(sourceChatId: string, attachment: Attachment): Promise<Attachment | null> {
    const source = await host.files?.bytes(fileKey(tenant, sourceChatId, attachment.fileId));
    if (!source) return null;
    const fileId = newFileId();
    await host.files!.put(fileKey(tenant, chatId, fileId), source, {
      contentType: attachment.contentType,
      custom: { copiedFrom: `${sourceChatId}/${attachment.fileId}`, name: attachment.name },
    });
    return { ...attachment, fileId };
  }

  async function removeObject(fileId: string): Promise<void> {
    await host.files?.delete([fileKey(tenant, chatId, fileId)]);
  }

  return { upload, links, download, sweep, copyFrom, removeObject };
}
