/**
 * Issue 17's habits from WhatsApp and Slack in Debian's Chromium against the real
 * runtime (`wrangler dev`), with two or three people in their own browsers: read
 * receipts and "Informações da mensagem" (17.1), "está digitando…" (17.2),
 * "Editar" and "editada" (17.4), "Reagir" and its chips (17.5), mentions in a
 * group with the "@" list, the highlight and the list's "@" (17.6), and
 * "Pesquisar nesta conversa" (17.8); and axe-core finds nothing serious in any of
 * these parts while they show.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserSuite, gone, visible } from "./support";
import { bubble, dm, listRow, log, openChatWith, openFromList, send, writer } from "./people";

const e2e = browserSuite("chat-habits");
const { newPage, signIn } = e2e;

async function person(login: string): Promise<Page> {
  const page = await newPage(undefined, { who: login });
  await signIn(page, login);
  return page;
}

/** A group made through the API by `by` (its admin) with `members`; its chat id. */
/** Groups made by this file so far, by the name asked for. */
const made = new Map<string, number>();

/**
 * A group made through the API by `by`. A test run again after a failure makes its
 * group again under a new name ("Plantão axe 2"), so a list never shows two alike.
 */
async function group(by: string, wanted: string, members: string[]): Promise<{ chatId: string; name: string }> {
  const n = (made.get(wanted) ?? 0) + 1;
  made.set(wanted, n);
  const name = n === 1 ? wanted : `${wanted} ${n}`;
  const admin = await writer(e2e, by);
  const res = await fetch(`${e2e.app.server.base}/api/tenants/demo/groups`, {
    method: "POST",
    headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
    body: JSON.stringify({ name, members }),
  });
  expect(res.status).toBe(201);
  return { chatId: ((await res.json()) as { chatId: string }).chatId, name };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's serious and critical findings on the page as it is now (injected by the test, so the page's CSP does not apply). */
