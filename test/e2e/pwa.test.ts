/**
 * Installable and audible (issue 17 item 9), in Debian's Chromium: the page has a
 * web app manifest Chromium accepts for installing; the service worker keeps the
 * shell (and only the shell: never the API, the rooms or their files), so the app
 * opens with the network gone; a new build is a new cache that replaces the old
 * one, and a reload shows the new build. A short sound plays when a message
 * arrives while the page is hidden; "Som de notificação" in the user menu turns it
 * off, and the choice is remembered.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { browserSuite, gone, visible } from "./support";
import { dm, writer } from "./people";

const e2e = browserSuite("pwa");
const { newContext, newPage, signIn } = e2e;

const cacheKeys = (page: Page) => page.evaluate(() => caches.keys());
const cachedPaths = (page: Page) =>
  page.evaluate(async () => {
    const out: string[] = [];
    for (const key of await caches.keys()) for (const req of await (await caches.open(key)).keys()) out.push(new URL(req.url).pathname);
    return out.sort();
  });
/** Waits until a service worker controls the page. */
const controlled = (page: Page) =>
  page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 20_000, polling: 100 });

describe("installable app and notification sound", () => {
  it("issue 17: a manifest Chromium can install from, a service worker that keeps the shell (never the API or rooms), and the app opens offline", async () => {
    const context = await newContext();
    const page = await newPage(context);
    await page.goto(`${e2e.app.server.base}/?empresa=demo`);
    await controlled(page);

    const manifestUrl = await page.locator('link[rel="manifest"]').getAttribute("href");
    const manifest = (await (await fetch(`${e2e.app.server.base}${manifestUrl}`)).json()) as Record<string, any>;
    expect(manifest).toMatchObject({ name: "Conversas", lang: "pt-BR", start_url: "/", display: "standalone" });
    expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    // Test contexts are incognito-like, which no manifest can change; nothing else may stand in the way.
    expect(installabilityErrors.filter((e) => e.errorId !== "in-incognito")).toEqual([]);

    // Signed in, a chat opened: API and room traffic flowed, and none of it is in the cache.
    await signIn(page, "ana", { at: null });
    await page.getByLabel("Pesquisar", { exact: true }).fill("bru");
    await page.getByRole("button", { name: /Bruno Lima/ }).click();
    await visible(page.getByRole("heading", { name: "Bruno Lima", level: 2 }));
    const keys = await cacheKeys(page);
    expect(keys).toEqual([expect.stringMatching(/^conversas-shell-[0-9a-f]{16}$/)]);
    const paths = await cachedPaths(page);
    expect(paths).toEqual(expect.arrayContaining(["/", "/favicon.svg", "/manifest.webmanifest"]));
    expect(paths.filter((p) => p.startsWith("/assets/app-")).length).toBeGreaterThanOrEqual(2);
    for (const path of paths) expect(path).toMatch(/^\/($|assets\/|icons\/|emoji\/|avatars\/|favicon\.svg$|manifest\.webmanifest$)/);

    // The network gone: the app still opens, signed in, at the chat of the address, and is not connected.
    await context.setOffline(true);
    await page.reload();
    await visible(page.getByRole("button", { name: "Sair" }));
    await visible(page.getByLabel("Mensagem", { exact: true }));
    await visible(page.getByRole("status").filter({ hasText: /^(Sem conexão|Conectando…|Reconectando…)$/ }));
    await page.screenshot({ path: "/tmp/pwa-offline.png" });
    await context.setOffline(false);
    await visible(page.getByRole("status").filter({ hasText: "Conectado" }), 20_000);
  });

  it("issue 17: a new build is a new cache — the reload shows it, and its page lets the new cache replace the old one", async () => {
    const context = await newContext();
    const first = await newPage(context);
    await first.goto(`${e2e.app.server.base}/?empresa=demo`);
    await controlled(first);
    const [before] = await cacheKeys(first);

    // "Deploy" a new build: the same files with a new marker in the page and a new service worker version.
    const dist = e2e.app.assets;
    const html = readFileSync(join(dist, "index.html"), "utf8");
    const sw = readFileSync(join(dist, "sw.js"), "utf8");
    const version = /VERSION="([0-9a-f]+)"/.exec(sw)![1]!;
    const { port, persist, secrets } = e2e.app.server;
    await e2e.app.server.stop();
    writeFileSync(join(dist, "index.html"), html.replace("<title>", '<meta name="build" content="nova" />\n    <title>'));
    writeFileSync(join(dist, "sw.js"), sw.replace(`VERSION="${version}"`, 'VERSION="0000000000000001"'));
    await e2e.app.startServer({ port, persist, secrets });

    // Pages come from the network first: a reload shows the new build at once…
    await first.reload();
    await expect.poll(() => first.locator('meta[name="build"]').count()).toBe(1);
    // …and that page of the new build lets the new worker take over: its cache replaces the old one.
    await expect.poll(() => cacheKeys(first), { timeout: 20_000 }).toEqual(["conversas-shell-0000000000000001"]);
    expect(before).not.toBe("conversas-shell-0000000000000001");
    await controlled(first);
    // Offline now, it opens from the new cache.
    await context.setOffline(true);
    await first.reload();
    await visible(first.getByLabel("Login", { exact: true }));
    expect(await first.locator('meta[name="build"]').count()).toBe(1);
    await context.setOffline(false);
  });

  it("issue 17: a message while the page is hidden plays a short sound; 'Som de notificação' turns it off, remembered", async () => {
    const context = await newContext();
    // A page that can be made hidden, and a count of the sounds it makes (each chime is two notes).
    await context.addInitScript(() => {
      const w = window as unknown as { __hidden: boolean; __notes: number; AudioContext: typeof AudioContext };
      w.__hidden = false;
      w.__notes = 0;
      Object.defineProperty(document, "hidden", { get: () => w.__hidden });
      const Real = w.AudioContext;
      w.AudioContext = class extends Real {
        createOscillator() {
          w.__notes++;
          return super.createOscillator();
        }
      };
    });
    const page = await newPage(context);
    await signIn(page, "carla");
    const notes = () => page.evaluate(() => (window as unknown as { __notes: number }).__notes);
    const hide = (on: boolean) => page.evaluate((on) => ((window as unknown as { __hidden: boolean }).__hidden = on), on);
    const marina = await writer(e2e, "marina");

    await hide(true);
    await marina.text(dm("carla", "marina"), "tem café na copa");
    await expect.poll(notes).toBe(2);
    await hide(false);

    // Off in the user menu: a checkbox item, remembered after a reload.
    await page.getByRole("button", { name: "Menu do usuário" }).click();
    const item = page.getByRole("menuitemcheckbox", { name: "Som de notificação" });
    await expect.poll(() => item.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await item.getAttribute("aria-checked")).toBe("true");
    await page.keyboard.press("Enter");
    await expect.poll(() => item.getAttribute("aria-checked")).toBe("false");
    await page.keyboard.press("Escape");
    await gone(page.getByRole("menu"));
    await page.reload();
    await visible(page.getByRole("button", { name: "Sair" }));
    await page.getByRole("button", { name: "Menu do usuário" }).click();
    expect(await page.getByRole("menuitemcheckbox", { name: "Som de notificação" }).getAttribute("aria-checked")).toBe("false");
    await page.keyboard.press("Escape");

    await hide(true);
    await marina.text(dm("carla", "marina"), "acabou o café");
    await visible(page.getByRole("list", { name: "Conversas" }).getByText("acabou o café"));
    expect(await notes()).toBe(0);
  });
});
