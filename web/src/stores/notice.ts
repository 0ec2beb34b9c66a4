/**
 * A short message for people that goes away by itself ("Mensagem encaminhada",
 * "Muitas ações em pouco tempo…"), shown as the chat pane's toast.
 */
import { signal } from "@preact/signals";
import type { Lifetime } from "./lifetime";

export const notice = signal<string | null>(null);
let timer: ReturnType<typeof setTimeout> | undefined;

export function showNotice(text: string): void {
  notice.value = text;
  clearTimeout(timer);
  timer = setTimeout(() => (notice.value = null), 4_000);
}

export function startNotice(life: Lifetime): void {
  life.add(() => {
    clearTimeout(timer);
    notice.value = null;
  });
}
