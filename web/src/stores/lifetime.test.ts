import { describe, expect, it, vi } from "vitest";
import { signal } from "@preact/signals";
import { Lifetime, Listeners } from "./lifetime";

describe("Lifetime", () => {
  it("stop() undoes effects, listeners and timers, newest first, once", () => {
    vi.useFakeTimers();
    const life = new Lifetime();
    const order: string[] = [];
    const s = signal(0);
    const seen: number[] = [];
    life.effect(() => {
      seen.push(s.value);
      return () => order.push("effect cleanup");
    });
    const target = new EventTarget();
    const heard = vi.fn();
    life.on(target, "ping", heard);
    const ticks = vi.fn();
    life.every(10, ticks);
    life.add(() => order.push("last added"));
    /** The signal changes, the event fires, the clock moves on: what the three heard so far. */
    const poke = (value: number, ms: number) => {
      s.value = value;
      target.dispatchEvent(new Event("ping"));
      vi.advanceTimersByTime(ms);
      return { seen: [...seen], heard: heard.mock.calls.length, ticks: ticks.mock.calls.length };
    };

    expect(poke(1, 25)).toEqual({ seen: [0, 1], heard: 1, ticks: 2 });
    order.length = 0; // the effect's own re-run cleaned up once already
    life.stop();
    life.stop();
    expect(order).toEqual(["last added", "effect cleanup"]);
    expect(poke(2, 50)).toEqual({ seen: [0, 1], heard: 1, ticks: 2 });
    expect(life.stopped).toBe(true);
    vi.useRealTimers();
  });

  it("what is added after stop() is undone at once, and one failing undo does not stop the others", () => {
    const life = new Lifetime();
    const undone = vi.fn();
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    life.add(undone);
    life.add(() => {
      throw new Error("boom");
    });
    life.stop();
    expect(undone).toHaveBeenCalledOnce();
    const late = vi.fn();
    life.add(late);
    expect(late).toHaveBeenCalledOnce();
    quiet.mockRestore();
  });
});

describe("Listeners", () => {
  it("add() hands back the way to remove that one listener", () => {
    const list = new Listeners<(n: number) => void>();
    const a = vi.fn();
    const b = vi.fn();
    const stopA = list.add(a);
    list.add(b);
    list.emit(1);
    stopA();
    list.emit(2);
    expect(a.mock.calls).toEqual([[1]]);
    expect(b.mock.calls).toEqual([[1], [2]]);
  });
});
