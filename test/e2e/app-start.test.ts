/**
 * The client starts explicitly (issue 14, item 7): signing in runs one
 * `startApp(session)`, and "Sair" runs its `stop()`. In Debian's Chromium: after
 * "Sair" every socket the session opened is closed and the page holds no more
 * window or document listeners than the sign-in screen did; the next person to
 * sign in on the same page starts clean — the "Chats" tab, an empty search, no
 * chat open, only their own rooms — and this holds through a second round.
 */
import { describe, expect, it } from "vitest";
import type { CDPSession, Page, WebSocket } from "playwright-core";
import { browserSuite, visible } from "./support";

const e2e = browserSuite("app-start");
const { newPage, signIn } = e2e;

/** The sockets the page has open now (partysocket's rooms, the drafts doc, the softphone). */
function trackSockets(page: Page) {
  const open = new Set<WebSocket>();
  page.on("websocket", (ws) => {
    open.add(ws);
    ws.on("close", () => open.delete(ws));
  });
  return { urls: () => [...open].map((ws) => ws.url()) };
}

/** How many listeners the page has on `window` and on `document`, through the DevTools protocol. */
async function listenerCount(cdp: CDPSession): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const what of ["window", "document"]) {
    const { result } = await cdp.send("Runtime.evaluate", { expression: what });
    const { listeners } = await cdp.send("DOMDebugger.getEventListeners", { objectId: result.objectId! });
    for (const l of listeners) counts[`${what}:${l.type}`] = (counts[`${what}:${l.type}`] ?? 0) + 1;
    await cdp.send("Runtime.releaseObject", { objectId: result.objectId! });
  }
  return counts;
}

describe("startApp / stop", () => {
  it("issue 14: 'Sair' closes every socket and listener of the session; the next sign-in on the page starts clean", async () => {
    const page = await newPage();
    const sockets = trackSockets(page);
    await page.goto(`${e2e.app.server.base}/?empresa=demo`);
    await visible(page.getByLabel("Login", { exact: true }));
    const cdp = await page.context().newCDPSession(page);
    const atSignIn = await listenerCount(cdp);

    for (const [who, other, otherName] of [
      ["ana", "bruno", "Bruno Lima"],
      ["carla", "joao", "João Pereira"],
    ] as const) {
      await signIn(page, who, { at: null });
      await expect.poll(() => sockets.urls().some((u) => u.includes(`/parties/drafts/demo.${who}`))).toBe(true);
      // Leave state behind: a chat open with its panel, a search typed, the calls tab.
      await page.getByLabel("Pesquisar", { exact: true }).fill(other.slice(0, 3));
      await page
        .getByRole("button", { name: new RegExp(otherName) })
        .first()
        .click();
      await visible(page.getByRole("heading", { name: otherName }));
      await page.getByRole("button", { name: "Dados do contato" }).click();
      await page.getByLabel("Pesquisar", { exact: true }).fill("xyz");
      await page.getByRole("tab", { name: /Chamadas/ }).click();
      await visible(page.getByRole("button", { name: /^Ligar para/ }).first(), 20_000);

      await page.getByRole("button", { name: "Sair" }).click();
      await visible(page.getByLabel("Login", { exact: true }));
      // Everything the session opened is closed, and no listener is left over.
      await expect.poll(sockets.urls, { timeout: 10_000 }).toEqual([]);
      expect(await listenerCount(cdp)).toEqual(atSignIn);
      expect(new URL(page.url()).pathname).toBe("/");
    }

    // The next person starts from a clean shell: "Chats", nothing typed, no chat, only their rooms.
    await signIn(page, "bruno", { at: null });
    await expect(page.getByRole("tab", { name: /Chats/ }).getAttribute("aria-selected")).resolves.toBe("true");
    await expect(page.getByLabel("Pesquisar", { exact: true }).inputValue()).resolves.toBe("");
    await visible(page.getByText("Escolha uma conversa ou pesquise um contato."));
    await expect.poll(() => sockets.urls().some((u) => u.includes("/parties/drafts/demo.bruno"))).toBe(true);
    expect(sockets.urls().filter((u) => /demo\.(ana|carla)\b/.test(u))).toEqual([]);
  });
});
