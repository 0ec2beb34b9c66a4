/**
 * A customer conversation shared from Atendimento (R30) and a sign-in link (R31)
 * in Debian's Chromium against the real runtime (`wrangler dev`): Bruno has his chat with
 * Ana open when the platform's signed webhook shares a WhatsApp attendance from
 * Ana; the card arrives live, hostile transcript text shows as text, "Ver
 * Histórico Completo" lists every line and closes with Escape (focus back on the
 * button), Bruno answers with "Responder" and Ana's browser gets the reply quoting
 * the card. Then a one-time link signs Carla in at `/c/<chatId>`, and the same
 * link a second time lands on the sign-in form with the clear message.
 */
import { describe, expect, it } from "vitest";
import { type Page } from "playwright-core";
import { postShare } from "../support/webhook";
import { browserSuite, gone, visible } from "./support";

const e2e = browserSuite("share");
const log = (page: Page) => page.getByRole("log", { name: "Mensagens" });
/** A page of its own, before anyone signs in. */
const blankPage = () => e2e.newPage();

async function person(login: string): Promise<Page> {
  const page = await blankPage();
  await e2e.signIn(page, login);
  return page;
}

async function openChatWith(page: Page, query: string, name: string) {
  await page.getByLabel("Pesquisar", { exact: true }).fill(query);
  await page.getByRole("button", { name: new RegExp(name) }).click();
  await visible(page.getByRole("heading", { name, level: 2 }));
}

/** Shares stored so far in this file (a retry's card is the next one). */
let shares = 0;
const HOSTILE = `<img src=x onerror="window.__xss=1">`;
const PROTOCOL = "20261125-0042";
const LINES = [
  { from: "customer", author: "Maria Oliveira", text: "Olá, meu pedido 881 não chegou", at: "2026-11-25T09:00:05Z" },
  { from: "bot", text: "Um atendente já vai falar com você", at: "2026-11-25T09:00:06Z" },
  { from: "agent", author: "Ana", text: "Bom dia, Maria! Vou verificar.", at: "2026-11-25T09:01:00Z" },
  { from: "customer", text: HOSTILE, at: "2026-11-25T09:02:00Z" },
  {
    from: "customer",
    media: { url: "https://cdn.example.com/nota-881.jpg", type: "image/jpeg", name: "nota-881.jpg" },
    at: "2026-11-25T09:03:00Z",
  },
  { from: "agent", text: "A transportadora diz que saiu ontem", at: "2026-11-25T09:04:00Z" },
  { from: "customer", text: "Mas o rastreio está parado", at: "2026-11-25T09:05:00Z" },
  { from: "agent", text: "Vou pedir ajuda a um colega", at: "2026-11-25T09:06:00Z" },
];

/** What the contact-center platform does: a signed POST with the company's webhook secret. */
const webhookShare = (body: unknown) =>
  postShare(e2e.app.server.base, e2e.app.server.secrets.CONVERSAS_WEBHOOK_SECRET!, body, { tenant: "demo" });

