/**
 * The softphone in Debian's Chromium (R2, R11, R22–R28): two people on one
 * machine call each other through the real sip-proxy in registrar mode (what
 * `npm start` runs) with WebRTC between two browser contexts and Chromium's fake
 * microphone. Ring, answer, audio both ways (getStats), DTMF, mute, hold/resume,
 * hang up, both histories and "Contatos Frequentes"; a declined call is
 * "Perdidas" for the callee; no extension disables the controls; with no embedding
 * origin configured an Atendimento user gets the card like anyone (the hand-off
 * itself is embed.test.ts's). Calls that do not connect (nobody answers, a busy
 * extension) end in a message and a history entry, and a long history pages in
 * with its loading indicator. The page learns where the proxy is only from the
 * platform (a one-time SIP ticket per connection, issue 12.1).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { visible, poll, callFromTab } from "./support";
import { softphoneSuite } from "./softphone";
import { type Page } from "playwright-core";
import { DEMO_PASSWORD, DEMO_TENANT } from "../../scripts/seed.mjs";
import { issueServiceToken, SERVICE_HEADER } from "../../party/domain/session";
import { http, login, putUser, userBody } from "../support/clients";
import { phone, type RunningProxy } from "../sip/support";
import { ticketUrl } from "../../web/src/stores/sip-transport";

// The proxy's port is chosen before the platform starts: the platform tells browsers where the proxy is.
const { e2e, proxy } = softphoneSuite("calls");

/** A signed-in person in their own browser context, with the phone registered when they have an extension. */
async function person(
  login: string,
  registered = true,
  opts: { init?: () => void; prepare?: (page: Page) => Promise<void> } = {},
): Promise<Page> {
  const context = await e2e.newContext();
  if (opts.init) await context.addInitScript(opts.init);
  const page = await e2e.newPage(context, { who: login });
  await opts.prepare?.(page);
  await e2e.signIn(page, login, { at: "/?empresa=demo&debug" });
  if (registered)
    await page.waitForFunction(() => (window as any).__conversasPhone?.status() === "ready", null, { timeout: 20_000, polling: 100 });
  return page;
}

const card = (page: Page, who: string) => page.getByRole("region", { name: `Chamada com ${who}` });

/** RTP counters of the page's call: packets sent and received, summed over its peer connection(s). */
function rtp(page: Page) {
  return page.evaluate(async () => {
    let sent = 0;
    let received = 0;
    for (const pc of (window as any).__conversasPhone.peerConnections() as RTCPeerConnection[]) {
      (await pc.getStats()).forEach((s: any) => {
        if (s.type === "outbound-rtp" && s.kind === "audio") sent += s.packetsSent ?? 0;
        if (s.type === "inbound-rtp" && s.kind === "audio") received += s.packetsReceived ?? 0;
      });
    }
    return { sent, received };
  });
}

