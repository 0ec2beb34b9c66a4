/**
 * How a chat looks and holds still in Debian's Chromium (issue 17): a chat with
 * unread messages opens at "Mensagens não lidas" and a floating "↓" counts what is
 * new below; a chat full of pictures, videos and a PDF opens at the newest message
 * and stays there while the media arrive late, and keeps its place while older
 * pages and their media load above; picture bubbles are as wide as the picture;
 * a 200-line message folds behind "Ler mais"; the "Copiado" and "Mensagem
 * encaminhada" notices never cover the newest message.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserSuite, gone, visible } from "./support";
import { bubble, dm, log, openChatWith, png, send, writer, openFromList } from "./people";

/** Stored by the room: ✓ "Enviada", or already ✓✓ "Entregue" / "Lida" (issue 17.1). */
const STORED = /^(Enviada|Entregue|Lida)$/;

const e2e = browserSuite("chat-view", { viewport: { width: 1280, height: 760 }, permissions: ["clipboard-read", "clipboard-write"] });
const { signedIn } = e2e;

/** A real one-second WebM video, recorded by Chromium itself from a canvas. */
async function webm(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 320;
    canvas.height = 180;
    const ctx = canvas.getContext("2d")!;
    const recorder = new MediaRecorder(canvas.captureStream(15), { mimeType: "video/webm" });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const done = new Promise((r) => (recorder.onstop = r));
    recorder.start();
    for (let i = 0; i < 15; i++) {
      ctx.fillStyle = `hsl(${i * 24} 70% 50%)`;
      ctx.fillRect(0, 0, 320, 180);
      await new Promise((r) => setTimeout(r, 60));
    }
    recorder.stop();
    await done;
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  });
  return Buffer.from(b64, "base64");
}

/** Holds back every stored file the page asks for, so media arrive late as on a slow network. */
async function slowFiles(page: Page, ms: number) {
  await page.route(/\/files\/[^/?]+\?/, async (route) => {
    await new Promise((r) => setTimeout(r, ms));
    await route.continue().catch(() => {});
  });
}

/** Samples, every frame for `ms`, how far the history is from its bottom and where one element sits. */
function watchHistory(page: Page, ms: number, selector: string) {
  return page.evaluate(
    async ({ ms, selector }) => {
      const box = document.querySelector<HTMLElement>(".history")!;
      const samples: { fromBottom: number; top: number | null }[] = [];
      const end = performance.now() + ms;
      while (performance.now() < end) {
        await new Promise((r) => requestAnimationFrame(r));
        const el = document.querySelector(selector);
        samples.push({
          fromBottom: box.scrollHeight - box.scrollTop - box.clientHeight,
          top: el ? Math.round(el.getBoundingClientRect().top) : null,
        });
      }
      return samples;
    },
    { ms, selector },
  );
}

const allMediaLoaded = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLImageElement>(".history img.media-thumb")].every((img) => img.complete && img.naturalWidth > 0),
  );

