/**
 * Sessions and the edges around them, in Debian's Chromium against the real
 * runtime, each finding of issue 12 tried as an attacker or an unlucky user would:
 * 12.3 "Sair" ends the session on the server, "Sair de todos os dispositivos"
 * closes another browser's sockets at once and sends it to the sign-in form, and
 * a short-lived access token (15 s here) is renewed silently when the stored one
 * was refused (renewal past several expiries: renewal.test.ts); 12.4 the
 * sign-in form shows the server's 429; 12.5 no token in any address the page
 * uses (requests, sockets, links in the page), and a file link dies with its
 * session; 12.6 the app runs under the server's strict CSP without a violation.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../scripts/seed.mjs";
import { http, putUser, userBody } from "../support/clients";
import { browserSuite, gone, visible } from "./support";
import { connected, dm, log, openChatWith, openFromList, openSockets, png, send, storedSession, writer } from "./people";

const ACCESS_TTL_MS = 15_000;
const e2e = browserSuite("sessions", { vars: () => ({ CONVERSAS_ACCESS_TTL_MS: String(ACCESS_TTL_MS) }) });
const { newContext, newPage, signIn, signedIn } = e2e;

const stored = storedSession;
const me = (token: string) => http(`${e2e.app.server.base}/api/tenants/demo/me`, { headers: { authorization: `Bearer ${token}` } });

/**
 * Everything a page asks for and every CSP violation or console error it reports,
 * from before its first script runs.
 */
