import { describe, expect, it } from "vitest";
import type { SearchHit } from "../../../protocol/hub";
import { closedSearch, position, step, type ChatSearch } from "./chat-search";

const hit = (seq: number): SearchHit => ({ chatId: "g", seq, senderId: "ana", text: `t${seq}`, createdAt: seq, score: 1 });
const withHits = (n: number, hasMore = false): ChatSearch => ({
  ...closedSearch("g"),
  q: "rel",
  hits: [1, 2, 3].slice(0, n).map(hit),
  hasMore,
});

describe("search inside a chat", () => {
  it("issue 17.8: Enter goes to the next result and Shift+Enter to the previous, around the ends", () => {
    let s = withHits(3);
    s = step(s, 1);
    expect(s.current).toBe(0);
    s = step(step(s, 1), 1);
    expect(s.current).toBe(2);
    expect(step(s, 1).current).toBe(0);
    expect(step(withHits(3), -1).current).toBe(2);
    expect(step(withHits(0), 1).current).toBe(-1);
  });

  it('issue 17.8: says where one is: "2 de 3", "3 resultados", "1 resultado"', () => {
    expect(position(withHits(3))).toBe("3 resultados");
    expect(position(step(step(withHits(3), 1), 1))).toBe("2 de 3");
    expect(position(withHits(1))).toBe("1 resultado");
    expect(position(step(withHits(3, true), 1))).toBe("1 de 3+");
    expect(position(withHits(0))).toBe("");
  });
});
