/**
 * What is about to be sent (R9, issue 17 item 7): the files chosen with "Anexar",
 * pasted or dropped — one shown large (images shown, video and audio playable),
 * several as a list of small previews — each with its name, size, a remove button
 * and, while it uploads, its own progress bar; or a recorded voice note with its
 * player and the trash to discard it. One optional "Legenda" (sent with the first
 * file), then "Enviar"; "Cancelar" drops them all; a failed file says why and
 * "Tentar de novo" sends what is left. Files over the limit are refused here,
 * before any byte moves.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Upload } from "../stores/uploads";
import { t } from "../i18n";
import { parts } from "./panels-parts";

/** A blob: address for the file while it is shown. */
function useObjectUrl(file: File): string {
  const url = useMemo(() => URL.createObjectURL(file), [file]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return url;
}

function Media({ file, url, large }: { file: File; url: string; large: boolean }) {
  const kind = parts.previewKind(file.type);
  if (kind === "image") return <img class={large ? "attach-image" : "attach-thumb"} src={url} alt={file.name} />;
  if (kind === "video") return <video class={large ? "attach-video" : "attach-thumb"} src={url} controls={large} aria-label={file.name} />;
  return (
    <span class="attach-icon">
      <parts.FileIcon size={large ? 28 : 22} />
    </span>
  );
}

/** A file's progress bar while it uploads, and why it was refused or failed. */
function Status({ upload, label }: { upload: Upload; label: string }) {
  return (
    <>
      {upload.status === "uploading" && (
        <span class="attach-progress">
          <progress max={1} value={upload.progress} aria-label={label} />
          <span class="small">{Math.round(upload.progress * 100)}%</span>
        </span>
      )}
      {upload.error && (
        <p class="attach-error" role="alert">
          {upload.error}
        </p>
      )}
    </>
  );
}

function Item({ upload, large, onRemove }: { upload: Upload; large: boolean; onRemove(): void }) {
  const { file } = upload;
  const kind = parts.previewKind(file.type);
  const url = useObjectUrl(file);
  return (
    <li class={`attach-item${large ? " large" : ""}`}>
      <Media file={file} url={url} large={large} />
      <div class="attach-info">
        <span class="doc-name">{file.name}</span>
        <span class="muted small">{parts.formatSize(file.size)}</span>
        {kind === "audio" && <audio src={url} controls aria-label={file.name} />}
        <Status upload={upload} label={t.uploadingFile(file.name)} />
      </div>
      <button
        type="button"
        class="icon-button small"
        aria-label={t.removeFile(file.name)}
        title={t.removeFile(file.name)}
        onClick={onRemove}
      >
        <parts.CloseIcon size={16} />
      </button>
    </li>
  );
}

export function AttachmentPreview({
  uploads,
  onSend,
  onRemove,
  onCancel,
}: {
  uploads: readonly Upload[];
  /** Resolves true once the caption went out with a file. */
  onSend(caption: string): Promise<boolean>;
  onRemove(id: string): void;
  onCancel(): void;
}) {
  const [caption, setCaption] = useState("");
  const voice = uploads.length === 1 && uploads[0]!.voiceMs !== undefined ? uploads[0]! : null;
  const voiceUrl = useMemo(() => (voice ? URL.createObjectURL(voice.file) : ""), [voice?.file]);
  useEffect(() => () => void (voiceUrl && URL.revokeObjectURL(voiceUrl)), [voiceUrl]);
  const busy = uploads.some((u) => u.status === "uploading");
  const failed = uploads.some((u) => u.status === "failed");
  const sendable = uploads.some((u) => u.status === "failed" || (u.status === "preview" && !u.error));
  const submit = () => {
    if (!busy && sendable) void onSend(caption).then((used) => used && setCaption(""));
  };

  return (
    <section class="attach-preview" aria-label={t.filePreview}>
      {voice ? (
        <div class="attach-body">
          <parts.VoicePlayer src={voiceUrl} durationMs={voice.voiceMs ?? 0} />
          <Status upload={voice} label={t.uploading} />
        </div>
      ) : (
        <ul class={`attach-list${uploads.length > 1 ? " several" : ""}`} aria-label={t.filesToSend(uploads.length)}>
          {uploads.map((u) => (
            <Item key={u.id} upload={u} large={uploads.length === 1} onRemove={() => onRemove(u.id)} />
          ))}
        </ul>
      )}
      <form
        class="attach-actions"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {voice ? (
          <button type="button" class="icon-button" aria-label={t.discardAudio} title={t.discardAudio} onClick={onCancel}>
            <parts.TrashIcon />
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
        {failed && !busy ? (
          <button type="submit" class="button">
            {t.tryAgain}
          </button>
        ) : (
          <button type="submit" class="button" disabled={!sendable || busy}>
            <parts.SendIcon size={16} /> {t.send}
          </button>
        )}
      </form>
    </section>
  );
}
