/**
 * The shell around the chats in Debian's Chromium (issue 17's defects): focus in
 * "Pesquisar" after sign-in; the smart search lists "Contatos" first and the
 * arrows follow what is shown; "Chats"/"Chamadas" are a tablist the arrows move
 * through; a day later, read and unread chats of the same day both say "Ontem",
 * and the red dot sits whole inside the sidebar; a group named with a trailing
 * emoji gets a sane initial; while the browser's own connection is down, nobody
 * is shown "on-line".
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserSuite, gone, visible } from "./support";
import { bubble, dm, openChatWith, writer } from "./people";

const e2e = browserSuite("shell", { viewport: { width: 1024, height: 700 } });
const { newContext, newPage, signIn, signedIn } = e2e;

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.getAttribute("aria-label") ?? el?.textContent?.trim() ?? null;
  });
const rows = (page: Page) => page.getByRole("list", { name: "Conversas" });

describe("the shell", () => {
  it("issue 17: after sign-in 'Pesquisar' has the keyboard; 'Contatos' come first and ↓ Enter opens the contact shown first", async () => {
    const bruno = await writer(e2e, "bruno");
    await bruno.text(dm("ana", "bruno"), "a reunião de março ficou para sexta");
    const ana = await signedIn("ana");
    await expect.poll(() => focused(ana)).toBe("Pesquisar");

    await ana.keyboard.type("mar");
    const results = ana.getByRole("group", { name: "Resultados da pesquisa" });
    await visible(results.getByRole("region", { name: "Mensagens" }).getByText("ficou para sexta"));
    const titles = await results.locator("h2").allTextContents();
    expect(titles).toEqual(["Contatos", "Conversas", "Mensagens"]);
    // The arrows walk the results in the order shown: Marina (Contatos) first, then the message.
    await ana.keyboard.press("ArrowDown");
    await expect.poll(() => focused(ana)).toMatch(/^Marina Conceição/);
    await ana.keyboard.press("ArrowDown");
    await expect.poll(() => focused(ana)).toMatch(/Bruno Lima.*ficou para sexta/);
    await ana.keyboard.press("ArrowUp");
    await ana.keyboard.press("Enter");
    await visible(ana.getByRole("heading", { name: "Marina Conceição", level: 2 }));
  });

  it("issue 17: 'Chats' and 'Chamadas' follow the tablist pattern: one Tab stop, ←/→/Home/End move and select", async () => {
    const carla = await signedIn("carla");
    const chats = carla.getByRole("tab", { name: /Chats/ });
    const calls = carla.getByRole("tab", { name: /Chamadas/ });
    expect(await chats.getAttribute("tabindex")).toBe("0");
    expect(await calls.getAttribute("tabindex")).toBe("-1");
    const panel = carla.getByRole("tabpanel");
    expect(await panel.getAttribute("aria-labelledby")).toBe(await chats.getAttribute("id"));
    expect(await chats.getAttribute("aria-controls")).toBe(await panel.getAttribute("id"));

    await chats.focus();
    await carla.keyboard.press("ArrowRight");
    await expect.poll(() => calls.getAttribute("aria-selected")).toBe("true");
    await expect.poll(() => calls.evaluate((el) => el === document.activeElement)).toBe(true);
    await visible(carla.getByRole("button", { name: "Discador" }));
    expect(await panel.getAttribute("aria-labelledby")).toBe(await calls.getAttribute("id"));
    await carla.keyboard.press("ArrowRight");
    await expect.poll(() => chats.getAttribute("aria-selected")).toBe("true");
    await carla.keyboard.press("End");
    await expect.poll(() => calls.getAttribute("aria-selected")).toBe("true");
    await carla.keyboard.press("Home");
    await expect.poll(() => chats.getAttribute("aria-selected")).toBe("true");
    await visible(carla.getByLabel("Pesquisar", { exact: true }));
  });

  it("issue 17: with the clock a day later, read and unread chats of the same day both say 'Ontem'; the red dot sits whole in the sidebar", async () => {
    const joao = await writer(e2e, "joao");
    const rafael = await writer(e2e, "rafael");
    await joao.text(dm("joao", "marina"), "já li esta");
    // A long group name, so the row's text is squeezed and the dot pushed to the edge.
    const res = await fetch(`${e2e.app.server.base}/api/tenants/demo/groups`, {
      method: "POST",
      headers: { authorization: `Bearer ${rafael.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Comercial Regional Sudeste, Sul e Centro-Oeste ✔", members: ["marina"] }),
    });
    expect(res.status).toBe(201);
    const { chatId } = (await res.json()) as { chatId: string };
    await rafael.text(chatId, "ainda não lida");

    const today = await signedIn("marina");
    await rows(today)
      .getByRole("button", { name: /João Pereira/ })
      .click();
    await visible(bubble(today, "já li esta"));
    await gone(
      rows(today)
        .getByRole("button", { name: /João Pereira/ })
        .locator(".unread-dot"),
    );

    // The same person's browser (signed in), opened a day later.
    const tomorrow = await newPage(today.context());
    await tomorrow.clock.setFixedTime(Date.now() + 24 * 3600_000);
    await tomorrow.goto(`${e2e.app.server.base}/?empresa=demo`);
    await visible(rows(tomorrow).getByRole("button", { name: /Comercial Regional/ }));
    const read = rows(tomorrow).getByRole("button", { name: /João Pereira/ });
    const unread = rows(tomorrow).getByRole("button", { name: /Comercial Regional/ });
    await visible(unread.getByRole("img", { name: "1 mensagem não lida" }));
    expect(await read.locator(".row-when").textContent()).toBe("Ontem");
    expect(await unread.locator(".row-when").textContent()).toBe("Ontem");

    // The dot, whole, inside the sidebar and its row.
    const dot = (await unread.locator(".unread-dot").boundingBox())!;
    const sidebar = (await tomorrow.locator(".sidebar").boundingBox())!;
    const row = (await unread.boundingBox())!;
    expect(dot.width).toBeGreaterThanOrEqual(8);
    expect(dot.x + dot.width).toBeLessThanOrEqual(Math.min(sidebar.x + sidebar.width, row.x + row.width) - 2);
    // The group's avatar: its name's initials, never half of the trailing "✔".
    expect(await unread.locator(".avatar-initials").textContent()).toBe("CC");
    await tomorrow.screenshot({ path: "/tmp/shell-tomorrow.png" });
  });

  it("issue 17: a group named with a trailing emoji gets a whole initial, in the list and the header", async () => {
    const ana = await writer(e2e, "ana");
    const res = await fetch(`${e2e.app.server.base}/api/tenants/demo/groups`, {
      method: "POST",
      headers: { authorization: `Bearer ${ana.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Equipe ✔", members: ["joao"] }),
    });
    expect(res.status).toBe(201);
    const joao = await signedIn("joao");
    const row = rows(joao).getByRole("button", { name: /Equipe ✔/ });
    await visible(row);
    expect(await row.locator(".avatar-initials").textContent()).toBe("E");
    await row.click();
    expect(await joao.locator(".chat-header .avatar-initials").textContent()).toBe("E");
  });

  it("issue 17, R5: while this browser's own connection is down, contacts show no status rather than a stale 'on-line'", async () => {
    await signedIn("rafael");
    const marinaContext = await newContext();
    const marina = await newPage(marinaContext);
    await signIn(marina, "marina");
    await openChatWith(marina, "rafa", "Rafael Ângelo");
    const header = marina.locator(".chat-header");
    await visible(header.getByText("on-line", { exact: true }));

    await marinaContext.setOffline(true);
    await visible(marina.getByRole("status").filter({ hasText: "Sem conexão" }));
    await gone(header.getByText("on-line", { exact: true }));
    expect(await header.getByText("off-line", { exact: true }).count()).toBe(0);
    expect(await marina.locator(".presence-dot").count()).toBe(0);

    await marinaContext.setOffline(false);
    await visible(header.getByText("on-line", { exact: true }), 15_000);
    await visible(marina.getByRole("status").filter({ hasText: "Conectado" }), 15_000);
  });
});
