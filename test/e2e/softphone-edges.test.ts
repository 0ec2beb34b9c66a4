/**
 * The softphone's edges (issue 12.1 and 12.2), tried as an attacker would, in
 * Debian's Chromium with the real sip-proxy and the real platform:
 * - 12.1: a link with `?sip=wss://evil…` or a page with `<meta name="conversas-sip">`
 *   never makes the phone connect there; the only SIP socket the page opens goes
 *   where the platform says, with a one-time `?ticket=` (used once, a new one on
 *   every reconnection) and never the session's tokens; the proxy's refusals read
 *   in Portuguese on the call card.
 * - 12.2: the Atendimento hand-off talks only to the page of an allowed origin that
 *   embeds the app (`CONVERSAS_EMBED_ORIGINS`): it gets the call events and its
 *   actions work, while a frame of another origin inside that page, a page of
 *   another origin that opens the app in a popup, and malformed actions change
 *   nothing and hear nothing; another origin cannot frame the app at all.
 * The embedding and the hostile pages are served by the browser's own routing on
 * origins of their own (http://localhost:<port>); the app runs on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import { DEMO_PASSWORD, DEMO_TENANT } from "../../scripts/seed.mjs";
import { putUser, userBody } from "../support/clients";
import { visible, poll, callFromTab } from "./support";
import { softphoneSuite } from "./softphone";

/**
 * A site of its own origin on this machine (a real server: Chromium treats a page
 * it cannot place on the network as public, and a public page may not frame a local one).
 */
async function site(): Promise<{ origin: string; pages: Map<string, string>; close(): Promise<void> }> {
  const pages = new Map<string, string>();
  const server = createServer((req, res) => {
    const body = pages.get(new URL(req.url ?? "/", "http://x").pathname);
    res.writeHead(body ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(body ? `<!doctype html><meta charset="utf-8">${body}` : "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://localhost:${port}`, pages, close: () => new Promise((r) => server.close(() => r())) };
}

let embedSite: Awaited<ReturnType<typeof site>>;
let evilSite: Awaited<ReturnType<typeof site>>;
// Only 4-digit extensions may be dialled.
const { e2e, proxy } = softphoneSuite("softphone-edges", {
  vars: async () => {
    [embedSite, evilSite] = [await site(), await site()];
    return { CONVERSAS_EMBED_ORIGINS: embedSite.origin };
  },
  proxyEnv: { SIP_DIAL_PATTERN: "^[0-9]{4}$" },
});

beforeAll(async () => {
  // A second Atendimento user, for the popup attack.
  const put = await putUser(
    e2e.app.server.base,
    e2e.app.server.adminKey!,
    DEMO_TENANT,
    "atende2",
    userBody("atende2", { name: "Atende Dois", extension: "2095", modules: ["conversas", "atendimento"], password: DEMO_PASSWORD }),
  );
  expect(put.status).toBeLessThan(300);
});

afterAll(async () => {
  await Promise.all([embedSite?.close(), evilSite?.close()]);
});

const phoneReady = (page: Page) =>
  page.waitForFunction(() => (window as any).__conversasPhone?.status() === "ready", null, { timeout: 20_000, polling: 100 });
const card = (page: Page, who: string) => page.getByRole("region", { name: `Chamada com ${who}` });
const stored = (page: Page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem("conversas.session")!) as { token: string; refreshToken: string });

async function person(login: string, context?: BrowserContext): Promise<Page> {
  const page = await e2e.newPage(context ?? (await e2e.newContext()), { who: login });
  await e2e.signIn(page, login, { at: "/?empresa=demo&debug" });
  await phoneReady(page);
  return page;
}

/** Every socket a page opens, with the text it sends. */
function recordSockets(page: Page) {
  const sockets: { url: string; sent: string[] }[] = [];
  page.on("websocket", (ws) => {
    const rec = { url: ws.url(), sent: [] as string[] };
    sockets.push(rec);
    ws.on("framesent", (f) => rec.sent.push(String(f.payload)));
  });
  return sockets;
}

/** Whether a WebSocket upgrade to `url` is accepted (the way sip.js asks: subprotocol "sip"). */
function upgrades(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, "sip");
    ws.once("open", () => {
      ws.close();
      resolve(true);
    });
    ws.once("unexpected-response", () => resolve(false));
    ws.once("error", () => resolve(false));
    ws.once("close", () => resolve(false));
  });
}

