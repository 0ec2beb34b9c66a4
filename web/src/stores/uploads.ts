/**
 * Attachments on their way out (R9): the file chosen in a chat, its caption, the
 * upload through the chat room over XMLHttpRequest (for its progress events),
 * cancel and retry. Only once the room has stored the file does the message go
 * out, through the outbox like any other (so a dropped socket resends it without
 * uploading again). One upload per chat at a time, kept in memory.
 */
import { computed, signal } from "@preact/signals";
import type { Attachment } from "../../../protocol/frames";
import { MAX_UPLOAD_BYTES, uploadUrl } from "../model/files";
import { t } from "../i18n";
import type { Lifetime } from "./lifetime";
import { session } from "./session";

export type Upload = {
  chatId: string;
  file: File;
  /** Voice notes carry their recorded length. */
  voiceMs?: number;
  status: "preview" | "uploading" | "failed";
  /** 0..1 while uploading. */
  progress: number;
  error?: string;
};

const byChat = signal<ReadonlyMap<string, Upload>>(new Map());
const running = new Map<string, XMLHttpRequest>();

/** The upload of each chat, by chat id. */
export const uploads = computed(() => byChat.value);

function put(chatId: string, next: Upload | null) {
  const m = new Map(byChat.peek());
  if (next) m.set(chatId, next);
  else m.delete(chatId);
  byChat.value = m;
}

/** A file chosen with the paperclip or recorded; too large ones are refused here, before any byte is sent. */
export function chooseFile(chatId: string, file: File, voiceMs?: number): void {
  cancelUpload(chatId);
  const tooBig = file.size > MAX_UPLOAD_BYTES;
  put(chatId, {
    chatId,
    file,
    ...(voiceMs !== undefined ? { voiceMs } : {}),
    status: "preview",
    progress: 0,
    ...(tooBig ? { error: t.fileTooBig(MAX_UPLOAD_BYTES) } : {}),
  });
}

export function cancelUpload(chatId: string): void {
  running.get(chatId)?.abort();
  running.delete(chatId);
  put(chatId, null);
}

/**
 * Uploads the chosen file, then hands the stored attachment to `send` (which
 * queues the message). Failures keep the file for "Tentar de novo".
 */
export function startUpload(chatId: string, send: (attachment: Attachment) => void): void {
  const up = byChat.peek().get(chatId);
  const s = session.peek();
  if (!up || !s || up.file.size > MAX_UPLOAD_BYTES || running.has(chatId)) return;
  const xhr = new XMLHttpRequest();
  running.set(chatId, xhr);
  const { error: _e, ...rest } = up;
  put(chatId, { ...rest, status: "uploading", progress: 0 });
  const fail = (error: string) => {
    running.delete(chatId);
    const cur = byChat.peek().get(chatId);
    if (cur) put(chatId, { ...cur, status: "failed", error });
  };
  xhr.open("POST", uploadUrl(s.tenant, chatId));
  xhr.setRequestHeader("Authorization", `Bearer ${s.token}`);
  xhr.setRequestHeader("X-File-Name", encodeURIComponent(up.file.name));
  xhr.setRequestHeader("Content-Type", up.file.type || "application/octet-stream");
  xhr.upload.onprogress = (e) => {
    const cur = byChat.peek().get(chatId);
    if (cur && e.lengthComputable) put(chatId, { ...cur, progress: e.loaded / e.total });
  };
  xhr.onerror = () => fail(t.uploadNetworkError);
  xhr.onload = () => {
    if (xhr.status === 201 || xhr.status === 200) {
      try {
        const { attachment } = JSON.parse(xhr.responseText) as { attachment: Attachment };
        running.delete(chatId);
        put(chatId, null);
        // The room stores a recording as audio; the message's `voice` makes it a voice note.
        send(up.voiceMs !== undefined ? { ...attachment, kind: "voice", durationMs: attachment.durationMs ?? up.voiceMs } : attachment);
        return;
      } catch {
        return fail(t.uploadFailed);
      }
    }
    if (xhr.status === 413) return fail(t.fileTooBig(MAX_UPLOAD_BYTES));
    let why = t.uploadFailed;
    try {
      why = (JSON.parse(xhr.responseText) as { error?: string }).error ?? why;
    } catch {
      /* not JSON: keep the generic reason */
    }
    fail(why);
  };
  xhr.send(up.file);
}

/** Stopping the session abandons every upload in flight and every preview. */
export function startUploads(life: Lifetime): void {
  life.add(() => {
    for (const xhr of running.values()) xhr.abort();
    running.clear();
    byChat.value = new Map();
  });
}
