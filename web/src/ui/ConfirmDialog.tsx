/**
 * A small modal question with "Cancelar" and one action ("Sair do grupo",
 * "Remover"); Escape cancels and focus returns to where it was.
 */
import type { ComponentChildren } from "preact";
import { t } from "../i18n";
import { Modal } from "./Modal";

export function ConfirmDialog({
  title,
  children,
  confirm,
  onConfirm,
  onClose,
}: {
  title: string;
  children?: ComponentChildren;
  confirm: string;
  onConfirm(): void;
  onClose(): void;
}) {
  return (
    <Modal class="modal confirm" role="alertdialog" labelledBy="confirm-title" onClose={onClose}>
      <h2 id="confirm-title">{title}</h2>
      {children}
      <div class="modal-actions">
        <button type="button" class="button secondary" onClick={onClose} autoFocus>
          {t.cancel}
        </button>
        <button
          type="button"
          class="button danger"
          onClick={() => {
            onConfirm();
            onClose();
          }}
        >
          {confirm}
        </button>
      </div>
    </Modal>
  );
}
