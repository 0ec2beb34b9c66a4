/**
 * Accessibility findings from axe-core (issue 17, item 10), in Debian's Chromium:
 * the sign-in, a chat with messages, a picture and a voice note, the group's data
 * panel and the calls tab each have one <main> and one <h1>, and axe-core (injected
 * into the page from node_modules) finds no serious or critical violation.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserSuite, visible } from "./support";
import { bubble, dm, openChatWith, png, writer, openFromList } from "./people";

const e2e = browserSuite("a11y", { viewport: { width: 1280, height: 800 } });
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
    await openFromList(page, "Projeto Atlas");
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
