/**
 * The chosen attachment before it is sent (R9): images shown, video and audio
 * playable, a voice note with its player and the trash to discard it, anything
 * else as icon + name + size; an optional "Legenda"; then "Enviar". While the file
 * uploads a progress bar shows and "Cancelar" stops it; a failed upload offers
 * "Tentar de novo". Files over the limit are refused here, before any byte moves.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { formatSize, previewKind } from "../model/files";
import type { Upload } from "../stores/uploads";
import { t } from "../i18n";
import { VoicePlayer } from "./Attachment";
import { FileIcon, SendIcon, TrashIcon } from "./icons";

export function AttachmentPreview({ upload, onSend, onCancel }: { upload: Upload; onSend(caption: string): void; onCancel(): void }) {
  const { file, status } = upload;
  const url = useMemo(() => URL.createObjectURL(file), [file]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  const [caption, setCaption] = useState("");
  const voice = upload.voiceMs !== undefined;
  const kind = previewKind(file.type);
  const blocked = status === "preview" && !!upload.error;
  const busy = status === "uploading";

  return (
    <section class="attach-preview" aria-label={t.filePreview}>
      <div class="attach-body">
        {voice ? (
          <VoicePlayer src={url} durationMs={upload.voiceMs ?? 0} />
        ) : kind === "image" ? (
          <img class="attach-image" src={url} alt={file.name} />
        ) : kind === "video" ? (
          <video class="attach-video" src={url} controls aria-label={file.name} />
        ) : (
          <div class="doc-card">
            <span class="doc-main">
              <FileIcon size={28} />
              <span class="doc-text">
                <span class="doc-name">{file.name}</span>
                <span class="muted small">{formatSize(file.size)}</span>
              </span>
            </span>
            {kind === "audio" && <audio src={url} controls aria-label={file.name} />}
          </div>
        )}
        {!voice && kind !== "document" && kind !== "audio" && (
          <p class="muted small">
            {file.name} · {formatSize(file.size)}
          </p>
        )}
      </div>
      {upload.error && (
        <p class="attach-error" role="alert">
          {upload.error}
        </p>
      )}
      {busy && (
        <div class="attach-progress">
          <progress max={1} value={upload.progress} aria-label={t.uploading} />
          <span class="small">{Math.round(upload.progress * 100)}%</span>
        </div>
      )}
      <form
        class="attach-actions"
        onSubmit={(e) => {
          e.preventDefault();
          if (!blocked && !busy) onSend(caption);
        }}
      >
        {voice ? (
          <button type="button" class="icon-button" aria-label={t.discardAudio} title={t.discardAudio} onClick={onCancel}>
            <TrashIcon />
          </button>
        ) : (
          <input
            class="caption"
            type="text"
            aria-label={t.caption}
            placeholder={t.caption}
            value={caption}
            disabled={busy}
            maxLength={4000}
            onInput={(e) => setCaption(e.currentTarget.value)}
          />
        )}
        {(!voice || busy) && (
          <button type="button" class="button secondary" onClick={onCancel}>
            {t.cancel}
          </button>
        )}
        {status === "failed" ? (
          <button type="submit" class="button">
            {t.tryAgain}
          </button>
        ) : (
          <button type="submit" class="button" disabled={blocked || busy}>
            <SendIcon size={16} /> {t.send}
          </button>
        )}
      </form>
    </section>
  );
}
