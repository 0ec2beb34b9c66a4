import { describe, expect, it } from "vitest";
import type { SearchHit } from "../../../protocol/hub";
import { highlightParts, mergeHits, queryTerms, rankByName } from "./smart-search";

const marked = (text: string, q: string) =>
  highlightParts(text, q)
    .map((p) => (p.mark ? `[${p.text}]` : p.text))
    .join("");

describe("smart search, client side", () => {
  it("R12: words are folded (case and accents) and split", () => {
    expect(queryTerms("Relatório  MENSAL")).toEqual(["relatorio", "mensal"]);
  });

  it("R12: names match case- and accent-insensitively, word starts first, every word needed", () => {
    const items = ["Suporte N2", "Marina Conceição", "Conceito Ágil", "Ana Souza"];
    expect(rankByName(items, "conce", (x) => x)).toEqual(["Marina Conceição", "Conceito Ágil"]);
    expect(rankByName(items, "agil", (x) => x)).toEqual(["Conceito Ágil"]);
    // "ouza" is inside a word: still found, but after a word-start match.
    expect(rankByName(["Ana Souza", "Ouzama"], "ouza", (x) => x)).toEqual(["Ouzama", "Ana Souza"]);
    expect(rankByName(items, "ana xyz", (x) => x)).toEqual([]);
    expect(rankByName(items, "an", (x) => x)).toBeNull();
  });

  it("R12: the match is marked in the original text, accents kept", () => {
    expect(marked("O relatório está pronto", "relatorio")).toBe("O [relatório] está pronto");
    expect(marked("RELATÓRIO e relatório", "Relat")).toBe("[RELAT]ÓRIO e [relat]ório");
    expect(marked("mensal relatorio", "relatorio mensal")).toBe("[mensal] [relatorio]");
    expect(marked("nada aqui", "xyz")).toBe("nada aqui");
  });

  it("R12: decomposed accents stay inside the mark", () => {
    const nfd = "Joa\u0303o chegou";
    const parts = highlightParts(nfd, "joao");
    expect(parts[0]).toEqual({ text: "Joa\u0303o", mark: true });
    expect(parts.map((p) => p.text).join("")).toBe(nfd);
  });

  it("R12: pages of message hits: the first replaces, the next appends, a stale one is dropped", () => {
    const hit = (seq: number): SearchHit => ({ chatId: "dm.ana.bruno", seq, senderId: "ana", text: "x", createdAt: seq, score: 2 });
    const first = mergeHits([hit(9)], { offset: 0, hits: [hit(1), hit(2)] })!;
    expect(first.map((h) => h.seq)).toEqual([1, 2]);
    expect(mergeHits(first, { offset: 2, hits: [hit(2), hit(3)] })!.map((h) => h.seq)).toEqual([1, 2, 3]);
    expect(mergeHits(first, { offset: 5, hits: [hit(4)] })).toBeNull();
  });
});
