/**
 * What every browser test starts with: Debian's Chromium (never a downloaded
 * browser) with the flags this offline machine needs, and the app — the web
 * client built once for the whole suite (test/support/setup-e2e.ts), copied into
 * a folder of this file's own (a test may change its copy), served with the
 * rooms by `wrangler dev` on the worker bundled once (test/support/server.ts),
 * with the demo company seeded — and `browserSuite`, the set-up and tear-down
 * every browser test file shares.
 */
import { afterAll, afterEach, beforeAll, expect, inject } from "vitest";
import { chromium, type Browser, type BrowserContext, type Locator, type Page, type Request } from "playwright-core";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_PASSWORD, seedDemo } from "../../scripts/seed.mjs";
import { startTestServer, type TestServer } from "../support/server";

const BASE_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A fake microphone and camera, granted without a prompt, and media that may autoplay. */
export const MEDIA_ARGS = [
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--autoplay-policy=no-user-gesture-required",
];

/**
 * Debian's Chromium: its headless shell (the same engine, no browser around the
 * page, far less CPU), or the whole browser when a test needs what only the
 * browser has (notifications).
 */
export function launchChromium(extraArgs: string[] = [], whole = false): Promise<Browser> {
  const executablePath = inject(whole ? "chromium" : "chromiumHeadless");
  return chromium.launch({ executablePath, args: [...BASE_ARGS, ...extraArgs] });
}

type ServerOptions = Parameters<typeof startTestServer>[0];

export type App = {
  /** The running server; a test that restarts it puts the new one here (`startServer` does). */
  server: TestServer;
  /** This suite's copy of the web build, which the server serves. */
  assets: string;
  /**
   * Starts the server again (after `server.stop()`) with this suite's assets and
   * settings — pass the old one's port, state and secrets to come back as it was.
   */
  startServer(opts?: ServerOptions): Promise<TestServer>;
};

/** Starts the app: this suite's copy of the build, the server with `vars`, the demo company seeded. */
export async function startApp(label: string, vars: Record<string, string> = {}): Promise<App> {
  const assets = mkdtempSync(join(tmpdir(), `conversas-${label}-web-`));
  cpSync(inject("webAssets"), assets, { recursive: true });
  const app: App = {
    server: null as unknown as TestServer,
    assets,
    async startServer(opts = {}) {
      app.server = await startTestServer({ assets, ...opts, vars: { ...vars, ...opts.vars } });
      return app.server;
    },
  };
  await app.startServer();
  await seedDemo(app.server.base, app.server.adminKey!);
  return app;
}

/** Waits until the locator is visible (a real state, not a sleep). */
export const visible = (locator: Locator, timeout = 15_000) => locator.waitFor({ state: "visible", timeout });
/** Waits until the locator has left the page. */
export const gone = (locator: Locator, timeout = 15_000) => locator.waitFor({ state: "detached", timeout });
/** Asks `probe` every 200 ms until it answers something truthy (returned), failing after `timeoutMs` with `what`. */
export async function poll<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export type BrowserSuiteOptions = {
  /** More Chromium flags, e.g. MEDIA_ARGS for the fake microphone. */
  chromiumArgs?: string[];
  /** The whole Chromium rather than its headless shell: for what only the browser has (notifications). */
  wholeBrowser?: boolean;
  /** Granted to the app's origin in every context `newContext` makes (e.g. "microphone"). */
  permissions?: string[];
  viewport?: { width: number; height: number };
  /**
   * The server's settings (CONVERSAS_EMBED_ORIGINS, CONVERSAS_SIP_URL, a short
   * CONVERSAS_ACCESS_TTL_MS…), asked for just before it starts (so a port chosen
   * for a companion service can go in).
   */
  vars?: () => Record<string, string> | Promise<Record<string, string>>;
};

/**
 * Registers the hooks every browser test file needs and hands back what its tests
 * use: the app is built and started before the file's tests, with one Chromium;
 * after each failing test every page it opened leaves a screenshot
 * `/tmp/<label>-fail-<test>-<n>-try<k>.png` (and the requests it still waited
 * for are printed), then the contexts of a test's pages close; at the end the tracked sockets, the browser,
 * the server and this suite's copy of the build go away (the server's log printed
 * first when SHOW_SERVER_LOG is set) and no page may have raised a script error.
 */
