/**
 * Work that follows changes, run at most once an interval (issue 15): the first
 * ask after a quiet spell runs at once; asks within the interval fold into one
 * run at its end; asks while a run is in flight fold into the next. A busy chat
 * so tells the members' lists, the search index and the delivery marks a few
 * times a second, not once per message, and an idle one tells them at once.
 *
 * `flush()` runs what waits now (after the run in flight) and resolves when a
 * run that began after it is done: a delete waits for the index this way before
 * anyone sees the message gone. A timer does not survive an eviction, so the work must be
 * recoverable from storage (each caller says how).
 */
import type { RoomHost } from "./host";

export type Paced = {
  /** Something changed: run the work now if the last run is an interval old, else at the interval's end. */
  ask(): void;
  /** Runs what waits without waiting for the interval; resolves once a run that began after this call is done. */
  flush(): Promise<void>;
};

/** One timer at a time that the runtime waits for (`waitUntil`), so a room is not put away with it pending. */
export type HeldTimer = {
  readonly pending: boolean;
  /** Runs `fn` in `ms`, unless a timer is already pending (then nothing changes). */
  set(fn: () => void, ms: number): void;
  /** Drops the pending timer, if any, and releases the runtime's wait on it. */
  clear(): void;
};

export function heldTimer(host: Pick<RoomHost, "waitUntil">): HeldTimer {
  let timer: { handle: ReturnType<typeof setTimeout>; fired: () => void } | null = null;
  const clear = () => {
    if (!timer) return;
    clearTimeout(timer.handle);
    timer.fired();
    timer = null;
  };
  return {
    get pending() {
      return timer !== null;
    },
    set(fn, ms) {
      if (timer) return;
      host.waitUntil(
        new Promise<void>((fired) => {
          timer = {
            handle: setTimeout(() => {
              clear();
              fn();
            }, ms),
            fired,
          };
        }),
      );
    },
    clear,
  };
}

export function paced(host: Pick<RoomHost, "now" | "waitUntil">, everyMs: number, work: () => Promise<void> | void): Paced {
  let asked = false;
  let urgent = false;
  let last = -Infinity;
  let running: Promise<void> | null = null;
  const timer = heldTimer(host);

  function start(): void {
    timer.clear();
    asked = urgent = false;
    last = host.now();
    const run = (async () => {
      try {
        await work();
      } finally {
        running = null;
        if (urgent) start();
        else if (asked) ask();
      }
    })();
    running = run;
    host.waitUntil(run);
  }

  function ask(): void {
    asked = true;
    if (running || timer.pending) return;
    const wait = last + everyMs - host.now();
    if (wait <= 0) return start();
    timer.set(start, wait);
  }

  return {
    ask,
    async flush(): Promise<void> {
      asked = urgent = true;
      if (!running) start();
      while (running) await running.catch(() => {});
    },
  };
}

/**
 * Lets the other events of the process run (another room's socket frame, on a
 * runtime where rooms share a thread) before the rest of a long piece of work:
 * background work done in slices never holds a send back for more than a slice.
 */
export const breathe = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