async function axeFindings(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: any[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ["violations"] });
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${(v.nodes as { target: string[] }[]).map((n) => n.target.join(" ")).join(", ")}`);
  });
}

const receipt = (page: Page, text: string, name: "Enviada" | "Entregue" | "Lida") =>
  bubble(page, text).getByRole("img", { name, exact: true });
const typingLine = (page: Page) => page.locator(".typing-line");
const composer = (page: Page) => page.getByLabel("Mensagem", { exact: true });

/** Opens a message's "⋮" menu and picks an item. */
async function menu(page: Page, text: string, item: string) {
  await bubble(page, text).hover();
  await bubble(page, text).getByRole("button", { name: "Ações da mensagem" }).click();
  await page.getByRole("menuitem", { name: item, exact: true }).click();
}

/** The items of a message's "⋮" menu, closed again afterwards. */
async function menuItems(page: Page, text: string): Promise<string[]> {
  await bubble(page, text).hover();
  await bubble(page, text).getByRole("button", { name: "Ações da mensagem" }).click();
  const items = await page.getByRole("menuitem").allTextContents();
  await page.keyboard.press("Escape");
  return items;
}

describe("issue 17 in the browser", () => {
  it("issue 17.1: ✓ Enviada when stored, ✓✓ Entregue once Bruno's app has it, Lida once he reads it; in a group, Lida when every member read, and 'Informações da mensagem' lists who with times", async () => {
    const ana = await person("ana");
    await openChatWith(ana, "bru", "Bruno Lima");
    await send(ana, "Chegou o relatório?");
    await visible(receipt(ana, "Chegou o relatório?", "Enviada"));

    // Bruno opens the app: the message reached a device of his.
    const bruno = await person("bruno");
    await visible(receipt(ana, "Chegou o relatório?", "Entregue"));
    // He opens the chat and reads it.
    await openChatWith(bruno, "ana", "Ana Souza");
    await visible(bubble(bruno, "Chegou o relatório?"));
    await visible(receipt(ana, "Chegou o relatório?", "Lida"));
    expect(await receipt(ana, "Chegou o relatório?", "Lida").locator("xpath=..").getAttribute("class")).toContain("read");
    // Others' messages carry no ticks.
    expect(
      await bubble(bruno, "Chegou o relatório?")
        .getByRole("img", { name: /Enviada|Entregue|Lida/ })
        .count(),
    ).toBe(0);

    // A group: Lida only once every other member read it.
    const { chatId, name: plantao } = await group("ana", "Plantão 17.1", ["bruno", "carla"]);
    await openFromList(ana, plantao);
    await send(ana, "Escala de sábado");
    await openFromList(bruno, plantao);
    await visible(bubble(bruno, "Escala de sábado"));
    await visible(receipt(ana, "Escala de sábado", "Enviada"));
    await menu(ana, "Escala de sábado", "Informações da mensagem");
    const info = ana.getByRole("dialog", { name: "Informações da mensagem" });
    await visible(info);
    const readBy = info.getByRole("region", { name: "Lida por" });
    await visible(readBy.getByText("Bruno Lima"));
    await visible(readBy.getByText(/Hoje \d\d:\d\d/));
    await visible(info.getByRole("region", { name: "Entregue a" }).getByText("Ninguém ainda"));
    await ana.keyboard.press("Escape");
    await gone(info);

    const carla = await person("carla");
    await visible(receipt(ana, "Escala de sábado", "Entregue"));
    await openFromList(carla, plantao);
    await visible(bubble(carla, "Escala de sábado"));
    await visible(receipt(ana, "Escala de sábado", "Lida"));
    expect(chatId).toMatch(/^g\./);
  });

  it("issue 17.2: 'Bruno Lima está digitando…' shows under the header while he types, goes when he sends and 5 s after he stops; two at once in a group", async () => {
    const [ana, bruno] = await Promise.all([person("ana"), person("bruno")]);
    await openChatWith(ana, "bru", "Bruno Lima");
    await openChatWith(bruno, "ana", "Ana Souza");
    for (const p of [ana, bruno]) await visible(p.getByText(/Início da conversa|Nenhuma mensagem ainda/));
    expect(await typingLine(ana).getAttribute("aria-live")).toBe("polite");

    await composer(bruno).pressSequentially("já vou te mandar", { delay: 40 });
    await expect.poll(() => typingLine(ana).textContent(), { timeout: 5_000 }).toBe("Bruno Lima está digitando…");
    // Never for oneself.
    expect(await typingLine(bruno).textContent()).toBe("");
    await composer(bruno).press("Enter");
    await visible(bubble(ana, "já vou te mandar"));
    expect(await typingLine(ana).textContent()).toBe("");

    // Typing and stopping: the line goes by itself about 5 s after the last keystroke heard. (Right
    // after a send the room may drop the first frame — its own 2 s throttle — so it can take a moment.)
    await composer(bruno).pressSequentially("mais uma", { delay: 40 });
    await expect.poll(() => typingLine(ana).textContent(), { timeout: 5_000 }).toBe("Bruno Lima está digitando…");
    const stopped = Date.now();
    await expect.poll(() => typingLine(ana).textContent(), { timeout: 10_000 }).toBe("");
    expect(Date.now() - stopped).toBeGreaterThan(3_000);

    // Two people in a group.
    const { name: plantao } = await group("ana", "Plantão 17.2", ["bruno", "carla"]);
    const carla = await person("carla");
    for (const p of [ana, bruno, carla]) {
      await openFromList(p, plantao);
      await visible(log(p).locator("li.msg-system", { hasText: "criou o grupo" }));
    }
    await composer(bruno).pressSequentially("eu", { delay: 40 });
    await composer(carla).pressSequentially("eu também", { delay: 40 });
    await expect
      .poll(() => typingLine(ana).textContent(), { timeout: 5_000 })
      .toMatch(/^(Bruno Lima e Carla Dias|Carla Dias e Bruno Lima) estão digitando…$/);
  });

  it("issue 17.4: 'Editar' on one's own text message: 'editada' for both and in the list preview, search finds the new words; the item is gone after 15 minutes", async () => {
    const [ana, bruno] = await Promise.all([person("ana"), person("bruno")]);
    await openChatWith(ana, "bru", "Bruno Lima");
    await send(ana, "Reunião às 14h");
    await openChatWith(bruno, "ana", "Ana Souza");
    await visible(bubble(bruno, "Reunião às 14h"));
    // Only one's own messages offer "Editar".
    await send(bruno, "Combinado");
    await visible(bubble(ana, "Combinado"));
    expect(await menuItems(ana, "Combinado")).not.toContain("Editar");

    await menu(ana, "Reunião às 14h", "Editar");
    await visible(ana.getByText("Editando mensagem"));
    expect(await composer(ana).inputValue()).toBe("Reunião às 14h");
    expect(await composer(ana).evaluate((el) => el === document.activeElement)).toBe(true);
    await composer(ana).fill("Reunião às 15h30");
    await composer(ana).press("Enter");
    for (const p of [ana, bruno]) {
      await visible(bubble(p, "Reunião às 15h30").getByText("editada"));
      expect(await bubble(p, "Reunião às 14h").count()).toBe(0);
    }
    // Escape leaves an edit without changing anything.
    await menu(ana, "Reunião às 15h30", "Editar");
    await composer(ana).press("Escape");
    await gone(ana.getByText("Editando mensagem"));
    expect(await composer(ana).inputValue()).toBe("");

    // Bruno's list shows the new text; his search finds it and not the old.
    await bruno.getByLabel("Pesquisar", { exact: true }).fill("15h30");
    await visible(bruno.getByRole("region", { name: "Mensagens" }).getByText(/15h30/));
    await bruno.getByLabel("Pesquisar", { exact: true }).fill("14h");
    await visible(bruno.getByRole("region", { name: "Mensagens" }).getByText("Nenhum resultado"));
    await bruno.getByRole("button", { name: "Limpar pesquisa" }).click();
    await visible(listRow(bruno, "Ana Souza"));

    // 16 minutes later (the page's clock), "Editar" is no longer offered.
    await send(ana, "Ainda posso mudar");
    expect(await menuItems(ana, "Ainda posso mudar")).toContain("Editar");
    await ana.clock.setFixedTime(Date.now() + 16 * 60_000);
    expect(await menuItems(ana, "Ainda posso mudar")).not.toContain("Editar");
  });

  it("issue 17.5: 'Reagir' on hover and in the menu: a quick emoji shows as a chip for both, who reacted on hover ('Você e Bruno Lima'), clicking it again takes it back", async () => {
    const [ana, bruno] = await Promise.all([person("ana"), person("bruno")]);
    await openChatWith(ana, "bru", "Bruno Lima");
    await send(ana, "Fechamos o contrato!");
    await openChatWith(bruno, "ana", "Ana Souza");

    // Bruno, on hover: "Reagir", then 👍.
    await bubble(bruno, "Fechamos o contrato!").hover();
    await bubble(bruno, "Fechamos o contrato!").getByRole("button", { name: "Reagir" }).click();
    const bar = bruno.getByRole("toolbar", { name: "Reagir" });
    await visible(bar);
    // The keyboard walks the quick emojis; Escape closes and gives the focus back.
    await bruno.keyboard.press("ArrowRight");
    expect(await bar.getByRole("button", { name: "Reagir com ❤️" }).evaluate((el) => el === document.activeElement)).toBe(true);
    await bar.getByRole("button", { name: "Reagir com 👍" }).click();
    await gone(bar);
    const chip = (p: Page) => bubble(p, "Fechamos o contrato!").getByRole("button", { name: /^👍 / });
    await visible(chip(ana));
    expect(await chip(bruno).getAttribute("aria-pressed")).toBe("true");
    expect(await chip(ana).getAttribute("aria-pressed")).toBe("false");

    // Ana, from the menu: the same emoji joins the chip ("Você e mais 1").
    await menu(ana, "Fechamos o contrato!", "Reagir");
    await ana.getByRole("toolbar", { name: "Reagir" }).getByRole("button", { name: "Reagir com 👍" }).click();
    await expect.poll(() => chip(ana).getAttribute("aria-label")).toBe("👍 2: Você e Bruno Lima");
    await expect.poll(() => chip(bruno).getAttribute("title")).toBe("Você e Ana Souza");
    expect(await chip(ana).textContent()).toBe("👍2");

    // Clicking one's own chip again takes the reaction back, for both.
    await chip(bruno).click();
    await expect.poll(() => chip(ana).getAttribute("aria-label")).toBe("👍 1: Você");
    await chip(ana).click();
    await gone(chip(bruno));
    await gone(chip(ana));
  });

  it("issue 17.6: '@' in a group lists the members as one types (arrows, Enter); the mention is highlighted, Bruno's list shows '@' beside the dot; '@todos' for admins only", async () => {
    const { name: plantao } = await group("ana", "Plantão 17.6", ["bruno", "carla"]);
    const [ana, bruno, carla] = await Promise.all([person("ana"), person("bruno"), person("carla")]);
    await openFromList(ana, plantao);
    await openFromList(carla, plantao);

    const list = (p: Page) => p.getByRole("listbox", { name: "Mencionar membro" });
    // Ana is the group's admin: "@todos" first, then the members (never herself).
    await composer(ana).pressSequentially("@");
    await visible(list(ana));
    expect(await list(ana).getByRole("option").allTextContents()).toEqual(["@todos Todos do grupo", "@Bruno Lima", "@Carla Dias"]);
    // Filtered as she types; ↓ and Enter pick.
    await composer(ana).pressSequentially("c");
    expect(await list(ana).getByRole("option").allTextContents()).toEqual(["@Carla Dias"]);
    await composer(ana).press("Backspace");
    await composer(ana).pressSequentially("b");
    expect(await composer(ana).getAttribute("aria-activedescendant")).toBe("mention-option-0");
    await composer(ana).press("Enter");
    await gone(list(ana));
    expect(await composer(ana).inputValue()).toBe("@Bruno Lima ");
    await composer(ana).pressSequentially("pode revisar?");
    await composer(ana).press("Enter");
    await visible(log(ana).locator("li.msg.msg-sent", { hasText: "@Bruno Lima pode revisar?" }));

    // Bruno, in another chat: the group's row shows "@" beside the unread dot.
    const row = listRow(bruno, plantao);
    await visible(row.getByRole("img", { name: "Você foi mencionado" }));
    await visible(row.getByRole("img", { name: "1 mensagem não lida" }));
    await openFromList(bruno, plantao);
    const mentioned = bubble(bruno, "pode revisar?");
    await visible(mentioned.locator("strong.mention", { hasText: "@Bruno Lima" }));
    expect(await mentioned.getAttribute("class")).toContain("msg-mentioned");
    await gone(row.getByRole("img", { name: "Você foi mencionado" }));
    // Carla sees the name highlighted, but the message is not hers to notice.
    await visible(bubble(carla, "pode revisar?").locator("strong.mention", { hasText: "@Bruno Lima" }));
    expect(await bubble(carla, "pode revisar?").getAttribute("class")).not.toContain("msg-mentioned");

    // Carla is no admin: no "@todos"; Escape closes the list and keeps the text.
    await composer(carla).pressSequentially("@");
    await visible(list(carla));
    expect(await list(carla).getByRole("option").allTextContents()).toEqual(["@Ana Souza", "@Bruno Lima"]);
    await composer(carla).pressSequentially("to");
    await gone(list(carla));
    await composer(carla).fill("@");
    await visible(list(carla));
    await composer(carla).press("Escape");
    await gone(list(carla));
    expect(await composer(carla).inputValue()).toBe("@");
    await composer(carla).fill("");

    // Ana's "@todos" reaches everyone.
    await composer(ana).pressSequentially("@to");
    // Typing straight on after Tab, before the next frame, goes after the mention ("@todos união às 16hre" once).
    await composer(ana).evaluate((el) => {
      el.dispatchEvent(new KeyboardEvent("keydown", { key: "Tab", bubbles: true, cancelable: true }));
      document.execCommand("insertText", false, "re");
    });
    await composer(ana).pressSequentially("união às 16h");
    expect(await composer(ana).inputValue()).toBe("@todos reunião às 16h");
    await composer(ana).press("Enter");
    await visible(bubble(carla, "reunião às 16h").locator("strong.mention.me", { hasText: "@todos" }));
    expect(await bubble(carla, "reunião às 16h").getAttribute("class")).toContain("msg-mentioned");
  });

  it("issue 17.8: 'Pesquisar nesta conversa' lists the hits with highlights; Enter / Shift+Enter go through them, each opened in context, an old one too", async () => {
    const bruno = await writer(e2e, "bruno");
    const chatId = dm("bruno", "joao");
    await bruno.text(chatId, "Primeiro relatório de vendas");
    for (let i = 1; i <= 70; i++) await bruno.text(chatId, `mensagem ${i}`);
    await bruno.text(chatId, "Segundo relatório, revisado");
    await bruno.text(chatId, "fim");

    const joao = await person("joao");
    await openChatWith(joao, "bru", "Bruno Lima");
    await visible(bubble(joao, "fim"));
    // The oldest hit is not loaded yet.
    expect(await bubble(joao, "Primeiro relatório de vendas").count()).toBe(0);

    const toggle = joao.getByRole("button", { name: "Pesquisar nesta conversa" });
    await toggle.click();
    const search = joao.getByRole("search", { name: "Pesquisar nesta conversa" });
    const field = search.getByRole("searchbox", { name: "Pesquisar nesta conversa" });
    await visible(field);
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);
    await field.fill("relatorio");
    const results = joao.getByRole("list", { name: "Resultados da pesquisa" });
    await expect.poll(() => results.getByRole("listitem").count()).toBe(2);
    expect(await results.locator("mark").first().textContent()).toBe("relatório");
    await visible(search.getByText("2 resultados"));

    // Enter: the first hit, opened in context and highlighted; then the next, and back.
    await field.press("Enter");
    await visible(search.getByText("1 de 2"));
    const first = await results.getByRole("button").first().textContent();
    const hitText = first!.includes("Segundo") ? "Segundo relatório, revisado" : "Primeiro relatório de vendas";
    const otherText = hitText.startsWith("Segundo") ? "Primeiro relatório de vendas" : "Segundo relatório, revisado";
    await visible(bubble(joao, hitText));
    await expect.poll(() => bubble(joao, hitText).getAttribute("class")).toContain("highlight");
    await field.press("Enter");
    await visible(search.getByText("2 de 2"));
    await visible(bubble(joao, otherText));
    await expect.poll(() => bubble(joao, otherText).getAttribute("class")).toContain("highlight");
    await field.press("Shift+Enter");
    await visible(search.getByText("1 de 2"));
    // The old one was brought in with its neighbours.
    await visible(bubble(joao, "Primeiro relatório de vendas"));
    await visible(log(joao).locator("li.msg .msg-text", { hasText: /^mensagem 1$/ }));

    // A click on a result opens it too; Escape closes the search and gives the focus back.
    await results.getByRole("button").nth(1).click();
    await visible(search.getByText("2 de 2"));
    await field.press("Escape");
    await gone(search);
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it("issue 17.1, 17.5, 17.6, 17.8: the ticks, reaction chips and quick reactions, the @ list, the search in a chat and 'Informações da mensagem' have no serious or critical axe violation", async () => {
    const { name: plantao } = await group("ana", "Plantão axe", ["bruno"]);
    const [ana, bruno] = await Promise.all([person("ana"), person("bruno")]);
    await openFromList(ana, plantao);
    await send(ana, "@Bruno Lima confere o axe");
    await openFromList(bruno, plantao);
    await visible(bubble(bruno, "confere o axe"));
    await bubble(bruno, "confere o axe").hover();
    await bubble(bruno, "confere o axe").getByRole("button", { name: "Reagir" }).click();
    await visible(bruno.getByRole("toolbar", { name: "Reagir" }));
    expect(["quick reactions", await axeFindings(bruno)]).toEqual(["quick reactions", []]);
    await bruno.getByRole("button", { name: "Reagir com 🙏" }).click();
    await visible(bubble(ana, "confere o axe").getByRole("button", { name: /^🙏 / }));
    await visible(receipt(ana, "confere o axe", "Lida"));
    expect(["chips, ticks, mention", await axeFindings(ana)]).toEqual(["chips, ticks, mention", []]);

    await composer(bruno).pressSequentially("@a");
    await visible(bruno.getByRole("listbox", { name: "Mencionar membro" }));
    expect(["@ list", await axeFindings(bruno)]).toEqual(["@ list", []]);
    await composer(bruno).fill("");

    await bruno.getByRole("button", { name: "Pesquisar nesta conversa" }).click();
    await bruno.getByRole("searchbox", { name: "Pesquisar nesta conversa" }).fill("confere");
    await visible(bruno.getByRole("list", { name: "Resultados da pesquisa" }));
    expect(["search in a chat", await axeFindings(bruno)]).toEqual(["search in a chat", []]);

    await menu(ana, "confere o axe", "Informações da mensagem");
    await visible(
      ana.getByRole("dialog", { name: "Informações da mensagem" }).getByRole("region", { name: "Lida por" }).getByText("Bruno Lima"),
    );
    expect(["message info", await axeFindings(ana)]).toEqual(["message info", []]);
  });
});
