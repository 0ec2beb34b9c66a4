/**
 * "Now", as a signal that ticks every half minute, so "Hoje" becomes "Ontem" at
 * midnight without a reload.
 */
import { signal } from "@preact/signals";

export const now = signal(Date.now());
setInterval(() => (now.value = Date.now()), 30_000);