export function browserSuite(label: string, opts: BrowserSuiteOptions = {}) {
  let app: App | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  const openPages: Page[] = [];
  const pending = new WeakMap<Page, Map<Request, number>>();
  const clients: { close(): unknown }[] = [];
  const viewport = opts.viewport ?? { width: 1200, height: 760 };

  // The server and Chromium start side by side (each takes seconds); the afterAll stops whichever started.
  beforeAll(async () => {
    const vars = (await opts.vars?.()) ?? {};
    const [started, launched] = await Promise.allSettled([
      startApp(`e2e-${label}`, vars),
      launchChromium(opts.chromiumArgs, opts.wholeBrowser),
    ]);
    if (started.status === "fulfilled") app = started.value;
    if (launched.status === "fulfilled") browser = launched.value;
    for (const r of [started, launched]) if (r.status === "rejected") throw r.reason;
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await browser?.close();
    if (process.env.SHOW_SERVER_LOG) console.log(app?.server.log());
    await app?.server.stop();
    if (app) rmSync(app.assets, { recursive: true, force: true });
    expect(pageErrors).toEqual([]);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === "fail") {
      const test = ctx.task.name.slice(0, 12).replace(/\W+/g, "_");
      const attempt = ctx.task.result.retryCount ?? 0;
      await Promise.all(
        openPages.map((p, i) => p.screenshot({ path: `/tmp/${label}-fail-${test}-${i}-try${attempt}.png` }).catch(() => {})),
      );
      // What each page was still waiting for, and the server's last words: a stall says where it was.
      const now = Date.now();
      const waiting = openPages.flatMap((p, i) =>
        [...(pending.get(p) ?? new Map<Request, number>())].map(
          ([r, at]) => `page ${i}: ${r.method()} ${r.url().split("?")[0]} open ${now - at} ms`,
        ),
      );
      console.log(
        `[${label}] failed (try ${attempt}) — requests still open:\n${waiting.join("\n") || "(none)"}\n` +
          `server log, last lines:\n${(app?.server.log() ?? "").split("\n").slice(-30).join("\n")}`,
      );
    }
    // The contexts of the pages a test opened close when it ends: a call left ringing must not reach the next
    // test, and a page left open goes on drawing every presence change and message (a fifth of the renderers'
    // CPU in four browser files, measured).
    await Promise.all(
      openPages.map((p) =>
        p
          .context()
          .close()
          .catch(() => {}),
      ),
    );
    openPages.length = 0;
  });

  const suite = {
    /** The running app; a test that restarts the server uses `app.startServer`, which puts the new one in `app.server`. */
    get app(): App {
      if (!app) throw new Error("the app starts in beforeAll");
      return app;
    },
    get browser(): Browser {
      if (!browser) throw new Error("the browser starts in beforeAll");
      return browser;
    },
    /** Script errors of every page so far (each prefixed by its page's `who`, when given). */
    pageErrors: pageErrors as readonly string[],

    /** A fresh browser context (one person's browser): pt-BR, the suite's viewport and permissions. */
    async newContext(): Promise<BrowserContext> {
      const context = await suite.browser.newContext({ viewport, locale: "pt-BR" });
      if (opts.permissions) await context.grantPermissions(opts.permissions, { origin: suite.app.server.base });
      return context;
    },

    /** A page in `context` (a new one when omitted), screenshotted on failure and watched for script errors. */
    async newPage(context?: BrowserContext, page: { who?: string } = {}): Promise<Page> {
      const created = await (context ?? (await suite.newContext())).newPage();
      openPages.push(created);
      created.on("pageerror", (err) => pageErrors.push(page.who ? `${page.who}: ${String(err)}` : String(err)));
      // Requests still open, kept to say what a page was waiting for when a test fails.
      const open = new Map<Request, number>();
      pending.set(created, open);
      created.on("request", (r) => open.set(r, Date.now()));
      created.on("requestfinished", (r) => open.delete(r));
      created.on("requestfailed", (r) => open.delete(r));
      return created;
    },

    /**
     * Signs `who` in through the form. The page first opens the demo company's
     * sign-in (`at`, a path with its query) unless `at` is null: the form is showing already.
     */
    async signIn(page: Page, who: string, how: { at?: string | null; password?: string } = {}) {
      const at = how.at === undefined ? "/?empresa=demo" : how.at;
      if (at !== null) await page.goto(`${suite.app.server.base}${at}`);
      await page.getByLabel("Login", { exact: true }).fill(who);
      await page.getByLabel("Senha", { exact: true }).fill(how.password ?? DEMO_PASSWORD);
      await page.getByRole("button", { name: "Entrar" }).click();
      await visible(page.getByRole("button", { name: "Sair" }));
    },

    /** A page in a browser of its own (a new context) where `who` has signed in through the form. */
    async signedIn(who: string): Promise<Page> {
      const page = await suite.newPage();
      await suite.signIn(page, who);
      return page;
    },

    /** Closes `client` (a socket opened outside the browser) after the file's tests. */
    track<T extends { close(): unknown }>(client: T): T {
      clients.push(client);
      return client;
    },
  };
  return suite;
}

/** "Chamadas", the contact search, then "Ligar para <name>" (R22): a call from the calls tab. */
export async function callFromTab(page: Page, query: string, name: string): Promise<void> {
  await page.getByRole("tab", { name: "Chamadas" }).click();
  await page.getByLabel("Pesquisar contatos").fill(query);
  await page
    .getByRole("button", { name: `Ligar para ${name}` })
    .first()
    .click();
}
