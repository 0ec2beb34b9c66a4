/**
 * Rich messaging in Debian's Chromium against the real runtime (`wrangler dev`) (R5, R9,
 * R10): an image previewed, uploaded and seen (really loaded) by the other person;
 * a voice note recorded from Chromium's fake microphone, played back, sent and
 * played by the other side; reply (the quote jumps to the original, loading it
 * when it is far back), forward and delete-own; the contact panel's "Mídias";
 * drafts that follow the user across tabs and reloads, with "Rascunho" in the list.
 */
import { describe, expect, it } from "vitest";
import { browserSuite, gone, MEDIA_ARGS, visible } from "./support";
import { bubble, listRow, log, openChatWith, openFromList, png } from "./people";
import { type Page } from "playwright-core";
import WebSocket from "ws";
import { truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO_PASSWORD } from "../../scripts/seed.mjs";
import { tempDir } from "../../tools/dev/runtime.mjs";
import { authProtocols } from "../support/clients";

const e2e = browserSuite("messaging", {
  chromiumArgs: MEDIA_ARGS,
  permissions: ["microphone", "clipboard-read", "clipboard-write"],
});
const { newContext, newPage, signIn } = e2e;
const SHOTS = "/tmp";

async function personWith(login: string, query: string, name: string): Promise<Page> {
  const page = await newPage(await newContext());
  await signIn(page, login);
  await openChatWith(page, query, name);
  return page;
}

