/**
 * Opens a <dialog> as a modal when the component mounts and gives focus back when
 * it unmounts, so every pop-up behaves the same from the keyboard (Escape is the
 * dialog's own `cancel`): to `returnTo` when the opener names itself (a pop-up
 * whose code loads on demand mounts later than the click, and focus may have
 * moved meanwhile), else to whatever had focus when the pop-up mounted.
 */
import type { RefObject } from "preact";
import { useEffect, useRef } from "preact/hooks";

export function useModal(returnTo?: RefObject<HTMLElement | null>) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const had = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => (returnTo?.current ?? had)?.focus();
  }, []);
  return dialog;
}
