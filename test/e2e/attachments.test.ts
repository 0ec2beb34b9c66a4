/**
 * Attachments as people send them in Debian's Chromium (issue 17, items 7 and
 * 11): a picture pasted with Ctrl+V and files dropped on the chat open the same
 * preview as "Anexar", several at once, each with its remove button and its own
 * progress bar, and arrive in order; a voice note recorded where the browser only
 * records MP4 (Safari's case) is sent as MP4 and played by the other side; voice
 * notes are listed as playable audio under "Áudios" in the contact and group
 * panels, never under "Documentos".
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserSuite, gone, MEDIA_ARGS, visible } from "./support";
import { bubble, dm, log, openChatWith, png, writer, openFromList } from "./people";

const e2e = browserSuite("attachments", {
  chromiumArgs: MEDIA_ARGS,
  permissions: ["microphone", "clipboard-read", "clipboard-write"],
});
const { newContext, newPage, signIn, signedIn } = e2e;

/** Files dropped on an element, as a file manager would drop them (dragenter, dragover, drop). */
async function dropFiles(page: Page, selector: string, files: { name: string; type: string; base64: string }[]) {
  const data = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    return dt;
  }, files);
  await page.dispatchEvent(selector, "dragenter", { dataTransfer: data });
  await page.dispatchEvent(selector, "dragover", { dataTransfer: data });
  await visible(page.getByText("Solte os arquivos para anexar"));
  await page.dispatchEvent(selector, "drop", { dataTransfer: data });
}

/** A second of real audio (a tone), recorded by Chromium as WebM/Opus. */
async function toneWebm(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(async () => {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const out = ctx.createMediaStreamDestination();
    osc.connect(out);
    osc.start();
    const recorder = new MediaRecorder(out.stream, { mimeType: "audio/webm;codecs=opus" });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const done = new Promise((r) => (recorder.onstop = r));
    recorder.start();
    await new Promise((r) => setTimeout(r, 1200));
    recorder.stop();
    await done;
    osc.stop();
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  });
  return Buffer.from(b64, "base64");
}

