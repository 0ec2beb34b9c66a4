/**
 * Issue 15's delivery stall, hunted in Debian's Chromium under CPU load: a group
 * of four — Ana with two tabs and Bruno with the group open, Carla watching only
 * her list, João writing from outside the browser — goes through rounds of random
 * bursts (the people writing at once, each in turn from their composers or from
 * outside), reloads, dropped chat sockets and lost `message.new` pushes (a tab's
 * chat socket runs through the test, which can close it or swallow a frame),
 * each round one page's CPU slowed down 4× through the DevTools protocol (the
 * others at full speed, under the load that slowing makes; see `slowDown`).
 * After each round every open chat must show every message the room stored,
 * once each and in the room's order, within 2 s of the last acknowledgement;
 * every list must show the newest message, with no unread dot where the chat is
 * open and Carla's count equal to what she has not read.
 * `DELIVERY_ROUNDS` (default 8) and `DELIVERY_SEED` (default: random, printed)
 * repeat or replay a run.
 */
import { describe, expect, it } from "vitest";
import type { CDPSession, Page, WebSocketRoute } from "playwright-core";
import { DEMO_PASSWORD } from "../../scripts/seed.mjs";
import { cid, login, openChat, type Client } from "../support/clients";
import { browserSuite, visible } from "./support";
import { dm, log, openChatWith } from "./people";

const e2e = browserSuite("delivery", { viewport: { width: 1000, height: 700 } });
const ROUNDS = Number(process.env.DELIVERY_ROUNDS ?? 8);
const SEED = Number(process.env.DELIVERY_SEED ?? Math.floor(Math.random() * 1e9));
const WITHIN_MS = 2_000;
const CPU_SLOWDOWN = 4;

/** A small seeded generator, so a failing run can be replayed with DELIVERY_SEED. */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

/** A tab whose chat sockets run through the test: it can close them (a dropped connection) or swallow the next push. */
type Tab = {
  who: string;
  page: Page;
  label: string;
  routes: Set<WebSocketRoute>;
  swallowNext: boolean;
  chatOpen: boolean;
  cdp?: CDPSession;
};

async function openTab(who: string, label: string, context = undefined as Parameters<typeof e2e.newPage>[0]): Promise<Tab> {
  const page = await e2e.newPage(context ?? (await e2e.newContext()), { who: label });
  const tab: Tab = { who, page, label, routes: new Set(), swallowNext: false, chatOpen: false };
  await page.routeWebSocket(/\/parties\/chat\//, (ws) => {
    tab.routes.add(ws);
    const server = ws.connectToServer();
    server.onMessage((m) => {
      if (tab.swallowNext && typeof m === "string" && m.includes('"type":"message.new"')) {
        // One push lost, nothing else: a batch (`conversas.frames`) loses its first `message.new` and keeps the rest (an ack with it, say).
        tab.swallowNext = false;
        const data = JSON.parse(m) as { type: string; frames?: { type: string }[] };
        if (data.type !== "frames") return;
        const lost = data.frames!.findIndex((f) => f.type === "message.new");
        const rest = data.frames!.filter((_, i) => i !== lost);
        if (rest.length === 0) return;
        m = rest.length === 1 ? JSON.stringify(rest[0]) : JSON.stringify({ type: "frames", frames: rest });
      }
      ws.send(m);
    });
    server.onClose((code, reason) => ws.close({ code, reason }));
    ws.onClose((code, reason) => {
      tab.routes.delete(ws);
      server.close({ code, reason });
    });
  });
  return tab;
}

/**
 * Slows one tab's CPU down CPU_SLOWDOWN times and lets the others run at full speed (a rate stays across
 * reloads). Chromium slows a page by spinning its main thread, idle or not (an idle page slowed 4× used
 * 4 s of CPU in 5 s, measured), so the slowed page is also the load every other page and the server
 * work under. Slowing all four at once asked for three cores of this two-core machine (renderers 140 s
 * of CPU in an 88-s run against 6 s unslowed), and a run took 30 to 90 s depending on who else was busy.
 */
async function slowDown(slow: Tab, all: Tab[]): Promise<void> {
  await Promise.all(
    all.map(async (tab) => {
      tab.cdp ??= await tab.page.context().newCDPSession(tab.page);
      await tab.cdp.send("Emulation.setCPUThrottlingRate", { rate: tab === slow ? CPU_SLOWDOWN : 1 });
    }),
  );
}

