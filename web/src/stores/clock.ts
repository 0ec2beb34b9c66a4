/**
 * "Now", as a signal that ticks every half minute while the app runs, so "Hoje"
 * becomes "Ontem" at midnight without a reload.
 */
import { signal } from "@preact/signals";
import type { Lifetime } from "./lifetime";

export const now = signal(Date.now());

export function startClock(life: Lifetime): void {
  now.value = Date.now();
  life.every(30_000, () => (now.value = Date.now()));
}
