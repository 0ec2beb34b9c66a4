/**
 * A conversation's files over HTTP (R9 attachments): upload into R2 through the
 * room, which checks membership, and download authorised per request. The edge
 * has already checked the token and that the id names a chat of the caller's
 * tenant the caller belongs to; here the room checks again against its meta and
 * asks the directory whether the session is still alive (disabled users get
 * nothing). Nothing partial ever lands in R2: the body is counted in full before
 * the one put.
 */
import type { Attachment } from "../../protocol";
import { isMember, type ChatMeta } from "../domain/chat";
import { attachmentKind, byteRange, fileHeaders, fileKey, newFileId, sanitizeFileName, servedContentType } from "../domain/files";
import { isAbandonedUpload, type FileRecord } from "../domain/messages";
import type { Identity } from "../domain/session";
import { fileRecKey } from "./chat-log";
import type { RoomHost } from "./host";
import { discardBody, errorResponse, json, readBytes, refuse } from "./respond";

export type ChatFilesContext = {
  host: RoomHost;
  tenant: string;
  chatId: string;
  ensureMeta(): Promise<ChatMeta | null>;
  /** The room's one queue of mutations: a sweep must not remove a file a send is taking. */
  serial<T>(work: () => Promise<T>): Promise<T>;
};

/** Abandoned uploads are looked for at most this often (or every upload TTL, when shorter). */
const SWEEP_EVERY_MS = 60 * 60 * 1000;
const SWEEP_PAGE = 256;

export function chatFiles({ host, tenant, chatId, ensureMeta, serial }: ChatFilesContext) {
  const limit = host.config.maxUploadBytes;
  /** How much of a refused upload we read (and drop) so its sender still gets the answer. */
  const drainCap = Math.min(2 * limit + 1024 * 1024, 128 * 1024 * 1024);

  /** Null when the caller may use this chat's files; otherwise the refusal. */
  async function admit(req: Request, who: Identity | null): Promise<Response | null> {
    if (!who) return refuse(req, "unauthorized", "sessão inválida ou expirada; entre de novo");
    const meta = await ensureMeta();
    if (!meta) return refuse(req, "not_found", "Conversa não encontrada.");
    if (!isMember(meta, who.userId)) return refuse(req, "forbidden", "Você não participa desta conversa.");
    const alive = await host.call("directory", tenant, `/session-check?user=${who.userId}&sv=${who.sessionVersion}`);
    if (!alive.ok) return refuse(req, "unauthorized", "sessão encerrada; entre de novo");
    if (!host.files) return refuse(req, "internal", "armazenamento de arquivos indisponível");
    return null;
  }

  async function upload(req: Request, who: Identity | null): Promise<Response> {
    const refusal = await admit(req, who);
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
    const fileId = newFileId();
    const attachment: Attachment = { fileId, name, size: length, contentType, kind: attachmentKind(contentType, false) };
    const key = fileKey(tenant, chatId, fileId);
    await host.files!.put(key, bytes, { httpMetadata: { contentType }, customMetadata: { uploader: who!.userId, name } });
    const record: FileRecord = { uploaderId: who!.userId, attachment, usedBySeq: null, createdAt: Date.now() };
    try {
      await host.storage.put(fileRecKey(fileId), record);
    } catch (err) {
      await host.files!.delete(key);
      throw err;
    }
    sweepNowAndThen();
    return json({ attachment }, 201);
  }

  let lastSweep = 0;
  /** After an upload, now and then: removes uploads nobody sent within the TTL (records and bytes). */
  function sweepNowAndThen() {
    const now = Date.now();
    if (now - lastSweep < Math.min(SWEEP_EVERY_MS, host.config.uploadTtlMs)) return;
    lastSweep = now;
    host.waitUntil(serial(() => sweep(now)).catch((err) => console.error(`upload sweep in ${chatId}`, err)));
  }

  async function sweep(now: number) {
    for (let start: string | undefined; ;) {
      const page = await host.storage.list<FileRecord>({ prefix: "file:", limit: SWEEP_PAGE, ...(start ? { start } : {}) });
      const abandoned = [...page].filter(([, r]) => isAbandonedUpload(r, now, host.config.uploadTtlMs));
      for (const [, r] of abandoned) await host.files?.delete(fileKey(tenant, chatId, r.attachment.fileId));
      if (abandoned.length) await host.storage.delete(abandoned.map(([k]) => k));
      if (page.size < SWEEP_PAGE) return;
      start = `${[...page.keys()].at(-1)!}\u0000`;
    }
  }

  async function download(req: Request, who: Identity | null, fileId: string): Promise<Response> {
    const refusal = await admit(req, who);
    if (refusal) return refusal;
    const record = await host.storage.get<FileRecord>(fileRecKey(fileId));
    // An upload no message uses yet is its uploader's alone.
    if (!record || (record.usedBySeq === null && record.uploaderId !== who!.userId)) {
      return errorResponse("not_found", "Arquivo não encontrado.");
    }
    const download = new URL(req.url).searchParams.get("download") === "1";
    const headers = fileHeaders(record.attachment, download);
    // Single byte ranges let players seek in audio and video without fetching the whole file.
    const range = byteRange(req.headers.get("range"), record.attachment.size);
    if (range === "unsatisfiable") {
      return new Response(null, {
        status: 416,
        headers: { ...headers, "content-length": "0", "content-range": `bytes */${record.attachment.size}` },
      });
    }
    const object = await host.files!.get(fileKey(tenant, chatId, fileId), range ? { range } : {});
    if (!object || !("body" in object)) return errorResponse("not_found", "Arquivo não encontrado.");
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

  /** Removes a file's bytes (a deleted message's attachment). */
  async function removeObject(fileId: string): Promise<void> {
    await host.files?.delete(fileKey(tenant, chatId, fileId));
  }

  /** Copies another chat's file into this chat under a new id (forwarding never re-uploads). */
  async function copyFrom(sourceChatId: string, attachment: Attachment): Promise<Attachment | null> {
    const source = await host.files?.get(fileKey(tenant, sourceChatId, attachment.fileId));
    if (!source) return null;
    const fileId = newFileId();
    await host.files!.put(fileKey(tenant, chatId, fileId), await source.arrayBuffer(), {
      httpMetadata: { contentType: attachment.contentType },
      customMetadata: { copiedFrom: `${sourceChatId}/${attachment.fileId}`, name: attachment.name },
    });
    return { ...attachment, fileId };
  }

  return { upload, download, removeObject, copyFrom };
}
