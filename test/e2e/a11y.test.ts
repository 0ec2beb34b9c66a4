/**
 * Accessibility findings from axe-core (issue 17, item 10), in Debian's Chromium:
 * the sign-in, a chat with messages, a picture and a voice note, the group's data
 * panel and the calls tab each have one <main> and one <h1>, and axe-core (injected
 * into the page from node_modules) finds no serious or critical violation. So do
 * the sign-in with "Entrar com a conta da empresa" and every screen of
 * "Administração" with its pop-ups (issue 18).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserSuite, visible } from "./support";
import { bubble, dm, openChatWith, png, writer, openFromList } from "./people";
import { startProvider, type TestProvider } from "../support/oidc";

// Issue 18.1: the company's identity provider on 127.0.0.1 (http), for the sign-in's "Entrar com a conta da empresa".
const e2e = browserSuite("a11y", { viewport: { width: 1280, height: 800 }, vars: () => ({ CONVERSAS_SSO_ALLOW_HTTP: "1" }) });
const { newPage, signIn } = e2e;
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

type Finding = { id: string; impact: string; help: string; nodes: string[] };

/** The findings the issue names: reported at any impact (axe rates some "moderate", and one is experimental, so off by default). */
const NAMED = ["landmark-one-main", "page-has-heading-one", "landmark-unique", "label-content-name-mismatch"];

