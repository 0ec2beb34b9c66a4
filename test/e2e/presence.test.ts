/**
 * Presence and unread counts in Debian's Chromium against the real runtime (`wrangler dev`)
 * (R5, R7, R20): one person with two tabs sees the unread badge, the red dot and
 * the page title go down in both tabs when they read the chat in one; another
 * sees a contact turn "on-line" when their page opens and "off-line" within
 * about two seconds after it closes (the tab says it is leaving, so no grace
 * period applies); a message arriving while the page is hidden becomes a
 * notification that opens its chat (the browser's Notification is replaced by a
 * recorder: headless Chromium shows none), and the permission bar is dismissed
 * for good. On the whole browser: its headless shell has no notifications, so
 * the bar is never offered there.
 */
import { describe, expect, it } from "vitest";
import { type Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../scripts/seed.mjs";
import { cid, login, openChat } from "../support/clients";
import { browserSuite, gone, visible } from "./support";
import { listRow } from "./people";

const e2e = browserSuite("presence", { wholeBrowser: true });
const { newContext, newPage, signIn } = e2e;

/** Someone who sends from outside the browser, through the chat room's socket. */
async function sender(who: string, chatId: string): Promise<(text: string) => Promise<void>> {
  const res = await login(e2e.app.server.base, "demo", who, DEMO_PASSWORD);
  expect(res.status).toBe(200);
  const { client } = await openChat(e2e.app.server.wsBase, `demo.${chatId}`, res.body.token);
  e2e.track(client);
  return async (text) => {
    const clientId = cid("e2e");
    client.send({ type: "message.send", clientId, text });
    await client.next((f) => f.type === "message.ack" && f.clientId === clientId, 10_000, "message.ack");
  };
}

const chatsTab = (page: Page) => page.getByRole("tab", { name: /Chats/ });
const row = listRow;

describe("presence and unread in the browser", () => {
  it("R7, R20: two unread messages show in both tabs of the reader (badge, red dot, title) and go away in both when one tab reads them", async () => {
    const joao = await newContext();
    const [tab1, tab2] = [await newPage(joao), await newPage(joao)];
    await signIn(tab1, "joao");
    // The second tab of the same browser is signed in already.
    await tab2.goto(`${e2e.app.server.base}/?empresa=demo`);
    await visible(tab2.getByRole("button", { name: "Sair" }));
    for (const tab of [tab1, tab2]) await visible(tab.getByText("Nenhuma conversa ainda"));

    const send = await sender("carla", "dm.carla.joao");
    await send("Oi João, tudo bem?");
    await send("Pode revisar o contrato hoje?");

    for (const tab of [tab1, tab2]) {
      await visible(chatsTab(tab).getByText("2 mensagens não lidas"));
      await visible(row(tab, "Carla Dias").getByRole("img", { name: "2 mensagens não lidas" }));
      await expect.poll(() => tab.title()).toBe("(2) Conversas");
      // R6: the row previews the last message, and (R20) shows today's unread time.
      await visible(row(tab, "Carla Dias").getByText("Pode revisar o contrato hoje?"));
      expect(await row(tab, "Carla Dias").locator(".row-when").textContent()).toMatch(/^\d\d:\d\d$/);
    }

    await row(tab1, "Carla Dias").click();
    await visible(tab1.getByRole("log", { name: "Mensagens" }).getByText("Pode revisar o contrato hoje?"));
    for (const tab of [tab1, tab2]) {
      await gone(chatsTab(tab).locator(".unread-badge"));
      await gone(row(tab, "Carla Dias").locator(".unread-dot"));
      await expect.poll(() => tab.title()).toBe("Conversas");
    }

    // A message arriving while the chat is open and visible is read at once: no badge comes back.
    await send("Obrigada!");
    await visible(tab1.getByRole("log", { name: "Mensagens" }).getByText("Obrigada!"));
    await visible(row(tab2, "Carla Dias").getByText("Obrigada!"));
    await new Promise((r) => setTimeout(r, 500));
    for (const tab of [tab1, tab2]) expect(await chatsTab(tab).locator(".unread-badge").count()).toBe(0);
  });

  it('R5: a contact turns "on-line" when their page opens and "off-line" within about 2 s after it closes', async () => {
    const marina = await newPage(await newContext());
    await signIn(marina, "marina");
    await marina.getByLabel("Pesquisar", { exact: true }).fill("rafa");
    const contacts = marina.getByRole("region", { name: "Contatos" });
    await visible(contacts.getByRole("button", { name: /Rafael Ângelo/ }).getByRole("img", { name: "off-line" }));
    await contacts.getByRole("button", { name: /Rafael Ângelo/ }).click();
    const header = marina.locator(".chat-header");
    await visible(header.getByText("off-line", { exact: true }));

    const rafael = await newPage(await newContext());
    await signIn(rafael, "rafael");
    await visible(header.getByText("on-line", { exact: true }), 5_000);
    // The contact panel says it too (R5), with "Sobre".
    await marina.getByRole("button", { name: "Dados do contato" }).click();
    const panel = marina.getByRole("complementary", { name: "Dados do contato" });
    await visible(panel.getByText("on-line", { exact: true }));
    await visible(panel.getByText("rafael@demo.conversas.local"));

    await rafael.close({ runBeforeUnload: true });
    const closedAt = Date.now();
    await visible(header.getByText("off-line", { exact: true }), 5_000);
    expect(Date.now() - closedAt).toBeLessThan(2_500);
    await visible(panel.getByText("off-line", { exact: true }));
  });

  it("R20: a message arriving while the page is hidden notifies once, a click opens its chat; none for the user's own message; the bar can be dismissed for good", async () => {
    const context = await newContext();
    // A recorder in place of the browser's notifications, and a page that can be made hidden.
    await context.addInitScript(() => {
      const w = window as unknown as { __notes: { title: string; body: string; click(): void }[]; __hidden: boolean };
      w.__notes = [];
      w.__hidden = false;
      Object.defineProperty(document, "hidden", { get: () => w.__hidden });
      class Recorder {
        static permission = "granted";
        static requestPermission = async () => "granted";
        onclick: (() => void) | null = null;
        constructor(title: string, opts: { body: string }) {
          w.__notes.push({ title, body: opts.body, click: () => this.onclick?.() });
        }
        close() {}
      }
      (window as unknown as { Notification: unknown }).Notification = Recorder;
    });
    const bruno = await newPage(context);
    await signIn(bruno, "bruno");
    const notes = () =>
      bruno.evaluate(() =>
        (window as unknown as { __notes: { title: string; body: string }[] }).__notes.map((n) => `${n.title}: ${n.body}`),
      );

    const send = await sender("joao", "dm.bruno.joao");
    await send("Visível: sem notificação");
    await visible(row(bruno, "João Pereira"));
    await bruno.evaluate(() => ((window as unknown as { __hidden: boolean }).__hidden = true));
    await send("Chegou o boleto");
    await expect.poll(notes).toEqual(["João Pereira: Chegou o boleto"]);

    // The user's own message (from another device) is no news.
    const own = await sender("bruno", "dm.bruno.joao");
    await own("Já vi, obrigado");
    await visible(row(bruno, "João Pereira").getByText("Já vi, obrigado"));
    expect(await notes()).toEqual(["João Pereira: Chegou o boleto"]);

    await bruno.evaluate(() => (window as unknown as { __notes: { click(): void }[] }).__notes[0]!.click());
    await visible(bruno.getByRole("heading", { name: "João Pereira", level: 2 }));

    // Offered, never forced: "Agora não" hides the bar, also after a reload.
    const otherContext = await newContext();
    const carla = await newPage(otherContext);
    await signIn(carla, "carla");
    const bar = carla.getByRole("region", { name: "Ativar notificações" });
    await visible(bar);
    await bar.getByRole("button", { name: "Agora não" }).click();
    await gone(bar);
    await carla.reload();
    await visible(carla.getByRole("button", { name: "Sair" }));
    expect(await bar.count()).toBe(0);
  });
});
