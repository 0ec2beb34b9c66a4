/**
 * The composer (R9, R10): a text box named "Mensagem" and "Enviar", with
 * "Emojis" (inserted at the cursor), "Anexar arquivo" (any format, several at
 * once, previewed before sending; a picture pasted with Ctrl+V too) and "Gravar áudio". Enter sends, Shift+Enter adds a line. A
 * reply being written shows its quote with a way to cancel it. The 4,000-character
 * limit shows as a counter once it is near, and sending stops above it.
 * Issue 17: "Editar" writes the edit here ("Editando mensagem" above the box,
 * Escape or the cross cancels, Enter saves); in groups "@" opens the member list
 * (MentionPicker).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { MAX_TEXT, type ReplyQuote } from "../../../protocol/chat";
import type { Upload } from "../stores/uploads";
import { t } from "../i18n";
import { onDemand } from "./panels-door";
import { EmojiButton } from "./EmojiButton";
import { CloseIcon, PaperclipIcon, SendIcon } from "./icons";
import { IconButton } from "./IconButton";
import { fromExtras } from "./extras-door";
import { VoiceRecorder } from "./VoiceRecorder";

const SHOW_COUNT_FROM = MAX_TEXT - 500;
const MentionPicker = fromExtras((m) => m.MentionPicker);
const EditBar = fromExtras((m) => m.EditBar);

/** The files of a paste; a pasted picture has a generic name ("image.png"), so it gets a dated one. */
export function pastedFiles(data: DataTransfer | null): File[] {
  const files = [...(data?.files ?? [])];
  const stamp = new Date().toISOString().slice(0, 19).replace(/[T:]/g, "-");
  return files.map((f, i) =>
    /^image\.\w+$/.test(f.name) || !f.name
      ? new File([f], `${t.pastedImage}-${stamp}${files.length > 1 ? `-${i + 1}` : ""}.${f.type.split("/")[1] ?? "png"}`, { type: f.type })
      : f,
  );
}

const AttachmentPreview = onDemand((m) => m.AttachmentPreview);

export function Composer({
  chatId,
  value,
  onInput,
  onSend,
  reply,
  replyName,
  onCancelReply,
  uploads,
  onAddFiles,
  onVoiceNote,
  onSendUploads,
  onRemoveUpload,
  onCancelUploads,
  editing = null,
  onCancelEdit,
  inGroup = false,
}: {
  chatId: string;
  value: string;
  onInput(text: string): void;
  onSend(text: string): boolean;
  reply: ReplyQuote | null;
  replyName: string;
  onCancelReply(): void;
  uploads: readonly Upload[];
  onAddFiles(files: File[]): void;
  onVoiceNote(file: File, durationMs: number): void;
  onSendUploads(caption: string): Promise<boolean>;
  onRemoveUpload(id: string): void;
  onCancelUploads(): void;
  /** Issue 17.4: the message being edited (its seq and text as sent); the box holds the new text. */
  editing?: { seq: number; original: string } | null;
  onCancelEdit?(): void;
  /** Issue 17.6: a group's composer, where "@" lists the members to mention. */
  inGroup?: boolean;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const [micError, setMicError] = useState<string | null>(null);
  const tooLong = value.length > MAX_TEXT;
  const empty = value.trim().length === 0;

  // Focus goes to the composer whenever a chat opens, a reply or an edit starts (the caret at the end).
  useEffect(() => {
    const el = area.current;
    el?.focus();
    if (el && editing) el.setSelectionRange(el.value.length, el.value.length);
  }, [chatId, reply?.seq, editing?.seq]);

  // Grow with the text up to a few lines, then scroll inside.
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
  }, [value]);

  function submit() {
    if (empty || tooLong) return;
    if (onSend(value)) area.current?.focus();
  }

  function insertEmoji(emoji: string) {
    const el = area.current;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    onInput(value.slice(0, start) + emoji + value.slice(end));
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(start + emoji.length, start + emoji.length);
    });
  }

  return (
    <div class="composer-wrap">
      {editing && <EditBar original={editing.original} onCancel={() => onCancelEdit?.()} />}
      {reply && !editing && (
        <div class="reply-bar">
          <div class="quote static">
            <strong>
              {t.replyingTo} {replyName}
            </strong>
            <span>{reply.snippet}</span>
          </div>
          <IconButton class="small" label={t.cancelReply} onClick={onCancelReply}>
            <CloseIcon size={16} />
          </IconButton>
        </div>
      )}
      {inGroup && <MentionPicker area={area} value={value} onInput={onInput} />}
      {uploads.length > 0 && !editing && (
        <AttachmentPreview uploads={uploads} onSend={onSendUploads} onRemove={onRemoveUpload} onCancel={onCancelUploads} />
      )}
      {micError && (
        <p class="attach-error" role="alert">
          {micError}
        </p>
      )}
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <EmojiButton onPick={insertEmoji} />
        {!editing && (
          <IconButton label={t.attachFile} onClick={() => picker.current?.click()}>
            <PaperclipIcon />
          </IconButton>
        )}
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = "";
            onAddFiles(files);
          }}
        />
        <div class="composer-box">
          <textarea
            ref={area}
            rows={1}
            aria-label={t.message}
            placeholder={t.message}
            value={value}
            aria-invalid={tooLong || undefined}
            aria-describedby={value.length >= SHOW_COUNT_FROM ? "composer-count" : undefined}
            onInput={(e) => onInput(e.currentTarget.value)}
            onPaste={(e) => {
              // Ctrl+V of a picture (a screenshot) or of copied files: the same preview as "Anexar"; text pastes as text.
              const files = pastedFiles(e.clipboardData);
              if (files.length === 0) return;
              e.preventDefault();
              onAddFiles(files);
            }}
            onKeyDown={(e) => {
              if (e.isComposing) return;
              if (e.key === "Escape" && editing) {
                e.preventDefault();
                onCancelEdit?.();
                return;
              }
              if (e.key === "Enter" && !e.shiftKey) {
                e.preventDefault();
                submit();
              }
            }}
          />
          {value.length >= SHOW_COUNT_FROM && (
            <span id="composer-count" class={`count${tooLong ? " over" : ""}`}>
              {tooLong ? `${t.tooLong(MAX_TEXT)} ` : ""}
              {t.charCount(value.length, MAX_TEXT)}
            </span>
          )}
        </div>
        {!editing && (
          <VoiceRecorder
            onRecorded={(file, ms) => {
              setMicError(null);
              onVoiceNote(file, ms);
            }}
            onError={setMicError}
          />
        )}
        <button
          type="submit"
          class="send"
          aria-label={editing ? t.save : t.send}
          title={editing ? t.save : t.send}
          disabled={empty || tooLong}
        >
          <SendIcon size={20} />
        </button>
      </form>
    </div>
  );
}