/** The texts starting with `prefix` the room of the demo company's `chatId` has stored (not deleted), in its order, read by a member. */
async function storedTexts(chatId: string, token: string, prefix: string): Promise<string[]> {
  const observer = (await openChat(e2e.app.server.wsBase, `demo.${chatId}`, token)).client;
  const all: string[] = [];
  let after = 0;
  for (;;) {
    observer.send({ type: "history.since", after, limit: 100 });
    const page = await observer.next((f) => f.type === "history.since" && f.after === after, 10_000, "history.since");
    for (const m of page.messages as { seq: number; text: string; deleted?: boolean }[]) {
      if (!m.deleted && m.text.startsWith(prefix)) all.push(m.text);
      after = m.seq;
    }
    if (!page.hasMore) break;
  }
  await observer.close();
  return all;
}

const texts = async (page: Page, prefix: string) =>
  (await log(page).locator(".msg-text").allTextContents()).map((t) => t.trim()).filter((t) => t.startsWith(prefix));
const groupRow = (page: Page) => page.getByRole("list", { name: "Conversas" }).getByRole("button", { name: /Entrega/ });

describe("issue 15: delivery under load", () => {
  it("issue 15: random bursts, reloads, dropped sockets and lost pushes, a page slowed 4× — every message in every open chat within 2 s, once, in order; lists agree", async () => {
    console.log(`delivery: seed ${SEED}, ${ROUNDS} rounds (DELIVERY_SEED=${SEED} replays it)`);
    const rnd = random(SEED);
    const prefix = `e${SEED % 100000}-`;

    // The group, created by Ana with Bruno, Carla and João.
    const ana = await login(e2e.app.server.base, "demo", "ana", DEMO_PASSWORD);
    const created = await fetch(`${e2e.app.server.base}/api/tenants/demo/groups`, {
      method: "POST",
      headers: { authorization: `Bearer ${ana.body.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Entrega", members: ["bruno", "carla", "joao"] }),
    });
    expect(created.status).toBe(201);
    const chatId = ((await created.json()) as { chatId: string }).chatId;

    // João writes from outside; an observer reads what the room stored, in the room's order.
    const joaoToken = (await login(e2e.app.server.base, "demo", "joao", DEMO_PASSWORD)).body.token as string;
    const joao: Client = e2e.track((await openChat(e2e.app.server.wsBase, `demo.${chatId}`, joaoToken)).client);
    const stored = () => storedTexts(chatId, joaoToken, prefix);

    // Everyone signs in at full speed (Ana's second tab finds her session); the rounds run slowed down.
    const anaContext = await e2e.newContext();
    const signIn = async (tab: Tab) => {
      await tab.page.goto(`${e2e.app.server.base}/?empresa=demo`);
      if (!(await tab.page.getByRole("button", { name: "Sair" }).isVisible())) await e2e.signIn(tab.page, tab.who, { at: null });
      await visible(groupRow(tab.page), 30_000);
    };
    const ana1 = await openTab("ana", "ana-1", anaContext);
    const [ana2, bruno, carla] = await Promise.all([
      signIn(ana1).then(() => openTab("ana", "ana-2", anaContext)),
      openTab("bruno", "bruno"),
      openTab("carla", "carla"),
    ]);
    const tabs = [ana1, ana2, bruno];
    /** Every page: the tabs with the group open, and Carla's list. */
    const pages = [...tabs, carla];
    await Promise.all([ana2, bruno, carla].map(signIn));
    await Promise.all(
      tabs.map(async (tab) => {
        await groupRow(tab.page).click();
        await visible(tab.page.getByRole("heading", { name: "Entrega", level: 2 }), 30_000);
        tab.chatOpen = true;
      }),
    );

    const started = Date.now();
    let n = 0;
    const next = () => `${prefix}${++n}`;
    /** Sends from a tab's composer; resolves once the tab shows it sent (the room has stored it). */
    const sendFromTab = async (tab: Tab, text: string) => {
      const box = tab.page.getByLabel("Mensagem", { exact: true });
      await box.fill(text);
      await box.press("Enter");
    };
    /** Shown twice at any moment is a failure too: each sent message is looked at as it is acknowledged. */
    const twice: string[] = [];
    const sentIn = async (tab: Tab, text: string) => {
      const bubbles = log(tab.page).locator("li.msg", { has: tab.page.locator(".msg-text", { hasText: new RegExp(`^${text}$`) }) });
      await visible(bubbles.getByRole("img", { name: "Enviada" }).first(), 30_000);
      if ((await bubbles.count()) > 1) twice.push(`${tab.label}: ${text} in ${JSON.stringify(await texts(tab.page, prefix))}`);
    };
    const fromJoao = async (text: string) => {
      const clientId = cid("e15");
      joao.send({ type: "message.send", clientId, text });
      const ack = await joao.next((f) => (f.type === "message.ack" || f.type === "error") && f.clientId === clientId, 15_000, "ack");
      expect(ack.type).toBe("message.ack");
    };

    for (let round = 1; round <= ROUNDS; round++) {
      const actions: string[] = [];
      const slow = rnd.pick(pages);
      await slowDown(slow, pages);
      actions.push(`${slow.label} slowed ${CPU_SLOWDOWN}×`);
      // Trouble first: a lost push, a dropped socket, a reload — then the burst that must get through it.
      if (rnd.next() < 0.5) {
        const tab = rnd.pick(tabs);
        tab.swallowNext = true;
        actions.push(`${tab.label} loses the next push`);
      }
      if (rnd.next() < 0.4) {
        const tab = rnd.pick(tabs);
        for (const route of [...tab.routes]) await route.close({ code: 4000, reason: "dropped by the test" });
        actions.push(`${tab.label}'s chat socket drops`);
      }
      const reloading = rnd.next() < 0.3 ? rnd.pick(tabs) : null;
      const reload = reloading?.page.reload();
      if (reloading) actions.push(`${reloading.label} reloads`);

      // The burst: each person sends their share in turn (Ana's two tabs share her draft, so one of them types
      // at a time), the people all at once (their messages interleave).
      const writers = [...tabs.filter((t) => t !== reloading), "joao"] as const;
      const count = 1 + rnd.int(6);
      const queues = new Map<string, { from: (typeof writers)[number]; text: string }[]>();
      for (let i = 0; i < count; i++) {
        const from = rnd.pick(writers);
        const who = from === "joao" ? from : from.who;
        queues.set(who, [...(queues.get(who) ?? []), { from, text: next() }]);
      }
      const burst: Promise<unknown>[] = [];
      await Promise.all(
        [...queues.values()].map(async (queue) => {
          for (const { from, text } of queue) {
            if (from === "joao") burst.push(fromJoao(text));
            else {
              await sendFromTab(from, text);
              burst.push(sentIn(from, text));
            }
          }
        }),
      );
      actions.push(`${count} messages`);
      await Promise.all(burst);
      await reload;
      if (reloading) await visible(reloading.page.getByRole("heading", { name: "Entrega", level: 2 }), 30_000);
      const acknowledged = Date.now();
      console.log(`round ${round}: ${actions.join(", ")} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

      const expected = await stored();
      expect(twice).toEqual([]);
      expect(expected).toHaveLength(n);
      for (const tab of tabs) {
        const deadline = acknowledged + WITHIN_MS + (tab === reloading ? 10_000 : 0);
        // A reloaded tab shows the newest page: what it shows must be the stored log's tail, whole.
        const want = (shown: string[]) => expected.slice(expected.length - Math.max(shown.length, Math.min(expected.length, 50)));
        let shown = await texts(tab.page, prefix);
        while (JSON.stringify(shown) !== JSON.stringify(want(shown)) && Date.now() < deadline) {
          await tab.page.waitForTimeout(100);
          shown = await texts(tab.page, prefix);
        }
        expect([round, tab.label, actions.join(", "), shown]).toEqual([round, tab.label, actions.join(", "), want(shown)]);
      }
      // The lists: the newest message everywhere; no dot where the chat is open; Carla's count is all of it.
      const last = expected.at(-1)!;
      for (const tab of pages) await expect.poll(() => groupRow(tab.page).textContent(), { timeout: 5_000 }).toContain(last);
      for (const tab of tabs) await expect.poll(() => groupRow(tab.page).locator(".unread-dot").count(), { timeout: 5_000 }).toBe(0);
      await expect
        .poll(() => groupRow(carla.page).locator(".unread-dot").getAttribute("aria-label"), { timeout: 5_000 })
        .toBe(n === 1 ? "1 mensagem não lida" : `${n} mensagens não lidas`);
    }

    // Read fresh, every tab has each message once, in order.
    const expected = await stored();
    await Promise.all(
      tabs.map(async (tab) => {
        await tab.page.reload();
        await visible(tab.page.getByRole("heading", { name: "Entrega", level: 2 }), 30_000);
        await expect.poll(() => texts(tab.page, prefix), { timeout: 15_000 }).toEqual(expected.slice(-Math.min(expected.length, 50)));
      }),
    );
  }, 900_000);

  it("issue 15: two tabs of one person queue messages at the same moment while her chat is unreachable — every one arrives, once, in each tab's order", async () => {
    // What the room stored for Ana's chat with Carla, read through Carla's eyes.
    const carla = (await login(e2e.app.server.base, "demo", "carla", DEMO_PASSWORD)).body.token as string;
    const chatId = dm("ana", "carla");
    const stored = (prefix: string) => storedTexts(chatId, carla, prefix);

    // Ana's two tabs, both with the chat open; the test can keep their chat sockets from reaching the room.
    let unreachable = false;
    const context = await e2e.newContext();
    const tabs: { page: Page; routes: Set<WebSocketRoute> }[] = [];
    for (const label of ["ana-1", "ana-2"]) {
      const page = await e2e.newPage(context, { who: label });
      const routes = new Set<WebSocketRoute>();
      await page.routeWebSocket(/\/parties\/chat\//, (ws) => {
        if (unreachable) return void ws.close({ code: 1011, reason: "unreachable (the test)" });
        routes.add(ws);
        const server = ws.connectToServer();
        server.onClose((code, reason) => ws.close({ code, reason }));
        ws.onClose((code, reason) => {
          routes.delete(ws);
          server.close({ code, reason });
        });
      });
      await page.goto(`${e2e.app.server.base}/?empresa=demo`);
      if (!(await page.getByRole("button", { name: "Sair" }).isVisible())) await e2e.signIn(page, "ana", { at: null });
      await openChatWith(page, "carl", "Carla Dias");
      tabs.push({ page, routes });
    }
    unreachable = true;
    for (const tab of tabs) for (const route of [...tab.routes]) await route.close({ code: 1011, reason: "unreachable (the test)" });

    // Both tabs send from their composers at once, as fast as the page runs: each tab's outbox writes cross the other's.
    const PER_TAB = 30;
    const prefix = `x${Date.now() % 100000}-`;
    await Promise.all(
      tabs.map(({ page }, i) =>
        page.evaluate(
          async ({ prefix, count }) => {
            const box = document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Mensagem"]')!;
            const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!;
            for (let n = 1; n <= count; n++) {
              setValue.call(box, `${prefix}${n}`);
              box.dispatchEvent(new Event("input", { bubbles: true }));
              await new Promise((r) => setTimeout(r, 0));
              box.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
              await new Promise((r) => setTimeout(r, Math.random() * 3));
            }
          },
          { prefix: `${prefix}${i + 1}.`, count: PER_TAB },
        ),
      ),
    );
    const pending = (page: Page) => log(page).getByRole("img", { name: "Enviando" });
    await expect.poll(() => pending(tabs[0]!.page).count(), { timeout: 10_000 }).toBe(2 * PER_TAB);
    unreachable = false;

    // Back in reach: the room has every message once, each tab's in the order it wrote them, and nothing waits any more.
    await expect.poll(async () => (await stored(prefix)).length, { timeout: 60_000, interval: 500 }).toBe(2 * PER_TAB);
    const all = await stored(prefix);
    for (const tab of [1, 2]) {
      const mine = Array.from({ length: PER_TAB }, (_, n) => `${prefix}${tab}.${n + 1}`);
      expect(all.filter((t) => t.startsWith(`${prefix}${tab}.`))).toEqual(mine);
    }
    for (const { page } of tabs) {
      await expect.poll(() => pending(page).count(), { timeout: 15_000 }).toBe(0);
      const left = () =>
        page.evaluate(() => Object.keys(localStorage).flatMap((k) => (k.startsWith("conversas.outbox.") ? [localStorage.getItem(k)] : [])));
      await expect.poll(left, { timeout: 5_000 }).toEqual([]);
    }
  }, 300_000);
});
