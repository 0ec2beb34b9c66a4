/**
 * Issue 17.4 (on demand): above the composer while an edit is written —
 * "Editando mensagem" with the text as sent, and "Cancelar edição".
 */
import { tx } from "../i18n-chat-extras";
import { CloseIcon } from "./icon-frame";

export default function EditBar({ original, onCancel }: { original: string; onCancel(): void }) {
  return (
    <div class="reply-bar edit-bar">
      <div class="quote static">
        <strong>{tx.editing}</strong>
        <span>{original}</span>
      </div>
      <button type="button" class="icon-button small" aria-label={tx.cancelEdit} title={tx.cancelEdit} onClick={onCancel}>
        <CloseIcon size={16} />
      </button>
    </div>
  );
}
