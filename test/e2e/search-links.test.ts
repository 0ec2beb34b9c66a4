/**
 * The smart search and deep links in Debian's Chromium against the real
 * runtime (R12, R31): a word from an old message (not in the first page)
 * is found from three characters, accents ignored, under "Mensagens" with the
 * match marked; clicking it opens the chat scrolled to that message,
 * highlighted. A `/c/{chatId}` link opened while signed out shows the sign-in,
 * then the chat; `/u/{userId}` opens the 1:1 chat and the address follows; a link
 * to someone else's chat leaves a notice over the list.
 */
import { describe, expect, it } from "vitest";
import { type Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../scripts/seed.mjs";
import { cid, login, openChat } from "../support/clients";
import { browserSuite, visible } from "./support";

const e2e = browserSuite("search");
const { newPage } = e2e;
/** Fills the sign-in form the page shows. */
const fillSignIn = (page: Page, who: string) => e2e.signIn(page, who, { at: null });

/** Sends messages from outside the browser, in order, each acknowledged. */
async function sendAll(who: string, chatId: string, texts: string[]) {
  const res = await login(e2e.app.server.base, "demo", who, DEMO_PASSWORD);
  expect(res.status).toBe(200);
  const { client } = await openChat(e2e.app.server.wsBase, `demo.${chatId}`, res.body.token);
  e2e.track(client);
  for (const text of texts) {
    const clientId = cid("e2e");
    client.send({ type: "message.send", clientId, text });
    await client.next((f) => f.type === "message.ack" && f.clientId === clientId, 10_000, "message.ack");
  }
}

const log = (page: Page) => page.getByRole("log", { name: "Mensagens" });
const OLD = "O relatório trimestral está pronto para revisão";

describe("smart search and deep links in the browser", () => {
  it("R12: a word of an old message, typed without its accent, finds it under Mensagens; the click opens the chat at that message, highlighted", async () => {
    const filler = Array.from({ length: 70 }, (_, i) => `mensagem de enchimento ${i + 1}`);
    await sendAll("ana", "dm.ana.bruno", [OLD, ...filler]);

    const bruno = await newPage();
    await bruno.goto(`${e2e.app.server.base}/?empresa=demo`);
    await fillSignIn(bruno, "bruno");
    const field = bruno.getByLabel("Pesquisar", { exact: true });
    await field.fill("relatorio");

    const messages = bruno.getByRole("region", { name: "Mensagens" });
    const hit = messages.getByRole("link", { name: /Ana Souza/ });
    await visible(hit);
    expect(await hit.count()).toBe(1);
    expect(await hit.locator("mark").allTextContents()).toEqual(["relatório"]);
    // The other categories say they are empty rather than vanish.
    await visible(bruno.getByRole("region", { name: "Conversas" }).getByText("Nenhum resultado"));
    await visible(bruno.getByRole("region", { name: "Contatos" }).getByText("Nenhum resultado"));

    // Keyboard: ArrowDown from the field reaches the hit; Enter opens it.
    await field.press("ArrowDown");
    await expect.poll(() => hit.evaluate((el) => el === document.activeElement)).toBe(true);
    await hit.press("Enter");

    await visible(bruno.getByRole("heading", { name: "Ana Souza", level: 2 }));
    const target = log(bruno).locator("li.msg", { hasText: OLD });
    await visible(target.and(bruno.locator("li.highlight")), 10_000);
    await expect.poll(() => target.isVisible()).toBe(true);
    expect(await target.evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().bottom <= innerHeight)).toBe(
      true,
    );
    // Only the first page of 50 came with the chat; the old message was fetched around itself.
    expect(await log(bruno).getByText("mensagem de enchimento 70", { exact: true }).count()).toBe(1);
    expect(bruno.url()).toMatch(/\/c\/dm\.ana\.bruno/);

    // A conversation is found by its name, and someone without one under Contatos.
    await field.fill("ana sou");
    await visible(bruno.getByRole("region", { name: "Conversas" }).getByRole("button", { name: /Ana Souza/ }));
    await field.fill("joão");
    await visible(bruno.getByRole("region", { name: "Contatos" }).getByRole("button", { name: /João Pereira/ }));
    await visible(bruno.getByRole("region", { name: "Mensagens" }).getByText("Nenhum resultado"));
  });

  it("R31: /c/{chatId} opened signed out shows the sign-in, then that chat; /u/{userId} opens the 1:1 chat; someone else's chat gives a notice", async () => {
    const ana = await newPage();
    const res = await ana.goto(`${e2e.app.server.base}/c/dm.ana.bruno?empresa=demo`);
    expect(res?.status()).toBe(200);
    await fillSignIn(ana, "ana");
    await visible(ana.getByRole("heading", { name: "Bruno Lima", level: 2 }));
    await visible(log(ana).getByText("mensagem de enchimento 70", { exact: true }));
    expect(new URL(ana.url()).pathname).toBe("/c/dm.ana.bruno");

    // Signed in already: /u/{userId} opens the 1:1 chat (a new one too) and the address becomes its chat's.
    await ana.goto(`${e2e.app.server.base}/u/joao`);
    await visible(ana.getByRole("heading", { name: "João Pereira", level: 2 }));
    await expect.poll(() => new URL(ana.url()).pathname).toBe("/c/dm.ana.joao");

    // Opening another chat moves the address; "back" returns to the previous chat.
    await ana.getByLabel("Pesquisar", { exact: true }).fill("bru");
    await ana
      .getByRole("region", { name: "Conversas" })
      .getByRole("button", { name: /Bruno Lima/ })
      .click();
    await visible(ana.getByRole("heading", { name: "Bruno Lima", level: 2 }));
    await expect.poll(() => new URL(ana.url()).pathname).toBe("/c/dm.ana.bruno");
    await ana.goBack();
    await visible(ana.getByRole("heading", { name: "João Pereira", level: 2 }));

    await ana.goto(`${e2e.app.server.base}/c/dm.bruno.carla`);
    await visible(ana.getByText("Não foi possível abrir o link: a conversa não existe ou você não participa dela."));
    await expect.poll(() => new URL(ana.url()).pathname).toBe("/");
    expect(await ana.getByRole("heading", { level: 2 }).count()).toBe(0);
  });
});
