/**
 * The web client in Debian's Chromium against the real runtime (R1, R6,
 * R8, R9): sign-in through the form, contact search, a live 1:1 conversation
 * between two people, history after a reload, messages written while the server
 * is down delivered once and in order, and two tabs of one user in sync.
 */
import { describe, expect, it } from "vitest";
import { browserSuite, visible } from "./support";
import { bubble, log, openChatWith, openFromList } from "./people";
import { type Page } from "playwright-core";
import WebSocket from "ws";
import { DEMO_PASSWORD } from "../../scripts/seed.mjs";
import { LOGIN_REFUSAL } from "../../party/domain/directory";
import { authProtocols } from "../support/clients";

/** Stored by the room: ✓ "Enviada", or already ✓✓ "Entregue" / "Lida" (issue 17.1). */
const STORED = /^(Enviada|Entregue|Lida)$/;

const e2e = browserSuite("chat", { viewport: { width: 1100, height: 720 } });
const { newContext, newPage, signIn } = e2e;

const texts = (page: Page) => log(page).locator(".msg-text").allTextContents();

async function send(page: Page, text: string) {
  const box = page.getByLabel("Mensagem", { exact: true });
  await box.fill(text);
  await box.press("Enter");
}

/** Writes `count` messages from one demo user to another straight through the chat room, as fast as it acknowledges. */
async function writeMessages(from: string, to: string, count: number) {
  const res = await fetch(`${e2e.app.server.base}/api/login`, {
    method: "POST",
    body: JSON.stringify({ tenant: "demo", login: from, password: DEMO_PASSWORD }),
  });
  const { token } = (await res.json()) as { token: string };
  const chatId = [from, to].sort().join(".");
  const ws = new WebSocket(`${e2e.app.server.wsBase}/parties/chat/demo.dm.${chatId}`, authProtocols(token));
  await new Promise<void>((resolve, reject) => {
    let acked = 0;
    ws.on("error", reject);
    ws.on("message", (data) => {
      const got = JSON.parse(String(data)) as { type: string; frames?: { type: string }[] };
      for (const frame of got.type === "frames" ? got.frames! : [got]) {
        if (frame.type === "chat.ready") {
          for (let i = 1; i <= count; i++)
            ws.send(JSON.stringify({ type: "message.send", clientId: `bulk-${from}-${i}`, text: `mensagem ${i}` }));
        } else if (frame.type === "message.ack" && ++acked === count) resolve();
        else if (frame.type === "error") reject(new Error(String(data)));
      }
    });
  });
  ws.close();
}