async function watch(page: Page) {
  const urls: string[] = [];
  const console: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  page.on("websocket", (ws) => urls.push(ws.url()));
  page.on("console", (m) => {
    if (m.type() === "error" || /Content.Security.Policy|Refused to/i.test(m.text())) console.push(`${m.text()} ${m.location().url}`);
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { urls, console, violations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp) };
}

/**
 * A tour of what the app does: sign in, a chat with a picture, a voice note and a
 * document (shown, played, downloaded), the data panel's shelves, a draft, the
 * search, a group with its picture, the calls tab — every kind of address the page uses.
 */
async function tour(page: Page, who: string, peer: string, peerName: string) {
  const other = await writer(e2e, peer);
  const chat = dm(who, peer);
  await other.text(chat, `olá ${who}, segue o material`);
  await other.file(chat, png(160, 90), "quadro.png", "image/png", { caption: "o quadro" });
  await other.file(chat, Buffer.from("%PDF-1.4\n%%EOF\n"), "pauta.pdf", "application/pdf");
  await signIn(page, who);
  await openFromList(page, peerName);
  // The newest (a test run again after a failure has sent one more).
  const picture = log(page).locator("img.media-thumb").last();
  await visible(picture);
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(160);
  // Its shape was known before it loaded (the uploader's measure travels with the file).
  const download = page.getByRole("link", { name: "Baixar pauta.pdf" }).last();
  await visible(download);
  const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
  expect(file.suggestedFilename()).toBe("pauta.pdf");
  await page.getByRole("button", { name: "Dados do contato" }).click();
  await page.getByRole("tab", { name: "Documentos" }).click();
  await visible(page.locator(".doc-list").getByText("pauta.pdf").first());
  await page.getByRole("tab", { name: "Mídias" }).click();
  await visible(page.locator(".media-grid img").first());
  await page.getByLabel("Mensagem", { exact: true }).fill("um rascunho");
  await send(page, "resposta enviada");
  await page.getByLabel("Pesquisar", { exact: true }).fill("material");
  await visible(page.getByRole("region", { name: "Mensagens" }).getByRole("link").first());
  await page.getByLabel("Pesquisar", { exact: true }).fill("");
  await page.getByRole("tab", { name: /Chamadas/ }).click();
  await visible(page.getByRole("button", { name: "Discador" }));
  await page.getByRole("tab", { name: /Chats/ }).click();
}

describe("issue 12: sessions, tokens and the page's edges", () => {
  it("issue 12.3: 'Sair' ends the session on the server — its token is refused at once — while the same user's other browser goes on", async () => {
    const [a, b] = [await newPage(await newContext(), { who: "a" }), await newPage(await newContext(), { who: "b" })];
    await signIn(a, "joao");
    await signIn(b, "joao");
    const aToken = (await stored(a))!.token;
    expect((await me(aToken)).status).toBe(200);
    await a.getByRole("button", { name: "Sair" }).click();
    await visible(a.getByRole("button", { name: "Entrar" }));
    await expect.poll(async () => (await me(aToken)).status).toBe(401);
    // The other browser's session is its own: still connected, still sending.
    await connected(b);
    await openChatWith(b, "mari", "Marina Conceição");
    await send(b, "ainda estou aqui");
    expect((await me((await stored(b))!.token)).status).toBe(200);
  });

  it("issue 12.3: 'Sair de todos os dispositivos' closes the other browser's sockets at once and lands it on the sign-in form; this browser's other tab follows", async () => {
    const aContext = await newContext();
    const [a, a2] = [await newPage(aContext, { who: "a" }), await newPage(aContext, { who: "a2" })];
    const b = await newPage(await newContext(), { who: "b" });
    const bSockets = openSockets(b);
    await signIn(a, "marina");
    await a2.goto(`${e2e.app.server.base}/?empresa=demo`);
    await visible(a2.getByRole("button", { name: "Sair" }));
    await signIn(b, "marina");
    await connected(b);
    await openChatWith(b, "jo", "João Pereira");
    await expect.poll(() => bSockets().some((u) => u.includes("/parties/chat/"))).toBe(true);
    const bToken = (await stored(b))!.token;

    await a.getByRole("button", { name: "Menu do usuário" }).click();
    await a.getByRole("menuitem", { name: "Sair de todos os dispositivos" }).click();
    await visible(a.getByRole("button", { name: "Entrar" }));
    await visible(a2.getByRole("button", { name: "Entrar" }));
    // The other browser: every socket closed by the server within seconds, and the form with the reason.
    await expect.poll(bSockets, { timeout: 10_000 }).toEqual([]);
    await visible(b.getByRole("button", { name: "Entrar" }));
    await visible(b.getByRole("alert").filter({ hasText: "Sua sessão terminou. Entre de novo." }));
    expect(await stored(b)).toBeNull();
    expect((await me(bToken)).status).toBe(401);
  });

  it("issue 12.3: a stored access token the server refuses is renewed once with the refresh token, and the app comes up", async () => {
    const page = await signedIn("bruno");
    await connected(page);
    // An access token that has run out (or was tampered with): the refresh token is still good.
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem("conversas.session")!);
      localStorage.setItem(
        "conversas.session",
        JSON.stringify({ ...s, token: `${s.token.slice(0, -4)}AAAA`, expiresAt: Date.now() + 600_000 }),
      );
    });
    await page.reload();
    await connected(page);
    await visible(page.getByRole("button", { name: "Sair" }));
    expect((await me((await stored(page))!.token)).status).toBe(200);
    // A refresh token that no longer works ends it: the form, with the reason.
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem("conversas.session")!);
      localStorage.setItem(
        "conversas.session",
        JSON.stringify({ ...s, token: "x.y", refreshToken: "x.y", expiresAt: Date.now() + 600_000 }),
      );
    });
    await page.reload();
    await visible(page.getByRole("alert").filter({ hasText: "Sua sessão terminou. Entre de novo." }));
    await visible(page.getByRole("button", { name: "Entrar" }));
  });

  it("issue 12.4: after repeated wrong passwords the sign-in form shows the server's 'Muitas tentativas…' and the right password waits too", async () => {
    const created = await putUser(
      e2e.app.server.base,
      e2e.app.server.adminKey!,
      "demo",
      "bloqueio",
      userBody("bloqueio", { password: DEMO_PASSWORD }),
    );
    expect(created.status).toBeLessThan(300);
    const page = await newPage();
    await page.goto(`${e2e.app.server.base}/?empresa=demo`);
    const alert = page.getByRole("alert");
    for (let i = 0; i < 6; i++) {
      await page.getByLabel("Login", { exact: true }).fill("bloqueio");
      await page.getByLabel("Senha", { exact: true }).fill(`errada-${i}`);
      await page.getByRole("button", { name: "Entrar" }).click();
      await visible(alert);
      if (/Muitas tentativas/.test((await alert.textContent()) ?? "")) break;
    }
    await expect.poll(() => alert.textContent()).toMatch(/^Muitas tentativas\. Tente de novo em \d+ minutos?\.$/);
    await page.getByLabel("Senha", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Entrar" }).click();
    await expect.poll(() => alert.textContent()).toMatch(/^Muitas tentativas/);
    expect(await page.getByRole("button", { name: "Sair" }).count()).toBe(0);
  });

  it("issue 12.5: no token in any address the page uses — requests, sockets, links and media in the page — and a file link dies with its session", async () => {
    const page = await newPage(await newContext(), { who: "carla" });
    const seen = await watch(page);
    await tour(page, "carla", "rafael", "Rafael Ângelo");
    const session = (await stored(page))!;
    const inPage = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("[src], [href]")].map((el) => el.getAttribute("src") ?? el.getAttribute("href") ?? ""),
    );
    const all = [...seen.urls, ...inPage];
    expect(all.length).toBeGreaterThan(10);
    const leaks = all.filter((u) => u.includes(session.token) || u.includes(session.refreshToken) || /[?&](token|access_token)=/i.test(u));
    expect(leaks).toEqual([]);
    // The sockets the page opened: the hub, the chat, the drafts doc — none with a credential in its address.
    expect(seen.urls.filter((u) => u.startsWith("ws")).map((u) => new URL(u).pathname.split("/")[2])).toEqual(
      expect.arrayContaining(["hub", "chat", "drafts"]),
    );
    // A file's signed link works for its holder, then not once the session has ended.
    const link = new URL((await log(page).locator("img.media-thumb").last().getAttribute("src"))!, e2e.app.server.base).href;
    expect((await fetch(link)).status).toBe(200);
    await page.getByRole("button", { name: "Sair" }).click();
    await visible(page.getByRole("button", { name: "Entrar" }));
    await expect.poll(async () => (await fetch(link)).status).toBe(401);
  });

  it("issue 12.6: the app runs under the server's strict Content-Security-Policy with no violation and no console error", async () => {
    const page = await newPage(await newContext(), { who: "joao" });
    const seen = await watch(page);
    const res = await page.goto(`${e2e.app.server.base}/?empresa=demo`);
    const csp = (await res!.allHeaders())["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    await tour(page, "joao", "bruno", "Bruno Lima");
    // The emoji picker (on demand) and the softphone's styles (added by script) come up under it too.
    await page.getByRole("button", { name: "Emojis" }).click();
    await visible(page.locator("emoji-picker"));
    await page.keyboard.press("Escape");
    await gone(page.locator("emoji-picker"));
    expect(await seen.violations()).toEqual([]);
    expect(seen.console).toEqual([]);
  });
});
