/**
 * The frame every pop-up shares: a modal <dialog> (opened on mount, focus given
 * back on unmount, see useModal) whose Escape goes to the caller's onClose
 * instead of closing the element behind Preact's back; and, for the pop-ups that
 * pick and confirm ("Encaminhar", "Novo grupo", "Adicionar membros"), the form
 * with its title, "Cancelar" and one submit button.
 */
import type { ComponentChildren, RefObject } from "preact";
import { t } from "../i18n";
import { useModal } from "./useModal";

export function Modal({
  class: className = "modal",
  role,
  labelledBy,
  onClose,
  returnTo,
  children,
}: {
  class?: string;
  role?: "alertdialog";
  labelledBy: string;
  onClose(): void;
  /** The button that opened the pop-up, which gets focus back when it closes (see useModal). */
  returnTo?: RefObject<HTMLElement | null>;
  children: ComponentChildren;
}) {
  const dialog = useModal(returnTo);
  return (
    <dialog
      ref={dialog}
      class={className}
      role={role}
      aria-labelledby={labelledBy}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {children}
    </dialog>
  );
}

export function FormDialog({
  titleId,
  title,
  onSubmit,
  submitLabel,
  submitDisabled,
  danger,
  noValidate,
  onClose,
  children,
}: {
  titleId: string;
  title: string;
  /** Called after the browser's own submit is stopped (the dialog stays open until onClose). */
  onSubmit(): void;
  submitLabel: ComponentChildren;
  submitDisabled?: boolean;
  danger?: boolean;
  /** The form's own check names the wrong fields instead of the browser's bubbles. */
  noValidate?: boolean;
  onClose(): void;
  children: ComponentChildren;
}) {
  return (
    <Modal labelledBy={titleId} onClose={onClose}>
      <form
        method="dialog"
        noValidate={noValidate}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
        <div class="modal-actions">
          <button type="button" class="button secondary" onClick={onClose}>
            {t.cancel}
          </button>
          <button type="submit" class={danger ? "button danger" : "button"} disabled={submitDisabled}>
            {submitLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