describe("attachments", () => {
  it("issue 17: Ctrl+V of a picture and files dropped on the chat share the preview — several, each removable, each with its progress — and arrive in order", async () => {
    const ana = await signedIn("ana");
    await openChatWith(ana, "bru", "Bruno Lima");
    const bruno = await newPage(await newContext());
    await signIn(bruno, "bruno");

    // A screenshot in the clipboard, pasted into the message box.
    await ana.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      await navigator.clipboard.write([new ClipboardItem({ "image/png": new Blob([bytes], { type: "image/png" }) })]);
    }, png(120, 80).toString("base64"));
    await ana.getByLabel("Mensagem", { exact: true }).focus();
    await ana.keyboard.press("Control+V");
    const preview = ana.getByRole("region", { name: "Prévia do anexo" });
    await visible(preview.getByText(/^imagem-colada-.*\.png$/));
    expect(await ana.getByLabel("Mensagem", { exact: true }).inputValue()).toBe("");

    // Two files dropped anywhere on the chat join it.
    await dropFiles(ana, "main.chat", [
      { name: "contrato.pdf", type: "application/pdf", base64: Buffer.from("%PDF-1.4\n%%EOF\n").toString("base64") },
      { name: "foto.png", type: "image/png", base64: png(90, 60).toString("base64") },
    ]);
    await gone(ana.getByText("Solte os arquivos para anexar"));
    const files = preview.getByRole("list", { name: "3 arquivos para enviar" });
    await visible(files);
    expect(await files.locator(".doc-name").allTextContents()).toEqual([
      expect.stringMatching(/^imagem-colada-/),
      "contrato.pdf",
      "foto.png",
    ]);
    await ana.screenshot({ path: "/tmp/attachments-preview.png" });

    // Each has its own remove button.
    await preview.getByRole("button", { name: "Remover contrato.pdf" }).click();
    await visible(preview.getByRole("list", { name: "2 arquivos para enviar" }));

    // Each shows its own progress while it uploads (uploads held back a while, as on a slow line).
    await ana.route("**/files", async (route) => {
      if (route.request().method() === "POST") await new Promise((r) => setTimeout(r, 1200));
      await route.fallback();
    });
    await preview.getByLabel("Legenda").fill("duas fotos");
    await preview.getByRole("button", { name: "Enviar" }).click();
    await visible(preview.getByRole("progressbar", { name: /^Enviando imagem-colada-/ }));
    await visible(preview.getByRole("progressbar", { name: "Enviando foto.png" }));
    await gone(preview);

    // Bruno gets both, in the order shown, the caption with the first.
    await openFromList(bruno, "Ana Souza");
    const pictures = log(bruno).locator("li.msg img.media-thumb");
    await expect.poll(() => pictures.count()).toBe(2);
    expect(await pictures.nth(0).getAttribute("alt")).toMatch(/^imagem-colada-/);
    expect(await pictures.nth(1).getAttribute("alt")).toBe("foto.png");
    expect(await log(bruno).locator("li.msg").nth(0).textContent()).toContain("duas fotos");
    expect(await log(bruno).locator("li.msg").nth(1).textContent()).not.toContain("duas fotos");
  });

  it("issue 17, R9: where the browser records only MP4 (Safari), the voice note goes as MP4 and the other side plays it", async () => {
    const context = await newContext();
    await context.addInitScript(() => {
      const supported = MediaRecorder.isTypeSupported.bind(MediaRecorder);
      MediaRecorder.isTypeSupported = (type: string) => type === "audio/mp4" && supported(type);
    });
    const carla = await newPage(context);
    await signIn(carla, "carla");
    await openChatWith(carla, "mari", "Marina Conceição");
    const sentTypes: string[] = [];
    carla.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname.endsWith("/files"))
        sentTypes.push(`${r.headers()["content-type"]} ${decodeURIComponent(r.headers()["x-file-name"] ?? "")}`);
    });
    await carla.getByRole("button", { name: "Gravar áudio" }).click();
    await expect.poll(() => carla.getByRole("timer", { name: "Gravando" }).textContent(), { timeout: 10_000 }).toBe("0:02");
    await carla.getByRole("button", { name: "Parar" }).click();
    const preview = carla.getByRole("region", { name: "Prévia do anexo" });
    await preview.getByRole("button", { name: "Enviar" }).click();
    await gone(preview);
    expect(sentTypes).toEqual([expect.stringMatching(/^audio\/mp4 audio-.*\.m4a$/)]);

    const marina = await newPage(await newContext());
    await signIn(marina, "marina");
    await openFromList(marina, "Carla Dias");
    const note = log(marina).getByRole("group", { name: "Mensagem de voz" });
    await visible(note);
    await note.getByRole("button", { name: "Reproduzir" }).click();
    await expect.poll(() => note.locator("progress").evaluate((p: HTMLProgressElement) => p.value), { timeout: 10_000 }).toBeGreaterThan(0);
  });

  it("issue 17: voice notes are listed as playable audio under 'Áudios' in the contact and the group panels, not under 'Documentos'", async () => {
    const joao = await signedIn("joao");
    const tone = await toneWebm(joao);
    const rafael = await writer(e2e, "rafael");
    const chat = dm("joao", "rafael");
    await rafael.file(chat, tone, "audio-2026-01-01-10-00-00.webm", "audio/webm", { voiceMs: 1200 });
    await rafael.file(chat, Buffer.from("%PDF-1.4\n%%EOF\n"), "proposta.pdf", "application/pdf");
    const res = await fetch(`${e2e.app.server.base}/api/tenants/demo/groups`, {
      method: "POST",
      headers: { authorization: `Bearer ${rafael.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Suporte N2", members: ["joao"] }),
    });
    const { chatId } = (await res.json()) as { chatId: string };
    await rafael.file(chatId, tone, "audio-2026-01-01-11-00-00.webm", "audio/webm", { voiceMs: 1200 });
    await rafael.file(chatId, Buffer.from("%PDF-1.4\n%%EOF\n"), "escala.pdf", "application/pdf");

    for (const [row, panelName, doc] of [
      [/Rafael Ângelo/, "Dados do contato", "proposta.pdf"],
      [/Suporte N2/, "Dados do grupo", "escala.pdf"],
    ] as const) {
      await openFromList(joao, row);
      await visible(bubble(joao, doc));
      const toggle = joao.locator(".panel-toggle");
      if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
      const panel = joao.getByRole("complementary", { name: panelName });
      await panel.getByRole("tab", { name: "Áudios" }).click();
      const note = panel.getByRole("group", { name: /^Mensagem de voz, \d\d\/\d\d\/\d{4} \d\d:\d\d$/ });
      await visible(note);
      await note.getByRole("button", { name: "Reproduzir" }).click();
      await expect
        .poll(() => note.locator("progress").evaluate((p: HTMLProgressElement) => p.value), { timeout: 10_000 })
        .toBeGreaterThan(0);
      await panel.getByRole("tab", { name: "Documentos" }).click();
      await visible(panel.getByText(doc));
      expect(await panel.getByText(/\.webm$/).count()).toBe(0);
      await joao.screenshot({ path: `/tmp/attachments-${panelName.replace(/\W+/g, "-")}.png` });
    }
  });
});
