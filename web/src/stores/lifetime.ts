/**
 * What one running part of the client holds — signal effects, sockets, window
 * listeners, timers — so that one `stop()` undoes all of it, newest first. The
 * stores' `start…(life)` functions register everything here instead of at import
 * time; start.ts makes one per signed-in session, so "Sair" and the next sign-in
 * start clean, and a test or an embedding page can stop the app for good.
 */
import { effect } from "@preact/signals";

export type Stop = () => void;

export class Lifetime {
  private stops: Stop[] = [];
  private ended = false;

  get stopped(): boolean {
    return this.ended;
  }

  /** Runs `stop` when this lifetime ends (at once if it already has). */
  add(stop: Stop): void {
    if (this.ended) stop();
    else this.stops.push(stop);
  }

  /** A signal effect that lives as long as this lifetime. */
  effect(fn: () => void | (() => void)): void {
    this.add(effect(fn));
  }

  /** An event listener removed when this lifetime ends. */
  on<K extends keyof WindowEventMap>(target: Window, type: K, fn: (e: WindowEventMap[K]) => void, options?: AddEventListenerOptions): void;
  on<K extends keyof DocumentEventMap>(
    target: Document,
    type: K,
    fn: (e: DocumentEventMap[K]) => void,
    options?: AddEventListenerOptions,
  ): void;
  on(target: EventTarget, type: string, fn: (e: Event) => void, options?: AddEventListenerOptions): void;
  on(target: EventTarget, type: string, fn: (e: never) => void, options?: AddEventListenerOptions): void {
    const listener = fn as unknown as EventListener;
    target.addEventListener(type, listener, options);
    this.add(() => target.removeEventListener(type, listener, options));
  }

  /** A repeating timer cleared when this lifetime ends. */
  every(ms: number, fn: () => void): void {
    const id = setInterval(fn, ms);
    this.add(() => clearInterval(id));
  }

  /** A one-off timer, cancelled if this lifetime ends first. */
  after(ms: number, fn: () => void): void {
    const id = setTimeout(fn, ms);
    this.add(() => clearTimeout(id));
  }

  /** Undoes everything, newest first; one failing undo does not keep the others from running. */
  stop(): void {
    if (this.ended) return;
    this.ended = true;
    for (let stop = this.stops.pop(); stop; stop = this.stops.pop()) {
      try {
        stop();
      } catch (err) {
        console.error("stop", err);
      }
    }
  }
}

/** A list of listeners whose `add` hands back the way to remove the one added. */
export class Listeners<F extends (...args: never[]) => void> {
  private list: F[] = [];

  add(listener: F): Stop {
    this.list.push(listener);
    return () => {
      const at = this.list.indexOf(listener);
      if (at !== -1) this.list.splice(at, 1);
    };
  }

  emit(...args: Parameters<F>): void {
    for (const listener of [...this.list]) listener(...args);
  }
}