describe("softphone between two browsers", () => {
  it("R22–R25, R27, R28: Ana calls Bruno — ring, answer, audio both ways, DTMF, mute, hold, hang up, histories and frequent contacts", async () => {
    const [ana, bruno] = await Promise.all([person("ana"), person("bruno")]);
    await callFromTab(ana, "bru", "Bruno Lima");

    // Before the answer: "Em espera" for Ana; "Recebendo" from Ana (name from her extension) for Bruno.
    await visible(card(ana, "Bruno Lima").getByText("Em espera"));
    const incoming = card(bruno, "Ana Souza");
    await visible(incoming.getByText("Recebendo"));
    await visible(incoming.getByText("2001"));
    expect(await incoming.getByRole("img", { name: "Chamada recebida" }).count()).toBe(1);
    await incoming.getByRole("button", { name: "Atender" }).click();

    // Both cards run the timer.
    for (const [page, who] of [
      [ana, "Bruno Lima"],
      [bruno, "Ana Souza"],
    ] as const)
      await visible(
        card(page, who)
          .getByRole("timer", { name: "Duração da chamada" })
          .filter({ hasText: /^\d+:\d\d$/ }),
      );

    // Audio packets flow both ways.
    const before = await poll("audio both ways", async () => {
      const [a, b] = await Promise.all([rtp(ana), rtp(bruno)]);
      return a.sent > 20 && a.received > 20 && b.sent > 20 && b.received > 20 && { a, b };
    });

    // DTMF: the tones leave Ana's browser as telephone-events (RTCDTMFSender plays them).
    await ana.evaluate(() => {
      const w = window as any;
      w.__tones = "";
      const pc = w.__conversasPhone.peerConnections()[0] as RTCPeerConnection;
      pc.getSenders()[0]!.dtmf!.addEventListener("tonechange", (e) => (w.__tones += (e as RTCDTMFToneChangeEvent).tone));
    });
    const anaCard = card(ana, "Bruno Lima");
    await anaCard.getByRole("button", { name: "Teclado" }).click();
    await anaCard.getByRole("button", { name: "1", exact: true }).click();
    await anaCard.getByRole("button", { name: "#", exact: true }).click();
    await visible(anaCard.locator(".call-tones", { hasText: "1#" }));
    await poll("tones played", async () => (await ana.evaluate(() => (window as any).__tones as string)).includes("1#"));

    // Mute stops sending the microphone; unmute restores it.
    const mute = anaCard.getByRole("button", { name: "Mudo" });
    await mute.click();
    await poll("muted", async () => (await mute.getAttribute("aria-pressed")) === "true");
    const trackOn = () =>
      ana.evaluate(() => ((window as any).__conversasPhone.peerConnections()[0] as RTCPeerConnection).getSenders()[0]!.track!.enabled);
    expect(await trackOn()).toBe(false);
    await mute.click();
    await poll("unmuted", async () => (await mute.getAttribute("aria-pressed")) === "false");
    expect(await trackOn()).toBe(true);

    // Hold renegotiates the media as send-only ("Em espera"), resume brings it back.
    const direction = () =>
      ana.evaluate(
        () => ((window as any).__conversasPhone.peerConnections()[0] as RTCPeerConnection).getTransceivers()[0]!.currentDirection,
      );
    await anaCard.getByRole("button", { name: "Em espera" }).click();
    await visible(anaCard.getByRole("button", { name: "Retomar" }));
    await visible(anaCard.locator(".call-status", { hasText: "Em espera" }));
    expect(await direction()).toBe("sendonly");
    await anaCard.getByRole("button", { name: "Retomar" }).click();
    await visible(anaCard.getByRole("button", { name: "Em espera" }));
    expect(await direction()).toBe("sendrecv");
    const after = await poll("audio after resume", async () => {
      const b = await rtp(bruno);
      return b.received > before.b.received + 10 && b;
    });
    expect(after.received).toBeGreaterThan(before.b.received);

    // Hang up: both cards leave.
    await anaCard.getByRole("button", { name: "Desligar" }).click();
    await card(ana, "Bruno Lima").waitFor({ state: "detached", timeout: 10_000 });
    await card(bruno, "Ana Souza").waitFor({ state: "detached", timeout: 10_000 });

    // Histories (live) and "Contatos Frequentes".
    const anaHistory = ana.getByRole("list", { name: "Histórico de chamadas" });
    await visible(anaHistory.locator("li", { hasText: "Bruno Lima" }).filter({ hasText: "Iniciadas" }));
    await bruno.getByRole("tab", { name: "Chamadas" }).click();
    const brunoHistory = bruno.getByRole("list", { name: "Histórico de chamadas" });
    await visible(brunoHistory.locator("li", { hasText: "Ana Souza" }).filter({ hasText: "Atendidas" }));
    await visible(ana.locator(".frequent").getByRole("button", { name: "Ligar para Bruno Lima" }));
    await visible(bruno.locator(".frequent").getByRole("button", { name: "Ligar para Ana Souza" }));
    // The outbound answered call is drawn grey (R28).
    expect(await anaHistory.locator("li", { hasText: "Bruno Lima" }).first().locator(".call-icon.tone-grey").count()).toBe(1);
  });

  it("R24, R27: a declined call tells the caller and is 'Perdidas' for the callee", async () => {
    const [joao, bruno] = await Promise.all([person("joao"), person("bruno")]);
    await callFromTab(joao, "bru", "Bruno Lima");
    const incoming = card(bruno, "João Pereira");
    await visible(incoming.getByText("Recebendo"));
    await incoming.getByRole("button", { name: "Recusar" }).click();
    await visible(card(joao, "Bruno Lima").getByRole("alert").filter({ hasText: "Chamada recusada." }));

    await bruno.getByRole("tab", { name: "Chamadas" }).click();
    await bruno.getByRole("button", { name: "Perdidas" }).click();
    const history = bruno.getByRole("list", { name: "Histórico de chamadas" });
    await visible(history.locator("li", { hasText: "João Pereira" }).filter({ hasText: "Perdidas" }));
    // The filter shows only missed calls: Bruno's answered call from Ana is not among them.
    expect(await history.locator("li", { hasText: "Atendidas" }).count()).toBe(0);
    // Search by name (accents ignored) and by number.
    await bruno.getByRole("button", { name: "Todas" }).click();
    const search = bruno.getByLabel("Pesquisar no histórico (nome ou número)");
    await search.fill("joao");
    await visible(history.locator("li", { hasText: "João Pereira" }));
    await poll(
      "only João's calls",
      async () => (await history.locator("li").count()) === (await history.locator("li", { hasText: "João" }).count()),
    );
    await search.fill("2004");
    await visible(history.locator("li", { hasText: "João Pereira" }));
    await search.fill("2099");
    await visible(bruno.getByText("Nenhuma chamada", { exact: true }));
    await visible(
      joao.getByRole("list", { name: "Histórico de chamadas" }).locator("li", { hasText: "Bruno Lima" }).filter({ hasText: "Iniciadas" }),
    );
  });

  it("R11, R23, R24: the 1:1 chat header calls at once; the card stays while navigating; a second incoming call can be declined", async () => {
    const [ana, bruno, marina] = await Promise.all([person("ana"), person("bruno"), person("marina")]);
    await ana.getByLabel("Pesquisar", { exact: true }).fill("bru");
    await ana.getByRole("button", { name: /Bruno Lima/ }).click();
    await visible(ana.getByRole("heading", { name: "Bruno Lima" }));
    await ana.locator(".chat-header").getByRole("button", { name: "Ligar para Bruno Lima" }).click();
    await card(bruno, "Ana Souza").getByRole("button", { name: "Atender" }).click();
    const anaCard = card(ana, "Bruno Lima");
    await visible(anaCard.locator(".call-status", { hasText: /^\d+:\d\d$/ }));
    // Moving to "Chamadas" and back to the chat keeps the same call on screen.
    await ana.getByRole("tab", { name: "Chamadas" }).click();
    await visible(anaCard.getByRole("button", { name: "Desligar" }));
    await ana.getByRole("tab", { name: "Chats" }).click();
    await visible(anaCard.getByRole("button", { name: "Desligar" }));

    await callFromTab(marina, "bru", "Bruno Lima");
    const second = card(bruno, "Marina Conceição");
    await visible(second.getByText("Recebendo"));
    await visible(card(bruno, "Ana Souza").locator(".call-status", { hasText: /^\d+:\d\d$/ }));
    await second.getByRole("button", { name: "Recusar" }).click();
    await visible(card(marina, "Bruno Lima").getByRole("alert").filter({ hasText: "Chamada recusada." }));
    await visible(card(bruno, "Ana Souza").getByRole("button", { name: "Desligar" }));
    await card(bruno, "Ana Souza").getByRole("button", { name: "Desligar" }).click();
    await anaCard.waitFor({ state: "detached", timeout: 10_000 });
  });

  it("R23: 'Transferir' hands the other side to another extension (blind transfer)", async () => {
    const [ana, bruno, joao] = await Promise.all([person("ana"), person("bruno"), person("joao")]);
    await callFromTab(ana, "bru", "Bruno Lima");
    await card(bruno, "Ana Souza").getByRole("button", { name: "Atender" }).click();
    const anaCard = card(ana, "Bruno Lima");
    await visible(anaCard.locator(".call-status", { hasText: /^\d+:\d\d$/ }));
    await anaCard.getByRole("button", { name: "Transferir" }).click();
    await anaCard.getByLabel("Transferir para (ramal ou número)").fill("2004");
    await anaCard.locator("form").getByRole("button", { name: "Transferir" }).click();
    // Ana's leg ends once Bruno took the REFER.
    await anaCard.waitFor({ state: "detached", timeout: 10_000 });
    // Bruno's browser follows the REFER and calls João.
    const transferred = card(joao, "Bruno Lima");
    await visible(transferred.getByText("Recebendo"));
    await transferred.getByRole("button", { name: "Atender" }).click();
    await visible(transferred.locator(".call-status", { hasText: /^\d+:\d\d$/ }));
    await transferred.getByRole("button", { name: "Desligar" }).click();
  });

  it("R23: a denied microphone and an unreachable call server each end in a clear message", async () => {
    const denied = await person("joao", true, {
      init: () => {
        navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("negado", "NotAllowedError"));
      },
    });
    await callFromTab(denied, "mari", "Marina Conceição");
    await visible(card(denied, "Marina Conceição").getByRole("alert").filter({ hasText: "O navegador negou acesso ao microfone" }));

    // With the call server out of reach the tab says so and offers no call that cannot work.
    await proxy.stop();
    try {
      const cut = await person("marina", false);
      await cut.getByRole("tab", { name: "Chamadas" }).click();
      await visible(cut.getByRole("alert").filter({ hasText: "Não foi possível falar com o servidor de chamadas." }), 30_000);
      await cut.getByLabel("Pesquisar contatos").fill("joa");
      expect(await cut.getByRole("button", { name: "Ligar para João Pereira" }).isDisabled()).toBe(true);
    } finally {
      await proxy.start();
    }
  });

  it("R2: a user without an extension sees the call controls disabled, with the reason", async () => {
    const rafael = await person("rafael", false);
    await rafael.getByRole("tab", { name: "Chamadas" }).click();
    await visible(rafael.getByRole("alert").filter({ hasText: "Sem ramal: você não pode fazer ou receber chamadas" }));
    await rafael.getByRole("button", { name: "Discador" }).click();
    expect(await rafael.getByLabel("Número para ligar").isDisabled()).toBe(true);
    expect(await rafael.getByRole("button", { name: "Ligar", exact: true }).isDisabled()).toBe(true);
    await rafael.getByLabel("Pesquisar contatos").fill("ana");
    expect(await rafael.getByRole("button", { name: "Ligar para Ana Souza" }).isDisabled()).toBe(true);
  });

  it("R26, issue 12.2: with no embedding origin configured there is no hand-off: an Atendimento user gets the card and posts nothing", async () => {
    const [ana, carla] = await Promise.all([person("ana"), person("carla")]);
    await carla.evaluate(() => {
      const w = window as any;
      w.__handoff = [];
      addEventListener("message", (e) => e.data?.type === "conversas.call" && w.__handoff.push(e.data));
    });
    await callFromTab(ana, "carla", "Carla Dias");
    const incoming = card(carla, "Ana Souza");
    await visible(incoming.getByText("Recebendo"));
    // An action posted to the app's own window is nobody's to give: it changes nothing.
    await carla.evaluate(() => postMessage({ type: "conversas.call.action", action: "hangup", callId: "x" }, "*"));
    await incoming.getByRole("button", { name: "Recusar" }).click();
    await visible(card(ana, "Carla Dias").getByRole("alert").filter({ hasText: "Chamada recusada." }));
    expect(await carla.evaluate(() => (window as any).__handoff)).toEqual([]);
  });
});