describe("issue 12.1: the softphone's server and credentials come only from the platform", () => {
  it("issue 12.1: ?sip=wss://evil… and <meta name=conversas-sip> are ignored; the one SIP socket carries a one-time ticket, never the session's tokens; a reconnection takes a new ticket", async () => {
    const context = await e2e.newContext();
    // The page as an attacker would like it: a <meta> pointing the phone elsewhere (in place before the softphone loads).
    await context.addInitScript(() =>
      document.addEventListener("DOMContentLoaded", () => {
        const meta = document.createElement("meta");
        meta.name = "conversas-sip";
        meta.content = "wss://evil.example/meta";
        document.head.appendChild(meta);
      }),
    );
    const page = await e2e.newPage(context, { who: "ana" });
    const sockets = recordSockets(page);
    await e2e.signIn(page, "ana", { at: `/?empresa=demo&debug&sip=${encodeURIComponent("wss://evil.example/sip")}` });
    await phoneReady(page);
    expect(await page.locator('meta[name="conversas-sip"]').count()).toBe(1);
    const { token, refreshToken } = await stored(page);

    expect(sockets.filter((s) => s.url.includes("evil"))).toEqual([]);
    const sip = () => sockets.filter((s) => new URL(s.url).port === String(proxy.port));
    expect(sip()).toHaveLength(1);
    const first = new URL(sip()[0]!.url);
    expect(first.searchParams.get("ticket")).toMatch(/^demo\.ana\.[A-Za-z0-9_-]{20,}$/);
    for (const s of sockets) {
      expect([s.url, s.url.includes(token) || s.url.includes(refreshToken)]).toEqual([s.url, false]);
      expect([s.url, s.sent.some((f) => f.includes(token) || f.includes(refreshToken))]).toEqual([s.url, false]);
    }
    // The ticket was used: the same address no longer opens a socket.
    expect(await upgrades(first.href)).toBe(false);

    // The proxy restarts: the phone reconnects with a ticket it has just asked for, and registers again.
    await proxy.stop();
    await proxy.start();
    await expect.poll(() => sip().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await phoneReady(page);
    const tickets = sip().map((s) => new URL(s.url).searchParams.get("ticket"));
    expect(new Set(tickets).size).toBe(tickets.length);
    expect(sockets.filter((s) => s.url.includes("evil"))).toEqual([]);
  });

  it("issue 12.1: a number the proxy does not allow ends with 'Você não tem permissão para ligar para este número.' on the card", async () => {
    const joao = await person("joao");
    await joao.getByRole("tab", { name: "Chamadas" }).click();
    await joao.getByRole("button", { name: "Discador" }).click();
    await joao.getByLabel("Número para ligar").fill("08001234567");
    await joao.getByRole("button", { name: "Ligar", exact: true }).click();
    await visible(card(joao, "08001234567").getByRole("alert").filter({ hasText: "Você não tem permissão para ligar para este número." }));
  });
});

describe("issue 12.2: the hand-off talks only to the allowed embedding page", () => {
  it("issue 12.2: the allowed embedder gets the events and drives calls; another origin's frame, popup and malformed actions change and hear nothing; another origin cannot frame the app", async () => {
    const app = e2e.app.server.base;
    const [EMBED, EVIL] = [embedSite.origin, evilSite.origin];
    const [ana, bruno] = await Promise.all([person("ana"), person("bruno")]);

    // The Atendimento screen of an allowed origin, embedding the app; and a hostile origin's pages.
    const context = await e2e.newContext();
    await context.grantPermissions(["microphone"], { origin: EMBED });
    embedSite.pages.set(
      "/atendimento",
      `<title>Atendimento</title>
<iframe id="app" src="${app}/?empresa=demo&debug" allow="microphone" width="1100" height="700"></iframe>
<iframe id="intruder" width="10" height="10"></iframe>
<script>
  window.__events = [];
  addEventListener("message", (e) => {
    if (e.source === document.getElementById("app").contentWindow) window.__events.push({ origin: e.origin, data: e.data });
  });
</script>`,
    );
    // A frame of another origin inside the embedder: it finds the app's window and tries to drive it.
    evilSite.pages.set(
      "/frame",
      `<script>
  window.__heard = [];
  addEventListener("message", (e) => window.__heard.push(e.data));
  window.attack = (callId) => {
    const app = parent.frames[0];
    app.postMessage({ type: "conversas.call.action", action: "decline", callId }, "*");
    app.postMessage({ type: "conversas.call.action", action: "dial", number: "2002" }, "*");
  };
</script>`,
    );
    const embedder = await e2e.newPage(context, { who: "embedder" });
    await embedder.goto(`${EMBED}/atendimento`);

    const frame = embedder.frameLocator("#app");
    await frame.getByLabel("Login", { exact: true }).fill("carla");
    await frame.getByLabel("Senha", { exact: true }).fill(DEMO_PASSWORD);
    await frame.getByRole("button", { name: "Entrar" }).click();
    await visible(frame.getByRole("button", { name: "Sair" }));
    const appFrame = embedder.frames().find((f) => f.url().startsWith(app))!;
    await appFrame.waitForFunction(() => (window as any).__conversasPhone?.status() === "ready", null, { timeout: 20_000, polling: 100 });
    const events = () => embedder.evaluate(() => (window as any).__events as { origin: string; data: any }[]);
    const post = (message: object) =>
      embedder.evaluate(([m, origin]) => (document.getElementById("app") as HTMLIFrameElement).contentWindow!.postMessage(m, origin), [
        message,
        app,
      ] as const);

    // Ana calls Carla: the embedder hears of it, from the app's origin; no card in the app.
    await callFromTab(ana, "carla", "Carla Dias");
    const ringing = await poll("the ringing event", async () => (await events()).find((e) => e.data?.state === "ringing"));
    expect(ringing.origin).toBe(app);
    expect(ringing.data).toMatchObject({ type: "conversas.call", direction: "inbound", number: "2001", name: "Ana Souza" });
    expect(await frame.locator(".call-card").count()).toBe(0);
    const callId = ringing.data.callId as string;

    // The intruding frame tries to decline it and to dial: nothing happens, and it hears nothing.
    await embedder.evaluate((src) => ((document.getElementById("intruder") as HTMLIFrameElement).src = src), `${EVIL}/frame`);
    const intruder = await poll("the intruding frame", async () => embedder.frames().find((f) => f.url() === `${EVIL}/frame`));
    await intruder.waitForFunction(() => typeof (window as any).attack === "function");
    await intruder.evaluate((id) => (window as any).attack(id), callId);
    // Malformed actions from the allowed page itself are ignored too.
    await post({ type: "conversas.call.action", action: "dial", number: "2002; DROP" });
    await post({ type: "conversas.call.action", action: "hangup" });
    await post({ type: "conversas.call", action: "decline", callId });
    await ana.waitForTimeout(3_000);
    await visible(card(ana, "Carla Dias").getByText("Em espera"));
    expect(await card(bruno, "Carla Dias").count()).toBe(0);
    expect(await intruder.evaluate(() => (window as any).__heard)).toEqual([]);

    // The embedder's own, well-formed action works: decline.
    await post({ type: "conversas.call.action", action: "decline", callId });
    await visible(card(ana, "Carla Dias").getByRole("alert").filter({ hasText: "Chamada recusada." }));
    // And dial: Bruno's phone rings with Carla's call; the embedder hears it go out and end.
    await post({ type: "conversas.call.action", action: "dial", number: "2002" });
    const incoming = card(bruno, "Carla Dias");
    await visible(incoming.getByText("Recebendo"));
    await expect.poll(async () => (await events()).some((e) => e.data?.direction === "outbound" && e.data?.number === "2002")).toBe(true);
    await incoming.getByRole("button", { name: "Recusar" }).click();
    await expect.poll(async () => (await events()).some((e) => e.data?.direction === "outbound" && e.data?.state === "ended")).toBe(true);
    expect((await events()).every((e) => e.origin === app)).toBe(true);

    // A page of another origin opens the app (signed in, an Atendimento user) in a popup and drives it: nothing happens.
    const victim = await e2e.newContext();
    evilSite.pages.set(
      "/popup",
      `<iframe id="framed" src="${app}/?empresa=demo" width="600" height="400"></iframe>
<script>
  window.__heard = [];
  addEventListener("message", (e) => window.__heard.push(e.data));
  window.attack = () => {
    const w = window.open("${app}/?empresa=demo&debug", "conversas");
    window.__opened = !!w;
    setTimeout(() => {
      try {
        w.postMessage({ type: "conversas.call.action", action: "dial", number: "2002" }, "*");
      } catch (e) {}
      window.__done = true;
    }, 4000);
  };
</script>`,
    );
    await person("atende2", victim);
    const evil = await e2e.newPage(victim, { who: "evil" });
    await evil.goto(`${EVIL}/popup`);
    const popup = evil.waitForEvent("popup");
    await evil.evaluate(() => (window as any).attack());
    const opened = await popup;
    await visible(opened.getByRole("button", { name: "Sair" }));
    await phoneReady(opened);
    await evil.waitForFunction(() => (window as any).__done === true, null, { timeout: 15_000 });
    await bruno.waitForTimeout(3_000);
    expect(await card(bruno, "Atende Dois").count()).toBe(0);
    expect(await evil.evaluate(() => (window as any).__heard)).toEqual([]);
    // The hostile origin cannot even frame the app (frame-ancestors): no sign-in form in its frame.
    expect(await evil.frameLocator("#framed").getByLabel("Login", { exact: true }).count()).toBe(0);
  });
});
