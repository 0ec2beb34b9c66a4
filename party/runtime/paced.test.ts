import { describe, expect, it } from "vitest";
import { paced } from "./paced";

/** A host whose clock is real and whose background work is kept, so a test can wait for all of it. */
function host() {
  const pending = new Set<Promise<unknown>>();
  return {
    now: () => Date.now(),
    waitUntil(p: Promise<unknown>) {
      const kept = p.catch(() => {}).finally(() => pending.delete(kept));
      pending.add(kept);
    },
    async idle() {
      while (pending.size) await Promise.all([...pending]);
    },
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("paced work (issue 15)", () => {
  it("runs the first ask at once, folds a burst into one run at the interval's end, and is idle after", async () => {
    const h = host();
    const runs: number[] = [];
    const t0 = Date.now();
    const p = paced(h, 60, () => void runs.push(Date.now() - t0));
    for (let i = 0; i < 50; i++) p.ask();
    expect(runs).toHaveLength(1);
    await h.idle();
    expect(runs).toHaveLength(2);
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(55);
    await sleep(80); // a quiet spell: the next ask goes at once again
    p.ask();
    expect(runs).toHaveLength(3);
  });

  it("an ask during a run folds into one more run; a failing run does not stop later ones", async () => {
    const h = host();
    let runs = 0;
    let release!: () => void;
    const p = paced(h, 20, async () => {
      runs += 1;
      if (runs === 1) await new Promise<void>((r) => (release = r));
      if (runs === 2) throw new Error("falhou");
    });
    p.ask();
    p.ask();
    p.ask();
    release();
    await h.idle();
    expect(runs).toBe(2);
    await sleep(30);
    p.ask();
    await h.idle();
    expect(runs).toBe(3);
  });

  it("flush runs what waits without waiting for the interval and resolves once nothing runs", async () => {
    const h = host();
    let runs = 0;
    const p = paced(h, 10_000, () => void (runs += 1));
    p.ask();
    p.ask(); // would wait 10 s
    const t0 = Date.now();
    await p.flush();
    expect(runs).toBe(2);
    expect(Date.now() - t0).toBeLessThan(1_000);
    await h.idle(); // the cancelled timer left nothing pending
  });
});
