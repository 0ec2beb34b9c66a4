/**
 * "Administração" in Debian's Chromium against the real server (issue 18.3–18.6):
 * a company admin opens it from the user menu; creates a user (every wrong field
 * named first), disables and re-enables them, resets their password, ends their
 * sessions, sets their PBX credentials (never shown back); searches and pages the
 * users; reads the audit trail with its filters; sets the retention; exports a
 * chat and a user's data (zips arrive). A person who is not an admin sees no
 * "Administração", and the company routes refuse their session.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { DEMO_PASSWORD } from "../../scripts/seed.mjs";
import { login } from "../support/clients";
import { browserSuite, gone, visible } from "./support";
import { connected, dm, writer } from "./people";

const e2e = browserSuite("admin", { viewport: { width: 1280, height: 900 } });
const { newPage, signIn, signedIn } = e2e;

const base = () => e2e.app.server.base;
async function api(path: string, token: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base()}/api/tenants/demo${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers as object) },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
const platform = () => e2e.app.server.adminKey!;

/** The user menu's "Administração", as a person reaches it. */
async function openAdmin(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Menu do usuário" }).click();
  await page.getByRole("menuitem", { name: "Administração" }).click();
  await visible(page.getByRole("heading", { name: "Administração", level: 1 }));
}

/** A new page where `who` signed in and opened "Administração" (on `tab`, when given). */
async function adminAs(who: string, tab?: string): Promise<Page> {
  const page = await newPage();
  await signIn(page, who);
  await openAdmin(page);
  if (tab) await page.getByRole("tab", { name: tab }).click();
  return page;
}

const dialog = (page: Page, name: string | RegExp) => page.getByRole("dialog", { name });
const detail = (page: Page, name: string) => page.getByRole("region", { name });
const status = (page: Page, text: string | RegExp) => page.getByRole("status").filter({ hasText: text });

/** A saved download's bytes, unzipped. */
async function zipOf(download: import("playwright-core").Download): Promise<Record<string, Uint8Array>> {
  return unzipSync(new Uint8Array(readFileSync((await download.path())!)));
}
const json = (files: Record<string, Uint8Array>, name: string) => JSON.parse(new TextDecoder().decode(files[name]!));

beforeAll(async () => {
  // Ana administers the demo company; Bruno wrote to her (a chat to export).
  expect((await api("/users/ana", platform(), { method: "PATCH", body: JSON.stringify({ admin: true }) })).status).toBe(200);
  const bruno = await writer(e2e, "bruno");
  await bruno.text(dm("ana", "bruno"), "Bom dia, Ana! Segue o relatório de vendas.");
});

