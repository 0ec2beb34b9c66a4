/**
 * Attachments on their way out (R9, issue 17 item 7): the files chosen in a chat —
 * with "Anexar", pasted (Ctrl+V) or dropped, several at once — each previewed with
 * its own remove button, or one recorded voice note; then one "Enviar" uploads
 * them side by side through the chat room over XMLHttpRequest (a progress bar per
 * file) and sends one message per file, in the order shown, the caption with the
 * first. Only once the room has stored a file does its message go out, through
 * the outbox like any other (so a dropped socket resends it without uploading
 * again). A failed file stays with "Tentar de novo"; the others go on. Kept in
 * memory, per chat. Pictures and videos are measured first, and their size goes
 * with the upload (X-Media-Width / X-Media-Height) so every chat reserves their
 * place; the access token goes in `Authorization`, renewed and tried once more
 * if the room refused it.
 */
import { computed, signal } from "@preact/signals";
import type { Attachment } from "../../../protocol/chat";
import { MAX_UPLOAD_BYTES, uploadUrl } from "../model/files";
import { t } from "../i18n";
import type { Lifetime } from "./lifetime";
import { measureMedia, mediaHeaders, type MediaSize } from "./media-size";
import { freshSession, renewSession, session, type Session } from "./session";

export type Upload = {
  /** This file's id in the batch (not the server's fileId). */
  id: string;
  chatId: string;
  file: File;
  /** Voice notes carry their recorded length. */
  voiceMs?: number;
  status: "preview" | "uploading" | "failed";
  /** 0..1 while uploading. */
  progress: number;
  error?: string;
};

/** Files uploaded at once; the rest wait their turn. */
const PARALLEL = 3;

const byChat = signal<ReadonlyMap<string, readonly Upload[]>>(new Map());
const running = new Map<string, XMLHttpRequest>();
let counter = 0;

/** The files of each chat waiting to be sent, by chat id, in the order they will go. */
export const uploads = computed(() => byChat.value);

function list(chatId: string): readonly Upload[] {
  return byChat.peek().get(chatId) ?? [];
}

function put(chatId: string, next: readonly Upload[]) {
  const m = new Map(byChat.peek());
  if (next.length > 0) m.set(chatId, next);
  else m.delete(chatId);
  byChat.value = m;
}

function patch(chatId: string, id: string, change: Partial<Upload>) {
  put(
    chatId,
    list(chatId).map((u) => (u.id === id ? { ...u, ...change } : u)),
  );
}

function fresh(chatId: string, file: File, voiceMs?: number): Upload {
  return {
    id: `up${++counter}`,
    chatId,
    file,
    ...(voiceMs !== undefined ? { voiceMs } : {}),
    status: "preview",
    progress: 0,
    // Too large: refused here, before any byte is sent.
    ...(file.size > MAX_UPLOAD_BYTES ? { error: t.fileTooBig(MAX_UPLOAD_BYTES) } : {}),
  };
}

/** Files chosen with "Anexar", pasted or dropped: added to what the chat is about to send (a voice note there gives way). */
export function addFiles(chatId: string, files: readonly File[]): void {
  if (files.length === 0) return;
  const kept = list(chatId).filter((u) => u.voiceMs === undefined);
  put(chatId, [...kept, ...files.map((f) => fresh(chatId, f))]);
}

/** A recorded voice note: sent alone, so it replaces whatever was waiting. */
export function addVoiceNote(chatId: string, file: File, voiceMs: number): void {
  cancelUploads(chatId);
  put(chatId, [fresh(chatId, file, voiceMs)]);
}

/** One file out of the batch (its upload stopped if it was under way). */
export function removeUpload(chatId: string, id: string): void {
  running.get(id)?.abort();
  running.delete(id);
  put(
    chatId,
    list(chatId).filter((u) => u.id !== id),
  );
}

/** Everything the chat was about to send, dropped. */
export function cancelUploads(chatId: string): void {
  for (const u of list(chatId)) {
    running.get(u.id)?.abort();
    running.delete(u.id);
  }
  put(chatId, []);
}