/** A one-time sign-in link (R31) for `userId` to `to`, as the attendance screens ask for it. */
async function issueLink(userId: string, to: string): Promise<string> {
  const issued = await fetch(`${e2e.app.server.base}/api/tenants/demo/links`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${e2e.app.server.adminKey}` },
    body: JSON.stringify({ userId, to }),
  });
  expect(issued.status).toBe(201);
  return ((await issued.json()) as { url: string }).url;
}

describe("sharing an attendance in the browser", () => {
  it("R30: a webhook share arrives live in Bruno's open chat; the full history shows every line; his reply reaches Ana", async () => {
    // A retry shares again under a new id (the first try's share is stored, and a replay of its id is a 200),
    // and looks at the card and reply of its own try.
    const answer = `Falei com a transportadora: entrega amanhã${shares ? ` (${shares})` : ""}`;
    const [ana, bruno] = await Promise.all([person("ana"), person("bruno")]);
    await openChatWith(bruno, "ana", "Ana Souza");
    await openChatWith(ana, "bru", "Bruno Lima");

    const res = await webhookShare({
      shareId: `e2e-share-${shares + 1}`,
      sharedBy: "ana",
      to: { type: "user", id: "bruno" },
      note: "Bruno, consegue ver com a transportadora?",
      attendance: {
        protocol: PROTOCOL,
        channel: "whatsapp",
        customer: { name: "Maria Oliveira", phone: "+55 11 99999-0000" },
        startedAt: "2026-11-25T09:00:00Z",
        messages: LINES,
      },
    });
    expect(res.status, res.text).toBe(201);
    shares += 1;

    // The card, live: channel, protocol, customer, the last lines and the note.
    const card = log(bruno)
      .getByRole("region", { name: `Atendimento compartilhado: protocolo ${PROTOCOL}, cliente Maria Oliveira` })
      .nth(shares - 1);
    await visible(card);
    await visible(card.getByRole("img", { name: "WhatsApp" }));
    await visible(card.getByText(PROTOCOL));
    await visible(card.getByText("Bruno, consegue ver com a transportadora?"));
    await visible(card.getByText("Vou pedir ajuda a um colega"));
    await visible(card.getByText("e mais 3 mensagens anteriores"));
    // Hostile text is text: shown as typed, never as an element.
    await visible(card.getByText(HOSTILE));
    expect(await bruno.locator("img[src=x]").count()).toBe(0);
    expect(await bruno.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    // "Ver Histórico Completo": every line, sides told apart, media as a safe link; Escape closes, focus returns.
    const open = card.getByRole("button", { name: "Ver Histórico Completo" });
    await open.click();
    const dialog = bruno.getByRole("dialog", { name: `Histórico do atendimento — Protocolo ${PROTOCOL}` });
    await visible(dialog);
    const lines = dialog.locator("li.tline");
    await expect.poll(() => lines.count()).toBe(LINES.length);
    for (const line of LINES) if (line.text) await visible(dialog.locator("li.tline", { hasText: line.text }).first());
    expect(await dialog.locator("li.tline.from-customer").count()).toBe(4);
    expect(await dialog.locator("li.tline.from-agent").count()).toBe(3);
    expect(await dialog.locator("li.tline.from-bot").count()).toBe(1);
    expect(await dialog.locator("li.tline-left").count()).toBe(4);
    const media = dialog.getByRole("link", { name: /nota-881\.jpg/ });
    expect(await media.getAttribute("href")).toBe("https://cdn.example.com/nota-881.jpg");
    expect(await media.getAttribute("target")).toBe("_blank");
    expect(await media.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await dialog.locator("img[src=x]").count()).toBe(0);
    // Every line carries its time.
    const times = await dialog.locator("li.tline time").allTextContents();
    expect(times).toHaveLength(LINES.length);
    for (const time of times) expect(time).toMatch(/\d{2}:\d{2}$/);
    await bruno.keyboard.press("Escape");
    await gone(dialog);
    await expect.poll(() => open.evaluate((el) => el === document.activeElement)).toBe(true);

    // Ana's own chat shows the card too (she is its sender).
    await visible(
      log(ana)
        .getByRole("region", { name: new RegExp(`protocolo ${PROTOCOL}`) })
        .nth(shares - 1),
    );

    // "Responder": the reply quotes the card and reaches Ana's browser.
    const bubble = log(bruno)
      .locator("li.msg", { has: bruno.locator("section.share-card") })
      .nth(shares - 1);
    await bubble.getByRole("button", { name: "Ações da mensagem" }).click();
    await bruno.getByRole("menuitem", { name: "Responder" }).click();
    await visible(bruno.getByText(`📋 Protocolo ${PROTOCOL} — Maria Oliveira`).first());
    const box = bruno.getByLabel("Mensagem", { exact: true });
    await box.fill(answer);
    await box.press("Enter");
    const reply = log(ana).locator("li.msg", { hasText: answer }).last();
    await visible(reply);
    await visible(reply.locator(".quote", { hasText: `📋 Protocolo ${PROTOCOL} — Maria Oliveira` }));

    // Issue 17's defect: the search finds the card by its note, and its snippet says the note once (it said it twice).
    await ana.getByLabel("Pesquisar", { exact: true }).fill("consegue ver");
    const hits = ana.getByRole("region", { name: "Mensagens" }).locator("a.hit");
    await visible(hits.first());
    const snippet = (await hits.first().locator(".hit-text").textContent())!;
    expect(snippet.split("consegue ver com a transportadora").length - 1).toBe(1);
    expect(snippet).toContain(PROTOCOL);
  });

  it("R31: a sign-in link opens the app signed in at /c/<chatId>; the same link again shows the sign-in form with the clear message", async () => {
    const url = await issueLink("carla", "/c/dm.ana.carla");
    expect(url).toMatch(new RegExp(`^${e2e.app.server.base}/l/demo/[A-Za-z0-9_-]+$`));

    const carla = await blankPage();
    await carla.goto(url);
    await visible(carla.getByRole("button", { name: "Sair" }));
    await expect.poll(() => new URL(carla.url()).pathname).toBe("/c/dm.ana.carla");
    await visible(carla.getByText("Carla Dias").first());
    // The deep-link router (issue 5) opens the chat from that address once the session exists.
    await visible(carla.getByRole("heading", { name: "Ana Souza", level: 2 }));

    const again = await blankPage();
    await again.goto(url);
    await visible(
      again.getByRole("alert").filter({ hasText: "Este link de acesso expirou ou já foi usado. Entre com seu login e senha." }),
    );
    await visible(again.getByRole("button", { name: "Entrar" }));
    expect(new URL(again.url()).pathname).toBe("/");
    expect(await again.getByLabel("Empresa", { exact: true }).inputValue()).toBe("demo");
  });

  it("R31: a sign-in link opened in a browser where someone else is signed in signs the link's user in, at the link's chat", async () => {
    const url = await issueLink("joao", "/c/dm.ana.joao");
    const page = await person("bruno");
    await visible(page.getByText("Bruno Lima").first());
    await page.goto(url);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/c/dm.ana.joao");
    await visible(page.getByText("João Pereira").first());
    await visible(page.getByRole("heading", { name: "Ana Souza", level: 2 }));
    await gone(page.getByText("Bruno Lima"));
  });
});