describe("issue 18.3: Administração", () => {
  it("issue 18.3: a person who is not an admin sees no 'Administração', and the company routes refuse their session", async () => {
    const page = await signedIn("bruno");
    await page.getByRole("button", { name: "Menu do usuário" }).click();
    await visible(page.getByRole("menuitemcheckbox", { name: "Som de notificação" }));
    expect(await page.getByRole("menuitem", { name: "Administração" }).count()).toBe(0);
    const token = (await login(base(), "demo", "bruno", DEMO_PASSWORD)).body.token as string;
    for (const [path, init] of [
      ["/users", {}],
      ["/audit", {}],
      ["/settings", {}],
      ["/users/carla", { method: "PATCH", body: JSON.stringify({ admin: true }) }],
      ["/users/bruno/password", { method: "POST", body: JSON.stringify({ password: "outra-senha-boa" }) }],
      ["/export/chats/" + dm("ana", "bruno"), {}],
    ] as const)
      expect([path, (await api(path, token, init)).status]).toEqual([path, 403]);
    expect((await api("/users/carla", platform())).body.admin).toBe(false);
  });

  it("issue 18.3: an admin creates a user (each wrong field named first), disables and re-enables them, resets the password, ends their sessions and sets PBX credentials that are never shown back", async () => {
    const page = await newPage(undefined, { who: "ana" });
    await signIn(page, "ana");
    await openAdmin(page);

    // Every wrong field at once, named beside it and in the alert; focus on the first.
    await page.getByRole("button", { name: "Novo usuário" }).click();
    const create = dialog(page, "Novo usuário");
    await create.getByLabel("Identificador").fill("Lia Prado");
    await create.getByLabel("E-mail").fill("lia@");
    await create.getByRole("button", { name: "Criar usuário" }).click();
    await visible(create.getByRole("alert"));
    expect(await create.getByRole("alert").textContent()).toBe("Corrija os campos: Identificador, Login, Nome, E-mail.");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("new-user-id");
    expect(await create.getByLabel("E-mail").getAttribute("aria-invalid")).toBe("true");
    await visible(create.getByText("E-mail: informe um endereço de e-mail válido"));

    // An id that exists is refused, not replaced.
    await create.getByLabel("Identificador").fill("bruno");
    await create.getByLabel("Nome").fill("Lia Prado");
    await create.getByLabel("Login", { exact: true }).fill("lia");
    await create.getByLabel("E-mail").fill("lia@demo.conversas.local");
    await create.getByRole("button", { name: "Criar usuário" }).click();
    await visible(create.getByText("Identificador: já existe um usuário com este identificador."));
    expect((await api("/users/bruno", platform())).body.name).toBe("Bruno Lima");

    await create.getByLabel("Identificador").fill("lia");
    await create.getByLabel("Departamento").fill("RH");
    await create.getByLabel("Ramal").fill("2010");
    await create.getByLabel("Classe de chamadas").selectOption("national");
    await create.getByLabel("Senha", { exact: true }).fill("senha-da-lia-1");
    await create.getByRole("button", { name: "Criar usuário" }).click();
    await gone(create);
    await visible(status(page, "Lia Prado foi criado."));
    const lia = detail(page, "Lia Prado");
    await visible(lia);
    expect((await api("/users/lia", platform())).body).toMatchObject({
      login: "lia",
      department: "RH",
      extension: "2010",
      callClass: "national",
      enabled: true,
      admin: false,
      localLogin: true,
    });

    // Lia is using the app in her own browser.
    const liaPage = await newPage(undefined, { who: "lia" });
    await signIn(liaPage, "lia", { password: "senha-da-lia-1" });
    await connected(liaPage);

    // "Desativar" ends her sessions at once; "Ativar" lets her back in.
    await lia.getByRole("button", { name: "Desativar" }).click();
    await visible(status(page, "Lia Prado foi desativado"));
    await visible(liaPage.getByRole("button", { name: "Entrar" }));
    // The server's 4010 is read as such (partysocket loses the code of a close this side makes: room-socket.ts).
    await visible(liaPage.getByText("Seu acesso ao Conversas foi desativado."));
    expect((await login(base(), "demo", "lia", "senha-da-lia-1")).status).not.toBe(200);
    await lia.getByRole("button", { name: "Ativar" }).click();
    await visible(status(page, "Lia Prado foi ativado."));
    expect((await login(base(), "demo", "lia", "senha-da-lia-1")).status).toBe(200);

    // "Redefinir senha": both typings must agree; then only the new password works.
    await lia.getByRole("button", { name: "Redefinir senha" }).click();
    const reset = dialog(page, /Redefinir senha/);
    await reset.getByLabel("Nova senha").fill("nova-senha-da-lia");
    await reset.getByLabel("Confirmar senha").fill("nova-senha-da-li");
    await reset.getByRole("button", { name: "Redefinir senha" }).click();
    await visible(reset.getByText("Confirmar senha: as duas senhas não são iguais."));
    await reset.getByLabel("Confirmar senha").fill("nova-senha-da-lia");
    await reset.getByRole("button", { name: "Redefinir senha" }).click();
    await gone(reset);
    await visible(status(page, "Senha redefinida."));
    expect((await login(base(), "demo", "lia", "senha-da-lia-1")).status).toBe(401);
    expect((await login(base(), "demo", "lia", "nova-senha-da-lia")).status).toBe(200);

    // "Encerrar sessões": her open app goes back to the sign-in.
    await signIn(liaPage, "lia", { at: null, password: "nova-senha-da-lia" });
    await connected(liaPage);
    await lia.getByRole("button", { name: "Encerrar sessões" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Encerrar sessões" }).click();
    await visible(status(page, "Sessões encerradas."));
    await visible(liaPage.getByRole("button", { name: "Entrar" }));
    await visible(liaPage.getByText("Sua sessão terminou. Entre de novo."));

    // "Credenciais do ramal": a password is required; saved, they are never shown again.
    await lia.getByRole("button", { name: "Credenciais do ramal" }).click();
    const sip = dialog(page, /Credenciais do ramal/);
    await sip.getByRole("button", { name: "Salvar" }).click();
    await visible(sip.getByText("Senha SIP: obrigatória"));
    await sip.getByLabel("Usuário SIP (opcional)").fill("2010");
    await sip.getByLabel("Senha SIP").fill("segredo-do-pbx-2010");
    await sip.getByRole("button", { name: "Salvar" }).click();
    await gone(sip);
    await visible(status(page, "Credenciais do ramal salvas."));
    await lia.getByRole("button", { name: "Credenciais do ramal" }).click();
    expect(
      await dialog(page, /Credenciais do ramal/)
        .getByLabel("Senha SIP")
        .inputValue(),
    ).toBe("");
    await page.keyboard.press("Escape");
    await gone(dialog(page, /Credenciais do ramal/));
    expect(await page.content()).not.toContain("segredo-do-pbx-2010");
    expect(JSON.stringify((await api("/users/lia", platform())).body)).not.toContain("segredo-do-pbx-2010");

    // An edit sends what changed, the class of service included.
    await lia.getByLabel("Nome").fill("Lia Prado Souza");
    await lia.getByLabel("Classe de chamadas").selectOption("local");
    await lia.getByRole("button", { name: "Salvar" }).click();
    await visible(status(page, "Alterações salvas."));
    expect((await api("/users/lia", platform())).body).toMatchObject({
      name: "Lia Prado Souza",
      callClass: "local",
      enabled: true,
      localLogin: true,
    });
  });

  it("issue 18.3: the users list searches, filters by 'Situação' and pages as the server counts, from the keyboard", async () => {
    for (let i = 0; i < 30; i++)
      expect(
        (
          await api(`/users/lote${i}`, platform(), {
            method: "PUT",
            body: JSON.stringify({
              login: `lote${i}`,
              name: `Lote ${String(i).padStart(2, "0")}`,
              email: `lote${i}@demo.conversas.local`,
              department: "Operação",
              modules: ["conversas"],
              enabled: i % 3 !== 0,
            }),
          })
        ).status,
        // 200 when a run after a failure finds them made already.
      ).toBeOneOf([200, 201]);
    const page = await adminAs("ana");
    const search = page.getByLabel("Pesquisar usuários");
    await search.focus();
    await page.keyboard.type("operacao");
    await visible(page.getByText("1–25 de 30"));
    await page.getByRole("button", { name: "Próxima página" }).click();
    await visible(page.getByText("26–30 de 30"));
    await page.getByLabel("Situação").selectOption("disabled");
    await visible(page.getByText("1–10 de 10"));
    expect(await page.getByRole("table", { name: "Usuários da empresa" }).getByRole("row").count()).toBe(11);
    // Enter on a name opens the person, and focus moves to their data.
    await page.getByRole("button", { name: "Abrir Lote 03" }).focus();
    await page.keyboard.press("Enter");
    await visible(detail(page, "Lote 03"));
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Lote 03");
    await visible(detail(page, "Lote 03").getByRole("button", { name: "Ativar" }));
  });
});

describe("issue 18.4: the audit trail", () => {
  it("issue 18.4: Auditoria lists who did what, to whom, from where and when; filters by action, outcome and target", async () => {
    expect((await login(base(), "demo", "ana", "senha-errada")).status).toBe(401);
    const page = await adminAs("ana", "Auditoria");
    const table = page.getByRole("table", { name: "Eventos da auditoria" });
    const created = table.getByRole("row").filter({ hasText: "Usuário criado" }).filter({ hasText: "lia" });
    await visible(created);
    expect(await created.textContent()).toContain("ana (Usuário)");
    expect(await created.textContent()).toContain("127.0.0.1");
    for (const action of ["Usuário alterado", "Senha redefinida", "Sessões encerradas", "Credenciais do ramal"])
      await visible(table.getByRole("row").filter({ hasText: action }).filter({ hasText: "lia" }).first());

    await page.getByLabel("Ação", { exact: true }).selectOption("action:login.failure");
    await page.getByLabel("Resultado").selectOption("false");
    await page.getByRole("button", { name: "Filtrar" }).click();
    const failure = table.getByRole("row").filter({ hasText: "Entrada recusada" }).first();
    await visible(failure);
    expect(await failure.textContent()).toContain("Falha");
    const rows = await table.locator("tbody tr").allTextContents();
    expect(rows.every((r) => r.includes("Entrada recusada"))).toBe(true);

    await page.getByLabel("Ação", { exact: true }).selectOption("prefix:user.");
    await page.getByLabel("Resultado").selectOption("");
    await page.getByLabel("Alvo").fill("lia");
    await page.getByRole("button", { name: "Filtrar" }).click();
    await visible(table.getByRole("row").filter({ hasText: "Senha redefinida" }));
    expect((await table.locator("tbody tr").allTextContents()).every((r) => r.includes("lia"))).toBe(true);

    // A bad filter is named and asks nothing.
    await page.getByLabel("De").fill("2026-03-05");
    await page.getByLabel("Até").fill("2026-03-01");
    await page.getByRole("button", { name: "Filtrar" }).click();
    await visible(page.getByRole("alert").filter({ hasText: "Até: a data final vem antes da inicial." }));
  });
});

describe("issue 18.6: retention", () => {
  it("issue 18.6: Retenção is set after a question (it deletes), a wrong number is named, and forever needs no question", async () => {
    const page = await adminAs("ana", "Retenção");
    await visible(page.getByText("Hoje: tudo é guardado para sempre."));
    await page.getByLabel("Apagar mensagens e arquivos mais antigos que").check();
    await page.getByLabel("Dias").fill("0");
    await page.getByRole("button", { name: "Salvar" }).click();
    await visible(page.getByRole("alert").filter({ hasText: "Dias: um número inteiro de 1 a 36.500." }));
    await page.getByLabel("Dias").fill("400");
    await page.getByRole("button", { name: "Salvar" }).click();
    const question = page.getByRole("alertdialog", { name: "Apagar mensagens com mais de 400 dias?" });
    await question.getByRole("button", { name: "Salvar e apagar" }).click();
    await visible(status(page, "Retenção salva."));
    await visible(page.getByText("Hoje: mensagens com mais de 400 dias são apagadas."));
    expect((await api("/settings", platform())).body).toEqual({ retentionDays: 400 });
    await page.getByLabel("Guardar para sempre").check();
    await page.getByRole("button", { name: "Salvar" }).click();
    await visible(page.getByText("Hoje: tudo é guardado para sempre."));
    expect((await api("/settings", platform())).body).toEqual({ retentionDays: null });
  });
});

describe("issue 18.5: exports", () => {
  it("issue 18.5: an admin exports a chat by its address and a user's data; zips arrive with their manifests, and the trail records both", async () => {
    const page = await adminAs("ana", "Exportação");
    // An address that is no chat is named before anything is asked.
    await page.getByLabel("Conversa", { exact: true }).fill("https://exemplo.com/x");
    await page.getByRole("button", { name: "Exportar conversa" }).click();
    await visible(page.getByRole("alert").filter({ hasText: "Conversa: informe o endereço" }));

    await page.getByLabel("Conversa", { exact: true }).fill(`${base()}/c/${dm("ana", "bruno")}`);
    const chatDownload = page.waitForEvent("download");
    await page.getByRole("button", { name: "Exportar conversa" }).click();
    const chatZip = await chatDownload;
    expect(chatZip.suggestedFilename()).toBe(`conversa-${dm("ana", "bruno")}.zip`);
    const chat = await zipOf(chatZip);
    expect(json(chat, "manifest.json")).toMatchObject({ format: "conversas-export", kind: "chat", tenant: "demo", id: dm("ana", "bruno") });
    expect(json(chat, "messages.json").map((m: { text: string }) => m.text)).toContain("Bom dia, Ana! Segue o relatório de vendas.");
    await visible(status(page, `conversa-${dm("ana", "bruno")}.zip`));

    await page.getByRole("tab", { name: "Usuários" }).click();
    await page.getByRole("button", { name: "Abrir Bruno Lima" }).click();
    const userDownload = page.waitForEvent("download");
    await detail(page, "Bruno Lima").getByRole("button", { name: "Exportar dados" }).click();
    const userZip = await userDownload;
    expect(userZip.suggestedFilename()).toBe("usuario-bruno.zip");
    const user = await zipOf(userZip);
    expect(json(user, "manifest.json")).toMatchObject({ kind: "user", id: "bruno" });
    expect(json(user, "profile.json")).toMatchObject({ id: "bruno", name: "Bruno Lima" });
    await visible(status(page, "usuario-bruno.zip"));

    const trail = (await api("/audit?prefix=export.", platform())).body.events as { action: string; target: string; actor: string }[];
    expect(trail.map((e) => [e.action, e.target, e.actor])).toEqual(
      expect.arrayContaining([
        ["export.chat", dm("ana", "bruno"), "ana"],
        ["export.user", "bruno", "ana"],
      ]),
    );
  });
});
