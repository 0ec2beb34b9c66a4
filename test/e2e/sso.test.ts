/**
 * Single sign-on in Debian's Chromium (issue 18.1): panva's oidc-provider (a
 * certified OpenID Provider) on 127.0.0.1 as the company's identity provider
 * (test/support/oidc.ts, shared with the integration test). An admin saves it in
 * "Conta da empresa (SSO)" (the client secret never comes back); the sign-in
 * page then shows "Entrar com a conta da empresa", which goes through the
 * provider's own pages and lands signed in (the one-time cookie traded by the
 * app; nothing left in the address); a person the company does not know is
 * refused with the sign-in's own message; with passwords off only the button stays.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startProvider, type TestProvider } from "../support/oidc";
import { browserSuite, gone, visible } from "./support";

const e2e = browserSuite("sso", { vars: () => ({ CONVERSAS_SSO_ALLOW_HTTP: "1" }) });
const { newPage, signedIn } = e2e;

let idp: TestProvider;
const base = () => e2e.app.server.base;
const platform = () => e2e.app.server.adminKey!;
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${base()}/api/tenants/demo${path}`, {
    ...init,
    headers: { authorization: `Bearer ${platform()}`, "content-type": "application/json", ...(init.headers as object) },
  });

beforeAll(async () => {
  idp = await startProvider(`${base()}/api/tenants/demo/sso/callback`);
  expect((await api("/users/ana", { method: "PATCH", body: JSON.stringify({ admin: true }) })).status).toBe(200);
});

afterAll(async () => {
  await idp?.stop();
});

/** The provider's own pages (oidc-provider's development sign-in and consent), as a person goes through them. */
async function atProvider(page: Page, login: string): Promise<void> {
  await page.waitForURL((url) => url.origin === idp.issuer);
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill("qualquer-senha");
  await page.getByRole("button", { name: "Sign-in" }).click();
  const consent = page.getByRole("button", { name: "Continue" });
  await consent.waitFor({ timeout: 15_000 });
  await consent.click();
  await page.waitForURL((url) => url.origin === base());
}

describe("issue 18.1: single sign-on in the browser", () => {
  it("issue 18.1: an admin saves the company's provider in 'Conta da empresa (SSO)'; the client secret is never shown back", async () => {
    const page = await signedIn("ana");
    await page.getByRole("button", { name: "Menu do usuário" }).click();
    await page.getByRole("menuitem", { name: "Administração" }).click();
    await page.getByRole("tab", { name: "Conta da empresa (SSO)" }).click();
    await visible(page.getByText("Ainda não configurada."));
    expect(await page.getByLabel("Endereço de retorno (redirect URI)").inputValue()).toBe(`${base()}/api/tenants/demo/sso/callback`);
    await page.getByLabel("Entrada pela conta da empresa ativada").check();
    await page.getByLabel("Emissor (issuer)").fill(idp.issuer);
    await page.getByLabel("ID do cliente (client id)").fill(idp.clientId);
    await page.getByRole("button", { name: "Salvar" }).click();
    await visible(page.getByText("Segredo do cliente: obrigatório ao configurar pela primeira vez"));
    await page.getByLabel("Segredo do cliente (client secret)").fill(idp.clientSecret);
    await page.getByRole("button", { name: "Salvar" }).click();
    await visible(page.getByRole("status").filter({ hasText: "Configuração da conta da empresa salva." }));
    expect(await page.getByLabel("Segredo do cliente (client secret)").inputValue()).toBe("");
    await visible(page.getByText("Guardado. Deixe em branco para manter"));
    expect(await page.content()).not.toContain(idp.clientSecret);
    const config = (await (await api("/sso/config")).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ enabled: true, issuer: idp.issuer, clientId: idp.clientId, hasSecret: true, passwordSignIn: true });
  });

  it("issue 18.1: 'Entrar com a conta da empresa' goes through the company's OpenID provider and lands signed in, with nothing left in the address", async () => {
    const page = await newPage();
    await page.goto(`${base()}/?empresa=demo`);
    const button = page.getByRole("link", { name: "Entrar com a conta da empresa" });
    await visible(button);
    // Passwords are still on for this company: the form stays beside the button.
    await visible(page.getByLabel("Senha", { exact: true }));
    await button.click();
    await atProvider(page, "bruno");
    await visible(page.getByRole("button", { name: "Sair" }));
    const url = new URL(page.url());
    expect([...url.searchParams.keys()].filter((k) => k.startsWith("sso") || k === "code" || k === "state")).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).not.toContain("conversas_sso");
    const stored = JSON.parse((await page.evaluate(() => localStorage.getItem("conversas.session")))!) as { user: { id: string } };
    expect(stored.user.id).toBe("bruno");
  });

  it("issue 18.1: a person the company does not know is refused with the sign-in's own message, in pt-BR", async () => {
    const page = await newPage();
    await page.goto(`${base()}/?empresa=demo`);
    await page.getByRole("link", { name: "Entrar com a conta da empresa" }).click();
    await atProvider(page, "ninguem");
    await visible(page.getByRole("alert").filter({ hasText: "Empresa, login ou senha inválidos, ou usuário sem acesso ao Conversas." }));
    expect(new URL(page.url()).searchParams.has("sso_erro")).toBe(false);
    await visible(page.getByRole("button", { name: "Entrar" }));
  });

  it("issue 18.1: with password sign-in turned off only 'Entrar com a conta da empresa' stays on the sign-in page", async () => {
    const put = await api("/sso", {
      method: "PUT",
      body: JSON.stringify({
        enabled: true,
        issuer: idp.issuer,
        clientId: idp.clientId,
        loginClaim: "preferred_username",
        passwordSignIn: false,
      }),
    });
    expect(put.status).toBe(200);
    const page = await newPage();
    await page.goto(`${base()}/?empresa=demo`);
    await visible(page.getByRole("link", { name: "Entrar com a conta da empresa" }));
    await visible(page.getByText("Esta empresa entra somente com a conta da empresa."));
    await gone(page.getByLabel("Senha", { exact: true }));
    await page.getByRole("link", { name: "Entrar com a conta da empresa" }).click();
    await atProvider(page, "carla");
    await visible(page.getByRole("button", { name: "Sair" }));
  });
});