type Outcome = { ok: true; attachment: Attachment } | { ok: false };

/** Uploads one file; its progress and failure show on it. A refused token is renewed and the upload tried once more. */
async function upload(u: Upload): Promise<Outcome> {
  patch(u.chatId, u.id, { status: "uploading", progress: 0, error: undefined });
  const size = await measureMedia(u.file);
  const s = await freshSession();
  if (!s) return { ok: false };
  const first = await send(u, s, size);
  if (first !== "unauthorized") return first;
  const renewed = await renewSession();
  if (!renewed || renewed.token === s.token) {
    patch(u.chatId, u.id, { status: "failed", error: t.sessionEnded });
    return { ok: false };
  }
  const second = await send(u, renewed, size);
  return second === "unauthorized" ? { ok: false } : second;
}

function send(u: Upload, s: Session, size: MediaSize | null): Promise<Outcome | "unauthorized"> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    running.set(u.id, xhr);
    const fail = (error: string) => {
      running.delete(u.id);
      patch(u.chatId, u.id, { status: "failed", error });
      resolve({ ok: false });
    };
    xhr.open("POST", uploadUrl(s.tenant, u.chatId));
    xhr.setRequestHeader("Authorization", `Bearer ${s.token}`);
    xhr.setRequestHeader("X-File-Name", encodeURIComponent(u.file.name));
    xhr.setRequestHeader("Content-Type", u.file.type || "application/octet-stream");
    for (const [name, value] of Object.entries(mediaHeaders(size))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && running.get(u.id) === xhr) patch(u.chatId, u.id, { progress: e.loaded / e.total });
    };
    xhr.onabort = () => resolve({ ok: false });
    xhr.onerror = () => fail(t.uploadNetworkError);
    xhr.onload = () => {
      if (xhr.status === 201 || xhr.status === 200) {
        try {
          const { attachment } = JSON.parse(xhr.responseText) as { attachment: Attachment };
          running.delete(u.id);
          // The room stores a recording as audio; the message's `voice` makes it a voice note.
          const voice = u.voiceMs !== undefined ? { kind: "voice" as const, durationMs: attachment.durationMs ?? u.voiceMs } : {};
          return resolve({ ok: true, attachment: { ...attachment, ...voice } });
        } catch {
          return fail(t.uploadFailed);
        }
      }
      if (xhr.status === 401) {
        running.delete(u.id);
        return resolve("unauthorized");
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
    xhr.send(u.file);
  });
}

/**
 * "Enviar": uploads every file waiting (or failed) in the chat, up to three at a
 * time, and hands each stored attachment to `send` in the batch's order — the
 * caption with the first one that goes. A file that fails stays in the preview
 * with its reason; the ones after it are not held back. True once the caption went.
 */
export async function sendUploads(
  chatId: string,
  caption: string,
  send: (attachment: Attachment, caption: string) => void,
): Promise<boolean> {
  const batch = list(chatId).filter((u) => u.status !== "uploading" && !(u.status === "preview" && u.error));
  if (batch.length === 0 || !session.peek()) return false;
  const started: Promise<Outcome>[] = [];
  const slots: Promise<unknown>[] = [];
  for (const u of batch) {
    // At most PARALLEL at once: each file starts when an earlier one of the batch has finished.
    const ready = slots.length >= PARALLEL ? slots[slots.length - PARALLEL]! : Promise.resolve();
    const done = ready.then(() => (list(chatId).some((x) => x.id === u.id) ? upload(u) : ({ ok: false } as Outcome)));
    started.push(done);
    slots.push(done);
  }
  let text = caption;
  for (const [i, done] of started.entries()) {
    const outcome = await done;
    if (!outcome.ok) continue;
    put(
      chatId,
      list(chatId).filter((x) => x.id !== batch[i]!.id),
    );
    send(outcome.attachment, text);
    text = "";
  }
  return caption !== "" && text === "";
}

/** Stopping the session abandons every upload in flight and every preview. */
export function startUploads(life: Lifetime): void {
  life.add(() => {
    for (const xhr of running.values()) xhr.abort();
    running.clear();
    byChat.value = new Map();
  });
}
