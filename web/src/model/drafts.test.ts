import { describe, expect, it } from "vitest";
import { TYPED_HERE_WINS_MS, mergeDrafts } from "./drafts";

const at = 1_000_000;

describe("R9 drafts across tabs", () => {
  it("a late draft from another tab does not replace text typed here a moment ago: it is shown and written again", () => {
    // This tab typed and wrote "e3"; another tab's stale "e1" won in the shared map.
    const r = mergeDrafts([["g1", "e1"]], new Map(), new Map([["g1", { text: "e3", at }]]), at + 300, 4000);
    expect(r).toEqual({ shown: new Map([["g1", "e3"]]), rewrite: [["g1", "e3"]] });
  });

  it("a draft sent here (cleared) is not brought back by another tab's late write", () => {
    const r = mergeDrafts([["g1", "e1"]], new Map(), new Map([["g1", { text: "", at }]]), at + 100, 4000);
    expect(r).toEqual({ shown: new Map([["g1", ""]]), rewrite: [["g1", ""]] });
  });

  it("after a few seconds the other tab's newer draft shows; text not yet written always shows; agreeing values need nothing", () => {
    const typed = new Map([["g1", { text: "velho", at }]]);
    expect(mergeDrafts([["g1", "novo"]], new Map(), typed, at + TYPED_HERE_WINS_MS + 1, 4000)).toEqual({
      shown: new Map([["g1", "novo"]]),
      rewrite: [],
    });
    expect(mergeDrafts([["g1", "novo"]], new Map([["g1", "digitando"]]), typed, at + 10, 4000)).toEqual({
      shown: new Map([["g1", "digitando"]]),
      rewrite: [],
    });
    expect(mergeDrafts([["g2", "x"]], new Map(), new Map([["g1", { text: "  ", at }]]), at + 10, 4000)).toEqual({
      shown: new Map([["g2", "x"]]),
      rewrite: [],
    });
  });
});