/** The bubble whose own text is exactly `text` (a reply quoting it does not count). */
const exactly = (page: Page, text: string) =>
  log(page)
    .locator("li.msg")
    .filter({ has: page.locator(".msg-text", { hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`) }) });
/** A bubble the server has acknowledged. */
const sent = (page: Page, text: string) => log(page).locator("li.msg.msg-sent", { hasText: text });

async function send(page: Page, text: string) {
  const box = page.getByLabel("Mensagem", { exact: true });
  await box.fill(text);
  await box.press("Enter");
  await visible(sent(page, text));
}

async function act(page: Page, text: string, action: string) {
  await exactly(page, text).getByRole("button", { name: "Ações da mensagem" }).click();
  await page.getByRole("menuitem", { name: action }).click();
}

/** Talks to a chat room directly, as another device of `login` would. */
async function rawChat(login: string, peer: string) {
  const res = await fetch(`${e2e.app.server.base}/api/login`, {
    method: "POST",
    body: JSON.stringify({ tenant: "demo", login, password: DEMO_PASSWORD }),
  });
  const { token } = (await res.json()) as { token: string };
  const chatId = ["dm", ...[login, peer].sort()].join(".");
  const ws = new WebSocket(`${e2e.app.server.wsBase}/parties/chat/demo.${chatId}`, authProtocols(token));
  const frames: Array<Record<string, any>> = [];
  ws.on("message", (d) => {
    const got = JSON.parse(String(d));
    frames.push(...(got.type === "frames" ? got.frames : [got]));
  });
  const next = async (type: string, match: (f: Record<string, any>) => boolean = () => true) => {
    for (let i = 0; i < 300; i++) {
      const hit = frames.find((f) => f.type === type && match(f));
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no ${type}: ${JSON.stringify(frames.slice(-3))}`);
  };
  await next("chat.ready");
  return { ws, next, send: (f: object) => ws.send(JSON.stringify(f)) };
}

/** Whether an element sits inside the visible part of the chat's scroller (runs in the page). */
function inView(el: Element): boolean {
  const r = el.getBoundingClientRect();
  const box = el.closest(".history")!.getBoundingClientRect();
  return r.top >= box.top && r.bottom <= box.bottom;
}

describe("rich messaging in the browser", () => {
  it("R9, R5: an image is previewed, sent with a caption, loads in the other person's chat and is listed under Mídias", async () => {
    const ana = await personWith("ana", "bru", "Bruno Lima");
    const bruno = await personWith("bruno", "ana", "Ana Souza");

    await ana.locator('input[type="file"]').setInputFiles({ name: "reunião.png", mimeType: "image/png", buffer: png(64, 48) });
    const preview = ana.getByRole("region", { name: "Prévia do anexo" });
    await visible(preview);
    await expect.poll(() => preview.locator("img").evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(64);
    await preview.getByLabel("Legenda").fill("foto da reunião");
    await ana.screenshot({ path: `${SHOTS}/messaging-preview.png` });
    await preview.getByRole("button", { name: "Enviar" }).click();
    await visible(sent(ana, "foto da reunião"));
    await expect.poll(() => preview.count()).toBe(0);

    const received = bubble(bruno, "foto da reunião").locator("img.media-thumb");
    await visible(received);
    await expect.poll(() => received.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(64);
    expect(await bubble(bruno, "foto da reunião").locator("a.media-link").getAttribute("target")).toBe("_blank");
    await bruno.screenshot({ path: `${SHOTS}/messaging-image.png` });

    await bruno.getByRole("button", { name: "Dados do contato" }).click();
    const panel = bruno.getByRole("complementary", { name: "Dados do contato" });
    await visible(panel.getByText("ana@", { exact: false }));
    await expect.poll(() => panel.getByRole("tab", { name: "Mídias" }).getAttribute("aria-selected")).toBe("true");
    const thumb = panel.locator(".media-grid img");
    await visible(thumb);
    await expect.poll(() => thumb.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(64);
    await panel.getByRole("tab", { name: "Documentos" }).click();
    await visible(panel.getByText("Nenhum documento nesta conversa"));
    await bruno.screenshot({ path: `${SHOTS}/messaging-panel.png` });
  });

  it("R9: a file over 25 MiB is refused before any upload", async () => {
    const ana = await personWith("ana", "car", "Carla Dias");
    let uploads = 0;
    ana.on("request", (r) => r.method() === "POST" && r.url().includes("/files") && uploads++);
    // A file on disk (sparse: made at once), which Chromium reads from its path; 25 MiB sent as a buffer took ~10 s to reach the page.
    const big = join(tempDir("conversas-big-"), "grande.bin");
    writeFileSync(big, "");
    truncateSync(big, 25 * 1024 * 1024 + 1);
    await ana.locator('input[type="file"]').setInputFiles(big);
    const preview = ana.getByRole("region", { name: "Prévia do anexo" });
    await visible(preview.getByRole("alert"));
    expect(await preview.getByRole("alert").textContent()).toMatch(/25 MB/);
    await expect.poll(() => preview.getByRole("button", { name: "Enviar" }).isDisabled()).toBe(true);
    await preview.getByRole("button", { name: "Cancelar" }).click();
    await expect.poll(() => preview.count()).toBe(0);
    expect(uploads).toBe(0);
  });

  it("R9: a failed upload says so and 'Tentar de novo' sends the same file with its caption", async () => {
    const ana = await personWith("ana", "raf", "Rafael Ângelo");
    let failNext = true;
    await ana.route("**/files", (route) =>
      failNext && route.request().method() === "POST" ? ((failNext = false), route.abort()) : route.fallback(),
    );
    await ana
      .locator('input[type="file"]')
      .setInputFiles({ name: "contrato.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") });
    const preview = ana.getByRole("region", { name: "Prévia do anexo" });
    await visible(preview.getByText("contrato.pdf"));
    await preview.getByLabel("Legenda").fill("segue o contrato");
    await preview.getByRole("button", { name: "Enviar" }).click();
    await visible(preview.getByRole("alert"));
    await expect.poll(() => log(ana).locator("li.msg").count()).toBe(0);
    await preview.getByRole("button", { name: "Tentar de novo" }).click();
    await visible(sent(ana, "segue o contrato"));
    const card = sent(ana, "segue o contrato").locator(".doc-card");
    expect(await card.textContent()).toContain("contrato.pdf");
    expect(await card.getByRole("link", { name: "Baixar contrato.pdf" }).getAttribute("href")).toMatch(/download=1/);
  });

  it("R9: a hostile file name and message text stay text: no markup, no script", async () => {
    const ana = await personWith("ana", "joa", "João Pereira");
    const joao = await personWith("joao", "ana", "Ana Souza");
    const name = '<img src=x onerror="window.__pwned=1">.html';
    await ana
      .locator('input[type="file"]')
      .setInputFiles({ name, mimeType: "text/html", buffer: Buffer.from("<script>window.__pwned=1</script>") });
    await ana.getByRole("region", { name: "Prévia do anexo" }).getByRole("button", { name: "Enviar" }).click();
    await send(ana, '<b onmouseover="window.__pwned=1">negrito?</b> javascript:alert(1)');
    const card = log(joao).locator(".doc-card");
    await visible(card);
    await visible(exactly(joao, '<b onmouseover="window.__pwned=1">negrito?</b> javascript:alert(1)'));
    expect(await card.locator(".doc-name").textContent()).toContain("onerror");
    expect(await log(joao).locator("img, b, script").count()).toBe(0);
    expect(await log(joao).locator('a[href^="javascript"]').count()).toBe(0);
    expect(await joao.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it("R9: a voice note is recorded with a running timer, played back, sent, and played by the other side", async () => {
    const carla = await personWith("carla", "joa", "João Pereira");
    const joao = await personWith("joao", "car", "Carla Dias");

    await carla.getByRole("button", { name: "Gravar áudio" }).click();
    const timer = carla.getByRole("timer", { name: "Gravando" });
    await visible(timer);
    await expect.poll(() => timer.textContent(), { timeout: 10_000 }).toBe("0:02");
    await carla.getByRole("button", { name: "Parar" }).click();

    const preview = carla.getByRole("region", { name: "Prévia do anexo" });
    const player = preview.getByRole("group", { name: "Mensagem de voz" });
    await visible(player);
    expect(await player.locator(".voice-time").textContent()).toMatch(/^0:00 \/ 0:0[23]$/);
    await player.getByRole("button", { name: "Reproduzir" }).click();
    await expect
      .poll(() => player.locator("progress").evaluate((p: HTMLProgressElement) => p.value), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await visible(preview.getByRole("button", { name: "Descartar áudio" }));
    await preview.getByRole("button", { name: "Enviar" }).click();
    await expect.poll(() => preview.count()).toBe(0);

    const mine = log(carla).getByRole("group", { name: "Mensagem de voz" });
    await visible(mine);
    const theirs = log(joao).getByRole("group", { name: "Mensagem de voz" });
    await visible(theirs);
    expect(await theirs.locator(".voice-time").textContent()).toMatch(/^0:00 \/ 0:0[23]$/);
    await theirs.getByRole("button", { name: "Reproduzir" }).click();
    await expect
      .poll(() => theirs.locator("progress").evaluate((p: HTMLProgressElement) => p.value), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await joao.screenshot({ path: `${SHOTS}/messaging-voice.png` });
  });

  it("R10: reply shows the quote and jumps to the original, forward marks the copy, delete-own shows 'Mensagem apagada' live", async () => {
    const marina = await personWith("marina", "raf", "Rafael Ângelo");
    const rafael = await personWith("rafael", "mar", "Marina Conceição");

    await send(marina, "qual o protocolo do cliente?");
    await visible(bubble(rafael, "qual o protocolo do cliente?"));
    await act(rafael, "qual o protocolo do cliente?", "Responder");
    await visible(rafael.locator(".reply-bar", { hasText: "qual o protocolo do cliente?" }));
    await send(rafael, "é o 4521, veja https://exemplo.com/p/4521");
    const reply = bubble(marina, "é o 4521");
    await visible(reply.getByRole("button", { name: /Ver mensagem original/ }));
    const link = reply.getByRole("link", { name: "https://exemplo.com/p/4521" });
    await visible(link);
    expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await link.getAttribute("target")).toBe("_blank");
    await reply.getByRole("button", { name: /Ver mensagem original/ }).click();
    await visible(marina.locator("li.msg.highlight", { hasText: "qual o protocolo do cliente?" }));

    // Menu by keyboard: Escape closes it and gives focus back to "⋮".
    const menuButton = exactly(marina, "qual o protocolo do cliente?").getByRole("button", { name: "Ações da mensagem" });
    await menuButton.click();
    await expect
      .poll(() => marina.getByRole("menuitem").allTextContents())
      .toEqual(["Copiar", "Responder", "Encaminhar", "Reagir", "Editar", "Informações da mensagem", "Deletar"]);
    await marina.keyboard.press("Escape");
    await expect.poll(() => marina.getByRole("menu").count()).toBe(0);
    await expect.poll(() => menuButton.evaluate((el) => el === document.activeElement)).toBe(true);
    // Someone else's message has no "Editar", "Informações da mensagem" or "Deletar".
    await exactly(marina, "é o 4521, veja https://exemplo.com/p/4521").getByRole("button", { name: "Ações da mensagem" }).click();
    await expect.poll(() => marina.getByRole("menuitem").allTextContents()).toEqual(["Copiar", "Responder", "Encaminhar", "Reagir"]);
    await marina.getByRole("menuitem", { name: "Copiar" }).click();
    expect(await marina.evaluate(() => navigator.clipboard.readText())).toBe("é o 4521, veja https://exemplo.com/p/4521");

    // Forward to Ana, who has never talked to Marina: she gets it marked "Encaminhada".
    await act(marina, "é o 4521, veja https://exemplo.com/p/4521", "Encaminhar");
    const dialog = marina.getByRole("dialog", { name: "Encaminhar mensagem para…" });
    await dialog.getByLabel("Pesquisar conversas e contatos").fill("ana");
    await dialog.getByRole("checkbox", { name: /Ana Souza/ }).check();
    await marina.screenshot({ path: `${SHOTS}/messaging-forward.png` });
    await dialog.getByRole("button", { name: /Encaminhar/ }).click();
    await visible(marina.getByRole("status").filter({ hasText: "Mensagem encaminhada" }));
    const ana = await personWith("ana", "mar", "Marina Conceição");
    await visible(bubble(ana, "é o 4521").locator(".msg-forwarded", { hasText: "Encaminhada" }));

    // Delete own: Rafael sees it go, live.
    // The app's own question (never the browser's confirm(), which an embedding frame can silence); "Cancelar" keeps it.
    marina.on("dialog", (d) => expect.fail(`a browser dialog opened: ${d.message()}`));
    await act(marina, "qual o protocolo do cliente?", "Deletar");
    const ask = marina.getByRole("alertdialog", { name: "Apagar esta mensagem para todos?" });
    await ask.getByRole("button", { name: "Cancelar" }).click();
    await gone(ask);
    await visible(exactly(marina, "qual o protocolo do cliente?"));
    await act(marina, "qual o protocolo do cliente?", "Deletar");
    await ask.getByRole("button", { name: "Deletar" }).click();
    await visible(log(rafael).locator(".msg-gone", { hasText: "Mensagem apagada" }));
    await visible(log(marina).locator(".msg-gone", { hasText: "Mensagem apagada" }));
    // The reply's quote no longer shows what was deleted.
    await visible(exactly(rafael, "é o 4521, veja https://exemplo.com/p/4521").locator(".quote", { hasText: "Mensagem apagada" }));
    await expect.poll(() => exactly(rafael, "qual o protocolo do cliente?").count()).toBe(0);
    await rafael.screenshot({ path: `${SHOTS}/messaging-deleted.png` });
  });

  it("R10: clicking a quote whose original is pages back loads it (history.around) and highlights it", async () => {
    const joao = await rawChat("joao", "marina");
    joao.send({ type: "message.send", clientId: "far-original-1", text: "original bem antiga" });
    const original = await joao.next("message.ack", (f) => f.clientId === "far-original-1");
    for (let i = 1; i <= 70; i++) joao.send({ type: "message.send", clientId: `far-filler-${i}`, text: `enchimento ${i}` });
    await joao.next("message.ack", (f) => f.clientId === "far-filler-70");
    joao.send({ type: "message.send", clientId: "far-reply-1", text: "respondendo à antiga", replyTo: original.message.seq });
    await joao.next("message.ack", (f) => f.clientId === "far-reply-1");
    joao.ws.close();

    const marina = await personWith("marina", "joa", "João Pereira");
    await visible(bubble(marina, "respondendo à antiga"));
    await expect.poll(() => exactly(marina, "original bem antiga").count()).toBe(0);
    await bubble(marina, "respondendo à antiga")
      .getByRole("button", { name: /Ver mensagem original/ })
      .click();
    const target = exactly(marina, "original bem antiga").and(marina.locator("li.highlight"));
    await visible(target);
    await expect.poll(() => target.evaluate(inView)).toBe(true);
  });

  it("R9: drafts are private: another user's drafts doc refuses the upgrade, the owner's accepts it", async () => {
    const tokenOf = async (login: string) =>
      (
        (await (
          await fetch(`${e2e.app.server.base}/api/login`, {
            method: "POST",
            body: JSON.stringify({ tenant: "demo", login, password: DEMO_PASSWORD }),
          })
        ).json()) as { token: string }
      ).token;
    const upgrade = (room: string, token: string) =>
      new Promise<number | "open">((resolve) => {
        const ws = new WebSocket(`${e2e.app.server.wsBase}/parties/drafts/${room}`, authProtocols(token));
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.on("open", () => {
          ws.close();
          resolve("open");
        });
      });
    const ana = await tokenOf("ana");
    expect(await upgrade("demo.bruno", ana)).toBe(403);
    expect(await upgrade("demo.ana", "not-a-token")).toBe(401);
    expect(await upgrade("demo.ana", ana)).toBe("open");
  });

  it("R9: a draft typed in one tab appears in another tab of the same user, survives a reload, shows 'Rascunho', and sending clears it", async () => {
    const context = await newContext();
    const first = await newPage(context);
    await signIn(first, "bruno");
    await openChatWith(first, "ana", "Ana Souza");
    const second = await newPage(context);
    await second.goto(`${e2e.app.server.base}/?empresa=demo`);
    await visible(second.getByRole("button", { name: "Sair" }));

    await first.getByLabel("Mensagem", { exact: true }).fill("rascunho que segue");
    const row = listRow(second, "Ana Souza");
    await visible(row.locator(".row-draft", { hasText: "Rascunho" }));
    await expect.poll(() => row.textContent()).toContain("rascunho que segue");
    await row.click();
    await expect.poll(() => second.getByLabel("Mensagem", { exact: true }).inputValue()).toBe("rascunho que segue");
    await second.screenshot({ path: `${SHOTS}/messaging-draft.png` });

    await second.reload();
    await visible(second.getByRole("button", { name: "Sair" }));
    await openFromList(second, "Ana Souza");
    await expect.poll(() => second.getByLabel("Mensagem", { exact: true }).inputValue()).toBe("rascunho que segue");

    // The picker inserts at the cursor; then sending clears the draft everywhere.
    const box = second.getByLabel("Mensagem", { exact: true });
    await box.press("End");
    await second.getByRole("button", { name: "Emojis" }).click();
    const picker = second.locator("emoji-picker");
    await visible(picker);
    await picker.locator("input").fill("sorriso");
    await picker.locator('[role="option"][id^="emo-"]').first().click();
    await expect.poll(() => box.inputValue()).not.toBe("rascunho que segue");
    const withEmoji = await box.inputValue();
    expect(withEmoji.startsWith("rascunho que segue")).toBe(true);
    await second.keyboard.press("Escape");
    await box.press("Enter");
    await visible(sent(second, withEmoji));
    await expect.poll(() => first.getByLabel("Mensagem", { exact: true }).inputValue()).toBe("");
    await expect.poll(() => first.getByRole("list", { name: "Conversas" }).locator(".row-draft").count()).toBe(0);
  });
});
