/** The socket seam's wire helpers: who takes frames together, and how frames are joined (issue 15). */
import { describe, expect, it } from "vitest";
import { FRAMES_MAX_CHARS, joinFrames, takesFrames } from "./adapter";

const upgrade = (protocols: string) => new Request("https://x/parties/chat/r", { headers: { "sec-websocket-protocol": protocols } });

describe("frames sent together", () => {
  it("only a client that offers conversas.frames takes them", () => {
    expect(takesFrames(upgrade("conversas, conversas.frames, bearer.abc"))).toBe(true);
    expect(takesFrames(upgrade("conversas, bearer.abc"))).toBe(false);
    expect(takesFrames(upgrade("conversas, conversas.framesx"))).toBe(false);
    expect(takesFrames(new Request("https://x/"))).toBe(false);
  });

  it("joins frames in order into one, a lone frame stays as it is, and a long run is cut below the size limit", () => {
    const f = (i: number, pad = 0) => JSON.stringify({ type: "message.new", message: { seq: i, text: "x".repeat(pad) } });
    expect(joinFrames([])).toEqual([]);
    expect(joinFrames([f(1)])).toEqual([f(1)]);
    const two = joinFrames([f(1), f(2)]);
    expect(two).toHaveLength(1);
    expect(JSON.parse(two[0]!)).toEqual({ type: "frames", frames: [JSON.parse(f(1)), JSON.parse(f(2))] });
    const big = Array.from({ length: 10 }, (_, i) => f(i, FRAMES_MAX_CHARS / 4));
    const joined = joinFrames(big);
    expect(joined.length).toBeGreaterThan(1);
    for (const d of joined) expect(d.length).toBeLessThanOrEqual(FRAMES_MAX_CHARS + 200);
    const seqs = joined.flatMap((d) => {
      const x = JSON.parse(d);
      return x.type === "frames" ? x.frames.map((m: { message: { seq: number } }) => m.message.seq) : [x.message.seq];
    });
    expect(seqs).toEqual(big.map((_, i) => i));
  });
});
