/**
 * Opens a <dialog> as a modal when the component mounts and gives focus back to
 * whatever had it when the component unmounts, so every pop-up behaves the same
 * from the keyboard (Escape is the dialog's own `cancel`).
 */
import { useEffect, useRef } from "preact/hooks";

export function useModal() {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const back = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => back?.focus();
  }, []);
  return dialog;
}