describe("web client", () => {
  it("R1, R6, R8: two people sign in, find each other, talk live, and find the history after a reload", async () => {
    const ana = await newPage(await newContext());
    const bruno = await newPage(await newContext());
    await ana.goto(`${e2e.app.server.base}/?empresa=demo`);
    expect(await ana.getByLabel("Empresa", { exact: true }).inputValue()).toBe("demo");
    await signIn(ana, "ana");
    await signIn(bruno, "bruno");
    await visible(bruno.getByText("Nenhuma conversa ainda"));

    // R4: the search starts at the 3rd character.
    await ana.getByLabel("Pesquisar", { exact: true }).fill("br");
    await visible(ana.getByText("Nenhuma conversa ainda"));
    await openChatWith(ana, "bru", "Bruno Lima");
    await expect.poll(() => ana.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Mensagem");

    const hello = "Olá Bruno! 👋 Tudo bem?";
    await send(ana, hello);
    await visible(bubble(ana, hello).getByRole("img", { name: STORED }));

    // Bruno's list shows the conversation live, with the preview and today's time.
    const row = bruno.getByRole("button", { name: /Ana Souza/ });
    await visible(row);
    expect(await row.textContent()).toContain(hello);
    expect(await row.textContent()).toMatch(/\d\d:\d\d/);
    await row.click();
    await visible(bubble(bruno, hello));

    const reply = "Tudo ótimo, Ana 😄\nE você?";
    await bruno.getByLabel("Mensagem", { exact: true }).fill(reply);
    await bruno.getByRole("button", { name: "Enviar" }).click();
    await visible(bubble(ana, "Tudo ótimo, Ana 😄"));
    expect(await texts(ana)).toEqual([hello, reply]);
    expect(await bubble(ana, hello).getAttribute("class")).toContain("mine");
    expect(await bubble(ana, "Tudo ótimo").getAttribute("class")).not.toContain("mine");

    for (const [page, peer] of [
      [ana, "Bruno Lima"],
      [bruno, "Ana Souza"],
    ] as const) {
      await page.reload();
      // After a reload the chat in the address (R31) is open again; pick it from the list.
      await openFromList(page, peer);
      await visible(bubble(page, "Tudo ótimo"));
      expect(await texts(page)).toEqual([hello, reply]);
      expect(await log(page).locator(".day").allTextContents()).toEqual(["Hoje"]);
    }
    await visible(ana.getByRole("status").filter({ hasText: "Conectado" }));
    await ana.screenshot({ path: "/tmp/conversas-chat.png" });
  });

  it("nothing is lost: messages written while the server is down show as pending and arrive once, in order", async () => {
    const ana = await newPage(await newContext());
    const bruno = await newPage(await newContext());
    await signIn(ana, "ana");
    await signIn(bruno, "bruno");
    await openChatWith(ana, "bru", "Bruno Lima");
    await openChatWith(bruno, "ana s", "Ana Souza");
    await visible(ana.getByRole("status").filter({ hasText: "Conectado" }));

    // Chromium keeps WebSockets open under offline emulation, so the server really goes away.
    const { port, persist, secrets } = e2e.app.server;
    await e2e.app.server.stop();
    await visible(ana.getByRole("status").filter({ hasText: "Reconectando…" }));
    await send(ana, "fora do ar 1");
    await send(ana, "fora do ar 2");
    await visible(bubble(ana, "fora do ar 1").getByRole("img", { name: "Enviando" }));
    await visible(bubble(ana, "fora do ar 2").getByRole("img", { name: "Enviando" }));

    await e2e.app.startServer({ port, persist, secrets });
    await visible(bubble(ana, "fora do ar 2").getByRole("img", { name: STORED }), 30_000);
    await visible(bubble(ana, "fora do ar 1").getByRole("img", { name: STORED }));
    await visible(bubble(bruno, "fora do ar 2"), 30_000);
    const seen = (await texts(bruno)).filter((t) => t.startsWith("fora do ar"));
    expect(seen).toEqual(["fora do ar 1", "fora do ar 2"]);

    // What the server stored, read fresh: each message once, in order.
    await bruno.reload();
    await openFromList(bruno, "Ana Souza");
    await visible(bubble(bruno, "fora do ar 2"));
    expect((await texts(bruno)).filter((t) => t.startsWith("fora do ar"))).toEqual(["fora do ar 1", "fora do ar 2"]);
    expect(
      await ana.evaluate(() =>
        Object.keys(localStorage).filter((k) => k.startsWith("conversas.outbox.") && localStorage.getItem(k) !== "[]"),
      ),
    ).toEqual([]);
  });

  /**
   * Ana's 1:1 with Bruno, the texts `waiting` in it, left by an earlier release (its outbox stored whole, under one key),
   * with the origin's storage filled to the last few bytes too when `full`; after a reload each is stored once, in
   * order, and no outbox key is left.
   */
  async function oldOutboxGoes(waiting: string[], full: boolean): Promise<Page> {
    const ana = await newPage(await newContext());
    await signIn(ana, "ana");
    await openChatWith(ana, "bru", "Bruno Lima");
    await visible(ana.getByRole("status").filter({ hasText: "Conectado" }));
    const filled = await ana.evaluate(
      ({ waiting, full }) => {
        const now = Date.now();
        const entries = waiting.map((text, i) => ({
          chatId: "dm.ana.bruno",
          clientId: `anterior${i}${now}`,
          text,
          createdAt: now,
          status: "pending",
        }));
        localStorage.setItem("conversas.outbox.demo.ana", JSON.stringify(entries));
        // No entry of its own fits any more.
        let n = 0;
        for (let size = 1 << 20; full && size >= 8; size >>= 1)
          for (;;) {
            try {
              localStorage.setItem(`enchimento${n++}`, "x".repeat(size));
            } catch {
              break;
            }
          }
        return n;
      },
      { waiting, full },
    );
    if (full) expect(filled).toBeGreaterThan(10);
    await ana.reload();
    await openFromList(ana, "Bruno Lima");
    for (const text of waiting) await visible(bubble(ana, text).getByRole("img", { name: STORED }), 30_000);
    await expect
      .poll(() => ana.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("conversas.outbox."))), { timeout: 5_000 })
      .toEqual([]);
    expect((await texts(ana)).filter((t) => waiting.includes(t))).toEqual(waiting);
    return ana;
  }

  it("issue 15: messages an earlier release left waiting (its outbox stored whole, under one key) still go, once, after the update", async () => {
    await oldOutboxGoes(["da versão anterior 1", "da versão anterior 2"], false);
  });

  it("issue 15: with the browser's storage full, what an earlier release left waiting still goes, once, and nothing is left behind", async () => {
    const sent = ["sem espaço 1", "sem espaço 2"];
    const ana = await oldOutboxGoes(sent, true);
    // Started again, nothing goes twice.
    await ana.evaluate(() => Object.keys(localStorage).forEach((k) => k.startsWith("enchimento") && localStorage.removeItem(k)));
    await ana.reload();
    await openFromList(ana, "Bruno Lima");
    await visible(bubble(ana, sent[1]!));
    await ana.waitForTimeout(1_000);
    expect((await texts(ana)).filter((t) => sent.includes(t))).toEqual(sent);
  });

  it("signing out with messages still waiting asks first; discarding leaves nothing in this browser and nothing arrives", async () => {
    const joao = await newPage(await newContext());
    await signIn(joao, "joao");
    await openChatWith(joao, "mari", "Marina Conceição");
    await visible(joao.getByRole("status").filter({ hasText: "Conectado" }));
    const { port, persist, secrets } = e2e.app.server;
    await e2e.app.server.stop();
    await visible(joao.getByRole("status").filter({ hasText: "Reconectando…" }));
    await send(joao, "rascunho que não deve sair");
    await visible(bubble(joao, "rascunho que não deve sair").getByRole("img", { name: "Enviando" }));

    await joao.getByRole("button", { name: "Sair" }).click();
    const ask = joao.getByRole("alertdialog", { name: "1 mensagem ainda não foi enviada" });
    await visible(ask);
    // "Cancelar" keeps the session and the message.
    await ask.getByRole("button", { name: "Cancelar" }).click();
    await visible(bubble(joao, "rascunho que não deve sair"));
    await joao.getByRole("button", { name: "Sair" }).click();
    await visible(ask);
    await ask.getByRole("button", { name: "Sair e descartar" }).click();
    await visible(joao.getByRole("button", { name: "Entrar" }));
    expect(
      await joao.evaluate(() =>
        Object.keys(localStorage).filter((k) => k.startsWith("conversas.outbox.") && localStorage.getItem(k) !== "[]"),
      ),
    ).toEqual([]);

    await e2e.app.startServer({ port, persist, secrets });
    await signIn(joao, "joao", { at: null });
    await openChatWith(joao, "mari", "Marina Conceição");
    await visible(joao.getByRole("status").filter({ hasText: "Conectado" }));
    await joao.waitForTimeout(1000);
    expect(await texts(joao)).not.toContain("rascunho que não deve sair");
  });

  it("R1: a wrong password shows the refusal and stays on the sign-in form", async () => {
    const page = await newPage(await newContext());
    await page.goto(`${e2e.app.server.base}/?empresa=demo`);
    await page.getByLabel("Login", { exact: true }).fill("ana");
    await page.getByLabel("Senha", { exact: true }).fill("senha-errada");
    await page.getByRole("button", { name: "Entrar" }).click();
    const alert = page.getByRole("alert");
    await visible(alert);
    expect(await alert.textContent()).toBe(LOGIN_REFUSAL);
    expect(await page.getByRole("button", { name: "Entrar" }).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Sair" }).count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem("conversas.session"))).toBeNull();
  });

  it("two tabs of the same user stay in sync", async () => {
    const context = await newContext();
    const first = await newPage(context);
    await signIn(first, "ana");
    const second = await newPage(context);
    await second.goto(e2e.app.server.base);
    await visible(second.getByRole("button", { name: "Sair" }));
    await openChatWith(first, "car", "Carla Dias");
    await openChatWith(second, "carla", "Carla Dias");
    await send(first, "Escrito na primeira aba ✅");
    await visible(bubble(second, "Escrito na primeira aba ✅"));
    await visible(second.getByRole("button", { name: /Carla Dias/ }).filter({ hasText: "Escrito na primeira aba" }));
    expect(await bubble(second, "Escrito na primeira aba").count()).toBe(1);

    // Signing out in one tab signs out the other.
    await first.getByRole("button", { name: "Sair" }).click();
    await visible(first.getByRole("button", { name: "Entrar" }));
    await visible(second.getByRole("button", { name: "Entrar" }));
  });

  it("R8: a long chat opens with its newest page and loads older pages at the top without moving the view", async () => {
    await writeMessages("marina", "rafael", 120);
    const rafael = await newPage(await newContext());
    await signIn(rafael, "rafael");
    await openChatWith(rafael, "mari", "Marina Conceição");
    await visible(bubble(rafael, "mensagem 120"));
    // Only the newest page is rendered.
    expect(await log(rafael).locator("li.msg").count()).toBe(50);
    expect((await texts(rafael))[0]).toBe("mensagem 71");

    const history = rafael.locator(".history");
    const top = async () => (await bubble(rafael, "mensagem 71").boundingBox())!.y;
    // Where "mensagem 71" sits once scrolled to the very top; it must stay there as the older page is prepended.
    const expected = (await top()) + (await history.evaluate((el) => el.scrollTop));
    await rafael.evaluate(() => {
      const w = window as unknown as { sawLoading: boolean };
      w.sawLoading = false;
      new MutationObserver(() => {
        if (document.querySelector('.history [role="status"]')?.textContent === "Carregando…") w.sawLoading = true;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await history.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(() => log(rafael).locator("li.msg").count()).toBe(100);
    expect(await rafael.evaluate(() => (window as unknown as { sawLoading: boolean }).sawLoading)).toBe(true);
    expect(Math.abs((await top()) - expected)).toBeLessThan(2);

    await history.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(() => log(rafael).locator("li.msg").count()).toBe(120);
    await visible(rafael.getByText("Início da conversa"));
    const all = await texts(rafael);
    expect(all).toEqual(Array.from({ length: 120 }, (_, i) => `mensagem ${i + 1}`));
  });

  it("the pages raised no script errors", () => {
    expect(e2e.pageErrors).toEqual([]);
  });
});
