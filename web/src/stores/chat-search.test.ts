/**
 * Issue 17.8's search in one chat, through its seam (the first screen's stores
 * as the on-demand chunk gets them): what was typed before the search's effects
 * ran is searched, not wiped — on a busy machine the field shows, and is typed
 * in, before they run.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { signal } from "@preact/signals";
import { host } from "./extras-host";
import { chatSearch, chatSearchText, startChatSearch } from "./chat-search";
import type { ChatExtrasHost } from "./chat-extras-host";

const sent: unknown[] = [];
beforeEach(() => {
  vi.useFakeTimers();
  sent.length = 0;
  Object.assign(host, {
    openChatId: signal("g.plantao"),
    searchingChat: signal(true),
    minSearch: 3,
    searchPage: 20,
    sendToHub: (frame: unknown) => void sent.push(frame),
    onHub: () => () => {},
    jumpTo: () => {},
    mergeHits: (old: unknown[], frame: { hits: unknown[] }) => [...old, ...frame.hits],
  } as unknown as Partial<ChatExtrasHost>);
});
afterEach(() => vi.useRealTimers());

describe("issue 17.8: Pesquisar nesta conversa", () => {
  it("text typed before the search started is asked for once typing pauses, and cleared when the search stops", () => {
    chatSearchText.value = "confere";
    const stop = startChatSearch("g.plantao");
    expect(chatSearchText.value).toBe("confere");
    vi.advanceTimersByTime(300);
    expect(sent).toEqual([{ type: "search.query", q: "confere", chatId: "g.plantao", offset: 0, limit: 20 }]);
    expect(chatSearch.value).toMatchObject({ chatId: "g.plantao", q: "confere", loading: true });
    stop();
    expect([chatSearchText.value, chatSearch.value.chatId]).toEqual(["", ""]);
  });

  it("fewer than 3 characters ask nothing", () => {
    const stop = startChatSearch("g.plantao");
    chatSearchText.value = "co";
    vi.advanceTimersByTime(300);
    expect(sent).toEqual([]);
    stop();
  });
});