/** Runs axe-core on the page as it is now; the serious and critical findings, and any of the named ones, readable. */
async function axeFindings(page: Page): Promise<Finding[]> {
  // Evaluated through the DevTools protocol: the app's CSP (issue 12.6) rightly refuses an injected inline <script>.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(readFileSync(AXE, "utf8"));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"], rules: { "label-content-name-mismatch": { enabled: true } } });
    return result.violations.map((v) => ({
      id: v.id as string,
      impact: v.impact as string,
      help: v.help as string,
      nodes: (v.nodes as { target: string[] }[]).map((n) => n.target.join(" ")),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical" || NAMED.includes(v.id));
}

async function expectAccessible(page: Page, screen: string) {
  expect([screen, await page.locator("main").count(), await page.locator("h1").count()]).toEqual([screen, 1, 1]);
  expect([screen, await axeFindings(page)]).toEqual([screen, []]);
}

describe("accessibility (axe-core)", () => {
  it("issue 17: sign-in, chat, group panel and calls tab: one <main>, one <h1>, no serious or critical axe violation", async () => {
    const page = await newPage();
    await page.goto(`${e2e.app.server.base}/?empresa=demo`);
    await visible(page.getByLabel("Login", { exact: true }));
    await expectAccessible(page, "sign-in");

    // A chat with text, a picture, a voice note, a reply and a long message.
    const bruno = await writer(e2e, "bruno");
    const chat = dm("ana", "bruno");
    await bruno.text(chat, "Bom dia, Ana! Segue o relatório.");
    await bruno.file(chat, png(400, 300), "grafico.png", "image/png", { caption: "o gráfico de vendas" });
    await bruno.file(chat, Buffer.from("OggS-not-really-audio"), "audio.webm", "audio/webm", { voiceMs: 3000 });
    await bruno.text(chat, Array.from({ length: 40 }, (_, i) => `item ${i + 1}`).join("\n"));
    await signIn(page, "ana", { at: null });
    await expectAccessible(page, "chat list");
    await openChatWith(page, "bru", "Bruno Lima");
    await visible(bubble(page, "item 40"));
    await expectAccessible(page, "chat");
    await page.getByRole("button", { name: "Dados do contato" }).click();
    await visible(page.getByRole("complementary", { name: "Dados do contato" }));
    await expectAccessible(page, "contact panel");

    // A group and its data panel.
    const res = await fetch(`${e2e.app.server.base}/api/tenants/demo/groups`, {
      method: "POST",
      headers: { authorization: `Bearer ${bruno.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Projeto Atlas 🚀", members: ["ana", "carla"] }),
    });
    expect(res.status).toBe(201);
    const { chatId } = (await res.json()) as { chatId: string };
    await bruno.text(chatId, "Reunião às 15h");
    await openFromList(page, "Projeto Atlas 🚀");
    await visible(bubble(page, "Reunião às 15h"));
    // The side panel stays open from one chat to the next: now it shows the group's data.
    expect(await page.getByRole("button", { name: "Dados do grupo" }).getAttribute("aria-expanded")).toBe("true");
    const panel = page.getByRole("complementary", { name: "Dados do grupo" });
    await visible(panel.getByRole("button", { name: "Mudar imagem do grupo" }));
    await expectAccessible(page, "group panel");
    await page.screenshot({ path: "/tmp/a11y-group-panel.png" });

    // The calls tab, with its two searches.
    await page.getByRole("tab", { name: /Chamadas/ }).click();
    await visible(page.getByRole("button", { name: "Discador" }));
    await expectAccessible(page, "calls tab");
    await page.getByRole("button", { name: "Discador" }).click();
    await visible(page.getByLabel("Número para ligar"));
    await expectAccessible(page, "calls tab with the dialer");
  });
});

describe("accessibility of issue 18's screens (axe-core)", () => {
  let idp: TestProvider | undefined;
  afterAll(async () => {
    await idp?.stop();
  });

  it("issue 18.1, 18.3–18.6: the sign-in with 'Entrar com a conta da empresa' and every screen and pop-up of 'Administração': one <main>, one <h1>, no serious or critical axe violation", async () => {
    const base = e2e.app.server.base;
    const platform = { authorization: `Bearer ${e2e.app.server.adminKey!}`, "content-type": "application/json" };
    idp = await startProvider(`${base}/api/tenants/demo/sso/callback`);
    const sso = await fetch(`${base}/api/tenants/demo/sso`, {
      method: "PUT",
      headers: platform,
      body: JSON.stringify({
        enabled: true,
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        passwordSignIn: true,
      }),
    });
    expect(sso.status).toBe(200);
    const admin = await fetch(`${base}/api/tenants/demo/users/ana`, {
      method: "PATCH",
      headers: platform,
      body: JSON.stringify({ admin: true }),
    });
    expect(admin.status).toBe(200);

    const page = await newPage();
    await page.goto(`${base}/?empresa=demo`);
    await visible(page.getByRole("link", { name: "Entrar com a conta da empresa" }));
    await expectAccessible(page, "sign-in with the company's account");

    await signIn(page, "ana", { at: null });
    await page.getByRole("button", { name: "Menu do usuário" }).click();
    await page.getByRole("menuitem", { name: "Administração" }).click();
    await visible(page.getByRole("button", { name: "Abrir Bruno Lima" }));
    await expectAccessible(page, "Administração: users");
    await page.getByRole("button", { name: "Abrir Bruno Lima" }).click();
    await visible(page.getByRole("region", { name: "Bruno Lima" }));
    await expectAccessible(page, "Administração: a user's data");

    await page.getByRole("button", { name: "Novo usuário" }).click();
    const create = page.getByRole("dialog", { name: "Novo usuário" });
    await create.getByRole("button", { name: "Criar usuário" }).click();
    await visible(create.getByRole("alert"));
    expect([await page.locator("main").count(), await page.locator("h1").count()]).toEqual([1, 1]);
    expect(["new user with errors", await axeFindings(page)]).toEqual(["new user with errors", []]);
    await page.keyboard.press("Escape");
    for (const [button, dialog] of [
      ["Redefinir senha", /Redefinir senha/],
      ["Credenciais do ramal", /Credenciais do ramal/],
    ] as const) {
      await page.getByRole("region", { name: "Bruno Lima" }).getByRole("button", { name: button }).click();
      await visible(page.getByRole("dialog", { name: dialog }));
      expect([button, await axeFindings(page)]).toEqual([button, []]);
      await page.keyboard.press("Escape");
    }
    await page.getByRole("button", { name: "Apagar dados" }).click();
    await visible(page.getByRole("alertdialog"));
    expect(["erase question", await axeFindings(page)]).toEqual(["erase question", []]);
    await page.keyboard.press("Escape");

    for (const [tab, ready] of [
      ["Auditoria", page.getByRole("table", { name: "Eventos da auditoria" })],
      ["Exportação", page.getByRole("button", { name: "Exportar conversa" })],
      ["Retenção", page.getByText("Hoje: tudo é guardado para sempre.")],
      ["Conta da empresa (SSO)", page.getByLabel("Emissor (issuer)")],
    ] as const) {
      await page.getByRole("tab", { name: tab }).click();
      await visible(ready);
      await expectAccessible(page, `Administração: ${tab}`);
    }
  });
});