/** A call record as the sip-proxy reports it, stored through the same service-only route (issue 6). */
async function storeRecord(userId: string, record: object) {
  const res = await fetch(`${e2e.app.server.base}/api/tenants/${DEMO_TENANT}/users/${userId}/call-records`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [SERVICE_HEADER]: await issueServiceToken(e2e.app.server.secrets.CONVERSAS_SESSION_SECRET!),
    },
    body: JSON.stringify(record),
  });
  expect(res.status).toBe(200);
}

/** Someone of their own in the demo company, with an extension and the demo password. */
async function demoUser(id: string, name: string, extension: string): Promise<string> {
  const created = await putUser(
    e2e.app.server.base,
    e2e.app.server.adminKey,
    DEMO_TENANT,
    id,
    userBody(id, { name, extension, password: DEMO_PASSWORD }),
  );
  expect(created.status).toBeLessThan(300);
  return id;
}

const historyOf = (page: Page) => page.getByRole("list", { name: "Histórico de chamadas" });

describe("calls that do not connect, and a long history", () => {
  // The proxy again, its Timer C (SIP_RING_TIMEOUT, 180 s by default) giving up after 3 s, so nobody answering ends within the test.
  let quick: RunningProxy;
  beforeAll(async () => {
    await proxy.stop();
    quick = await proxy.start({ SIP_RING_TIMEOUT: "3" });
  });
  afterAll(() => proxy.stop());

  it("R23, R27, R28: nobody answers — 'Ninguém atendeu.' on the caller's card, 'Iniciadas' in red for the caller, 'Perdidas' for the callee", async () => {
    const [joao, marina] = await Promise.all([person("joao", true), person("marina", true)]);
    await callFromTab(joao, "mari", "Marina Conceição");
    const ringing = card(marina, "João Pereira");
    await visible(ringing.getByText("Recebendo"));
    // The softphone's stylesheet arrives with it (not in the first screen's): the cards float over the page.
    expect(await joao.locator(".call-cards").evaluate((el) => getComputedStyle(el).position)).toBe("fixed");

    // The ring timeout cancels the callee's ringing and answers the caller 408.
    await visible(card(joao, "Marina Conceição").getByRole("alert").filter({ hasText: "Ninguém atendeu." }), 15_000);
    await ringing.waitFor({ state: "detached", timeout: 10_000 });

    const joaoRow = historyOf(joao).locator("li", { hasText: "Marina Conceição" }).first();
    await visible(joaoRow.filter({ hasText: "Iniciadas" }));
    expect(await joaoRow.locator(".call-icon.tone-red").count()).toBe(1);
    await marina.getByRole("tab", { name: "Chamadas" }).click();
    const marinaRow = historyOf(marina).locator("li", { hasText: "João Pereira" }).first();
    await visible(marinaRow.filter({ hasText: "Perdidas" }));
    expect(await marinaRow.locator(".call-icon.tone-red").count()).toBe(1);
  });

  it("R23, R27: a busy extension — 'Ocupado…' on the caller's card and the attempt in the history", async () => {
    // Marina's desk phone (a SIP user agent, as on the PBX) is on another call: it answers 486 Busy Here.
    const signedIn = await login(e2e.app.server.base, DEMO_TENANT, "marina", DEMO_PASSWORD);
    // A one-time ticket per connection, asked of the platform as the web client asks for it.
    const tickets = async () => {
      const res = await http(`${e2e.app.server.base}/api/tenants/${DEMO_TENANT}/sip/ticket`, {
        method: "POST",
        headers: { authorization: `Bearer ${signedIn.body.token}` },
      });
      expect(res.status).toBe(200);
      return ticketUrl(res.body.url as string, res.body.ticket as string);
    };
    const desk = await phone(quick.wsPort, tickets, "2005");
    try {
      expect((await desk.register()).status).toBe(200);
      const ana = await person("ana", true);
      await callFromTab(ana, "mari", "Marina Conceição");
      await (await desk.nextInvitation()).reject({ statusCode: 486 });
      await visible(card(ana, "Marina Conceição").getByRole("alert").filter({ hasText: "Ocupado: a pessoa está em outra chamada." }));
      const row = historyOf(ana).locator("li", { hasText: "Marina Conceição" }).first();
      await visible(row.filter({ hasText: "Iniciadas" }));
      expect(await row.locator(".call-icon.tone-red").count()).toBe(1);
    } finally {
      await desk.stop();
    }
  });

  it("R27: the history comes 20 at a time; 'Carregar mais' shows 'Carregando…' and brings the rest, newest first", async () => {
    // Someone of their own with 25 calls from outside numbers, stored as the sip-proxy stores them.
    const id = await demoUser("historico", "Helena Histórico", "2090");
    const now = Date.now();
    const numbers = Array.from({ length: 25 }, (_, i) => `+5511300000${String(i).padStart(2, "0")}`);
    for (const [i, number] of numbers.entries()) {
      const endedAt = now - (numbers.length - i) * 60_000;
      const answered = i % 2 === 0;
      await storeRecord(id, {
        callId: `paging-${i}-${now}@test`,
        tenant: DEMO_TENANT,
        caller: { userId: null, number },
        callee: { userId: id, number: "2090" },
        parties: [{ userId: id, direction: "inbound" }],
        answered,
        startedAt: endedAt - 30_000,
        answeredAt: answered ? endedAt - 25_000 : null,
        endedAt,
        endReason: answered ? "caller-hangup" : "no-answer",
      });
    }

    // The user room's pages to this browser wait while `held` is set, so the loading state can be seen.
    let held: Array<() => void> | null = null;
    const helena = await person(id, false, {
      prepare: (page) =>
        page.routeWebSocket(/\/parties\/hub\//, (ws) => {
          const room = ws.connectToServer();
          room.onMessage((m) => {
            if (held && typeof m === "string" && m.includes('"calls.page"')) held.push(() => ws.send(m));
            else ws.send(m);
          });
        }),
    });
    await helena.getByRole("tab", { name: "Chamadas" }).click();
    const rows = historyOf(helena).locator("li");
    await poll("the first page", async () => (await rows.count()) === 20);
    expect(await rows.first().textContent()).toContain(numbers[24]);
    expect(await rows.nth(19).textContent()).toContain(numbers[5]);
    expect(await rows.first().textContent()).toContain("Atendidas");
    expect(await rows.nth(1).textContent()).toContain("Perdidas");

    held = [];
    await helena.getByRole("button", { name: "Carregar mais" }).click();
    const loading = helena.locator(".call-history").getByRole("status");
    await visible(loading.filter({ hasText: "Carregando…" }));
    expect(await historyOf(helena).getAttribute("aria-busy")).toBe("true");
    const waiting = await poll("the next page on its way", async () => held!.length > 0 && held!);
    held = null;
    for (const deliver of waiting) deliver();

    await poll("all 25", async () => (await rows.count()) === 25);
    await loading.waitFor({ state: "detached", timeout: 5_000 });
    expect(await rows.nth(20).textContent()).toContain(numbers[4]);
    expect(await rows.last().textContent()).toContain(numbers[0]);
    expect(await helena.getByRole("button", { name: "Carregar mais" }).count()).toBe(0);
  });

  it("issue 17: at 1366×800 the history is in view first — frequent contacts as one row of chips, the keypad opened on demand ('Discador')", async () => {
    const id = await demoUser("agenda", "Agenda Cheia", "2091");
    // Eight frequent numbers (the most the room keeps) and their calls.
    const now = Date.now();
    for (let i = 0; i < 16; i++) {
      const endedAt = now - (16 - i) * 60_000;
      await storeRecord(id, {
        callId: `agenda-${i}-${now}@test`,
        tenant: DEMO_TENANT,
        caller: { userId: id, number: "2091" },
        callee: { userId: null, number: `+55113100000${i % 8}` },
        parties: [{ userId: id, direction: "outbound" }],
        answered: true,
        startedAt: endedAt - 60_000,
        answeredAt: endedAt - 50_000,
        endedAt,
        endReason: "caller-hangup",
      });
    }
    const agenda = await person(id, false);
    await agenda.setViewportSize({ width: 1366, height: 800 });
    await agenda.getByRole("tab", { name: "Chamadas" }).click();
    const rows = historyOf(agenda).locator("li");
    await poll("the history", async () => (await rows.count()) === 16);
    await poll("eight frequent chips", async () => (await agenda.locator(".frequent").getByRole("button").count()) === 8);
    // The first three calls of the history are on screen without scrolling, and no keypad is.
    for (let i = 0; i < 3; i++) expect((await rows.nth(i).boundingBox())!.y + 40).toBeLessThan(800);
    expect(await agenda.getByRole("group", { name: "Discador" }).count()).toBe(0);
    await agenda.screenshot({ path: "/tmp/calls-1366.png" });

    const dialer = agenda.getByRole("button", { name: "Discador" });
    expect(await dialer.getAttribute("aria-expanded")).toBe("false");
    await dialer.click();
    expect(await dialer.getAttribute("aria-expanded")).toBe("true");
    await visible(agenda.getByRole("group", { name: "Discador" }));
    // The number field has the keyboard; digits typed or clicked show in it, "Apagar" takes one back.
    await agenda.keyboard.type("20");
    await agenda.getByRole("group", { name: "Discador" }).getByRole("button", { name: "0" }).click();
    await agenda.getByRole("group", { name: "Discador" }).getByRole("button", { name: "2" }).click();
    expect(await agenda.getByLabel("Número para ligar").inputValue()).toBe("2002");
    await agenda.getByRole("button", { name: "Apagar" }).click();
    expect(await agenda.getByLabel("Número para ligar").inputValue()).toBe("200");
    await dialer.click();
    expect(await agenda.getByRole("group", { name: "Discador" }).count()).toBe(0);
  });
});