describe("the chat view", () => {
  it("issue 17: unread messages open at 'Mensagens não lidas'; scrolled up, '↓' counts the new ones and jumps to the newest", async () => {
    const ana = await writer(e2e, "ana");
    const chat = dm("ana", "bruno");
    for (let i = 1; i <= 12; i++) await ana.text(chat, `lida ${i}`);
    const bruno = await signedIn("bruno");
    await openFromList(bruno, "Ana Souza");
    await visible(bubble(bruno, "lida 12"));
    // All twelve were unread: the line opens the chat, above the first.
    expect(
      await log(bruno)
        .locator("li.unread-line")
        .evaluate((el) => el.nextElementSibling?.textContent),
    ).toContain("lida 1");
    // The browser's "back" closes the chat (the address follows the open chat).
    await bruno.goBack();
    await gone(log(bruno));

    for (let i = 1; i <= 30; i++) await ana.text(chat, `nova ${i}\nsegunda linha`);
    await visible(bruno.getByRole("list", { name: "Conversas" }).getByRole("img", { name: "30 mensagens não lidas" }));
    await openFromList(bruno, "Ana Souza");
    const line = log(bruno).locator("li.unread-line", { hasText: "Mensagens não lidas" });
    await visible(line);
    // The line sits right above "nova 1", at the top of the view.
    expect(await line.evaluate((el) => el.nextElementSibling?.textContent)).toContain("nova 1");
    const history = bruno.locator(".history");
    const frame = (await history.boundingBox())!;
    await expect.poll(async () => (await line.boundingBox())!.y - frame.y).toBeLessThan(60);
    expect((await line.boundingBox())!.y).toBeGreaterThanOrEqual(frame.y - 1);

    // "↓" says how many are below, and takes the reader to the newest.
    const down = bruno.getByRole("button", { name: /^Ir para as mensagens mais recentes, \d+ mensagens não lidas$/ });
    await visible(down);
    const count = Number(await down.locator(".jump-count").textContent());
    expect(count).toBeGreaterThan(5);
    expect(count).toBeLessThan(30);
    await down.click();
    await expect.poll(() => history.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(2);
    await gone(bruno.getByRole("button", { name: /^Ir para as mensagens mais recentes/ }));

    // Scrolled up, what arrives is counted; the line stays where it was while the chat is open.
    await history.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await ana.text(chat, "chegou agora 1");
    await ana.text(chat, "chegou agora 2");
    await visible(bruno.getByRole("button", { name: "Ir para as mensagens mais recentes, 2 mensagens não lidas" }));
    await visible(line);
    await bruno.getByRole("button", { name: /^Ir para as mensagens mais recentes/ }).click();
    await expect.poll(() => history.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(2);
    // At the bottom, a new message simply shows.
    await ana.text(chat, "chegou agora 3");
    await visible(bubble(bruno, "chegou agora 3"));
    await expect.poll(() => history.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(2);
    await bruno.screenshot({ path: "/tmp/chat-view-unread.png" });
  });

  it("issue 17: a chat of pictures, videos and a PDF opens at the newest message and holds still while they load late", async () => {
    const carla = await signedIn("carla");
    const video = await webm(carla);
    const sender = await writer(e2e, "carla");
    const chat = dm("carla", "joao");
    const sizes = [
      [900, 600],
      [300, 800],
      [1200, 300],
      [640, 640],
    ] as const;
    for (const [i, [w, h]] of sizes.entries()) {
      await sender.file(chat, png(w, h), `foto-${i}.png`, "image/png", i === 1 ? { caption: "a vista do escritório" } : {});
      await sender.text(chat, `depois da foto ${i}`);
    }
    await sender.file(chat, video, "video.webm", "video/webm");
    await sender.file(chat, Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), "contrato.pdf", "application/pdf");
    await sender.text(chat, "a última mensagem");

    await slowFiles(carla, 800);
    await openChatWith(carla, "joa", "João Pereira");
    await visible(bubble(carla, "a última mensagem"));
    const samples = await watchHistory(carla, 2_500, ".history li.msg:last-child");
    await expect.poll(() => allMediaLoaded(carla), { timeout: 15_000 }).toBe(true);
    // Every frame, while the media arrived: at the bottom, the newest message not moving.
    expect(Math.max(...samples.map((s) => s.fromBottom))).toBeLessThan(2);
    expect(new Set(samples.map((s) => s.top)).size).toBe(1);
    expect(await carla.locator(".history").evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(2);

    // Picture and video bubbles are as wide as what they show (plus the bubble's padding), caption included.
    for (const b of await log(carla).locator(".bubble.has-media").all()) {
      const gap = await b.evaluate((el) => {
        const media = el.querySelector("img, video")!;
        return el.getBoundingClientRect().width - media.getBoundingClientRect().width;
      });
      expect(gap).toBeLessThan(24);
    }
    await carla.screenshot({ path: "/tmp/chat-view-media.png" });
  });

  it("issue 17, R8: older pages and their pictures load above without moving the message being read", async () => {
    const sender = await writer(e2e, "marina");
    const chat = dm("marina", "rafael");
    for (let i = 1; i <= 6; i++) await sender.file(chat, png(500 + i * 40, 400), `antiga-${i}.png`, "image/png");
    for (let i = 1; i <= 60; i++) await sender.text(chat, `texto ${i}`);
    const marina = await signedIn("marina");
    await slowFiles(marina, 700);
    await openChatWith(marina, "rafa", "Rafael Ângelo");
    await visible(bubble(marina, "texto 60"));
    expect(await log(marina).locator("img").count()).toBe(0);

    // Scrolled to the top: the older page (six pictures) comes in above "texto 11", which stays put.
    const history = marina.locator(".history");
    await history.evaluate((el) => (el.scrollTop = 0));
    const anchor = log(marina)
      .locator("li.msg")
      .filter({ has: marina.locator(".msg-text", { hasText: /^texto 11$/ }) });
    const before = (await anchor.boundingBox())!.y;
    await expect.poll(() => log(marina).locator("img.media-thumb").count()).toBe(6);
    const samples = await watchHistory(marina, 2_000, `.history li.msg[data-seq="${await anchor.getAttribute("data-seq")}"]`);
    // The pictures near the view arrived meanwhile (the farther ones wait, lazily, for the reader to scroll up).
    expect(
      await marina.evaluate(
        () => [...document.querySelectorAll<HTMLImageElement>(".history img.media-thumb")].filter((i) => i.naturalWidth > 0).length,
      ),
    ).toBeGreaterThan(0);
    const tops = samples.map((s) => s.top!);
    expect(Math.max(...tops) - Math.min(...tops)).toBeLessThanOrEqual(1);
    expect(Math.abs(tops[0]! - before)).toBeLessThanOrEqual(1);
  });

  it("issue 17: a 200-line message folds behind 'Ler mais'; the notices never cover the newest message", async () => {
    const rafael = await signedIn("rafael");
    await openChatWith(rafael, "carl", "Carla Dias");
    const long = Array.from({ length: 200 }, (_, i) => `linha ${i + 1}`).join("\n");
    await rafael.getByLabel("Mensagem", { exact: true }).fill(long);
    await rafael.getByLabel("Mensagem", { exact: true }).press("Enter");
    const longBubble = bubble(rafael, "linha 200");
    await visible(longBubble.getByRole("img", { name: STORED }));
    const folded = (await longBubble.boundingBox())!.height;
    expect(folded).toBeLessThan(500);
    const more = longBubble.getByRole("button", { name: "Ler mais" });
    expect(await more.getAttribute("aria-expanded")).toBe("false");
    await more.click();
    await expect.poll(async () => (await longBubble.boundingBox())!.height).toBeGreaterThan(3000);
    // Unfolding keeps the start of the message where it was.
    await longBubble.getByRole("button", { name: "Ler menos" }).click();
    await expect.poll(async () => (await longBubble.boundingBox())!.height).toBeLessThan(500);

    await send(rafael, "confere o número 4521?");
    const last = bubble(rafael, "confere o número 4521?");
    await last.getByRole("button", { name: "Ações da mensagem" }).click();
    await rafael.getByRole("menuitem", { name: "Copiar" }).click();
    const toast = rafael.locator(".toast", { hasText: "Copiado" });
    await visible(toast);
    const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    expect(overlap((await toast.boundingBox())!, (await last.boundingBox())!)).toBe(false);
    await rafael.screenshot({ path: "/tmp/chat-view-toast.png" });

    await last.getByRole("button", { name: "Ações da mensagem" }).click();
    await rafael.getByRole("menuitem", { name: "Encaminhar" }).click();
    const dialog = rafael.getByRole("dialog", { name: "Encaminhar mensagem para…" });
    await dialog.getByLabel("Pesquisar conversas e contatos").fill("ana");
    await dialog.getByRole("checkbox", { name: /Ana Souza/ }).check();
    await dialog.getByRole("button", { name: /Encaminhar/ }).click();
    const forwarded = rafael.locator(".toast", { hasText: "Mensagem encaminhada" });
    await visible(forwarded);
    expect(overlap((await forwarded.boundingBox())!, (await last.boundingBox())!)).toBe(false);
  });
});
