/**
 * Read marks are durable before the page goes (issue 17, R7), in Debian's
 * Chromium: someone reads a chat and closes the tab at once — or signs out at
 * once — and on signing in again the chat is still read: no red dot, no badge.
 * Repeated, because the defect was seen once and not reproduced on demand.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserSuite, visible } from "./support";
import { bubble, dm, listRow as row, writer } from "./people";

const e2e = browserSuite("read-marks");
const { newContext, newPage, signIn } = e2e;

const badge = (page: Page) => page.getByRole("tab", { name: /Chats/ }).locator(".unread-badge");

/** The list as it first arrives after signing in: the row shows, and whether it (or the badge) says unread. */
async function unreadOnArrival(page: Page, name: string): Promise<number> {
  await visible(row(page, name));
  return (await row(page, name).locator(".unread-dot").count()) + (await badge(page).count());
}

describe("read marks", () => {
  it("issue 17, R7: read, close the tab at once, open it again — still read (five rounds)", async () => {
    const carla = await writer(e2e, "carla");
    const context = await newContext();
    const first = await newPage(context);
    await signIn(first, "joao");
    await first.close();
    for (let round = 1; round <= 5; round++) {
      await carla.text(dm("carla", "joao"), `rodada ${round}: primeira`);
      await carla.text(dm("carla", "joao"), `rodada ${round}: segunda`);
      const page = await newPage(context);
      await page.goto(`${e2e.app.server.base}/?empresa=demo`);
      await visible(row(page, "Carla Dias").getByRole("img", { name: /não lidas?$/ }));
      await row(page, "Carla Dias").click();
      await visible(bubble(page, `rodada ${round}: segunda`));
      await page.close({ runBeforeUnload: true });

      const again = await newPage(context);
      await again.goto(`${e2e.app.server.base}/?empresa=demo`);
      expect([round, await unreadOnArrival(again, "Carla Dias")]).toEqual([round, 0]);
      await again.close();
    }
  });

  it("issue 17, R7: read, sign out at once, sign in again — still read (five rounds)", async () => {
    const ana = await writer(e2e, "ana");
    const page = await newPage();
    await page.goto(`${e2e.app.server.base}/?empresa=demo`);
    for (let round = 1; round <= 5; round++) {
      await ana.text(dm("ana", "rafael"), `volta ${round}`);
      await signIn(page, "rafael", { at: null });
      await visible(row(page, "Ana Souza").getByRole("img", { name: /não lidas?$/ }));
      await row(page, "Ana Souza").click();
      await visible(bubble(page, `volta ${round}`));
      await page.getByRole("button", { name: "Sair" }).click();
      await visible(page.getByLabel("Login", { exact: true }));
      await signIn(page, "rafael", { at: null });
      expect([round, await unreadOnArrival(page, "Ana Souza")]).toEqual([round, 0]);
      await page.getByRole("button", { name: "Sair" }).click();
      await visible(page.getByLabel("Login", { exact: true }));
    }
  });
});
