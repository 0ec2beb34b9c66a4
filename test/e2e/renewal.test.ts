/**
 * Issue 12.3's silent renewal, in Debian's Chromium against the real runtime: an
 * access token of a few seconds (the client renews at about three quarters of a
 * token's life and, before use, when less than a third of it is left) is renewed
 * again and again while the app keeps working — sockets, sending, uploads and
 * their pictures, a reload — past several expiries. Its own file and server, so
 * the other session tests (sessions.test.ts) keep their 15 s tokens.
 */
import { describe, expect, it } from "vitest";
import { http } from "../support/clients";
import { browserSuite, visible } from "./support";
import { bubble, connected, log, openChatWith, openFromList, openSockets, png, send, storedSession as stored } from "./people";

const ACCESS_TTL_MS = 5_000;
const e2e = browserSuite("renewal", { vars: () => ({ CONVERSAS_ACCESS_TTL_MS: String(ACCESS_TTL_MS) }) });
const { newPage, signIn } = e2e;
const me = (token: string) => http(`${e2e.app.server.base}/api/tenants/demo/me`, { headers: { authorization: `Bearer ${token}` } });

describe("issue 12.3: silent renewal", () => {
  it(`issue 12.3: an access token of ${ACCESS_TTL_MS / 1000} s is renewed silently: sockets, files and sending keep working past several expiries`, async () => {
    const page = await newPage();
    const sockets = openSockets(page);
    await signIn(page, "ana");
    await openChatWith(page, "car", "Carla Dias");
    await connected(page);
    const first = (await stored(page))!;
    // Three lifetimes of the first token.
    await page.waitForTimeout(3 * ACCESS_TTL_MS);
    const now = (await stored(page))!;
    expect(now.token).not.toBe(first.token);
    expect(now.refreshToken).toBe(first.refreshToken);
    expect(now.expiresAt).toBeGreaterThan(Date.now());
    expect((await me(first.token)).status).toBe(401);
    // Still live: sending, an upload and its picture, and a socket that has to reconnect.
    await send(page, "depois de três expirações");
    await page.locator(".composer input[type=file]").setInputFiles({ name: "tarde.png", mimeType: "image/png", buffer: png(40, 30) });
    await page.getByRole("region", { name: "Prévia do anexo" }).getByRole("button", { name: "Enviar" }).click();
    const picture = log(page).locator("img.media-thumb[alt='tarde.png']");
    await visible(picture);
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(40);
    await page.reload();
    await connected(page);
    await openFromList(page, "Carla Dias");
    await visible(bubble(page, "depois de três expirações"));
    expect(sockets().length).toBeGreaterThan(0);
  });
});
