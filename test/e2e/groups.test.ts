/**
 * Groups in Debian's Chromium against the real runtime (`wrangler dev`) (R13–R19), with
 * three people in three browser contexts: Ana creates "Suporte N2" with Bruno
 * (both see it live), they talk, Ana adds Carla (who sees the whole history),
 * promotes Bruno, Bruno removes Carla (the group leaves her list at once), Ana
 * re-adds her (she sees what was said while she was out) and Carla leaves.
 */
import { describe, expect, it } from "vitest";
import { type Page } from "playwright-core";
import { browserSuite, gone, visible } from "./support";
import { bubble, log } from "./people";

const e2e = browserSuite("groups");

async function person(login: string): Promise<Page> {
  const page = await e2e.newPage();
  await e2e.signIn(page, login);
  return page;
}

const GROUP = "Suporte N2";
/** A real 2×2 PNG, so the browser can decode the group's image. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4YaMBRAwQCgAjXgSxbgN+HAAAAABJRU5ErkJggg==", "base64");
const list = (page: Page) => page.getByRole("list", { name: "Conversas" });
const row = (page: Page) => list(page).getByRole("button", { name: new RegExp(GROUP) });
const systemLine = (page: Page, text: string) => log(page).locator("li.msg-system", { hasText: text });
const panel = (page: Page) => page.getByRole("complementary", { name: "Dados do grupo" });

async function openGroup(page: Page) {
  await visible(row(page));
  await row(page).click();
  await visible(page.getByRole("heading", { name: GROUP, level: 2 }));
}

async function send(page: Page, text: string) {
  const box = page.getByLabel("Mensagem", { exact: true });
  await box.fill(text);
  await box.press("Enter");
  await visible(log(page).locator("li.msg.msg-sent", { hasText: text }));
}

async function openPanel(page: Page) {
  if (!(await panel(page).isVisible())) await page.getByRole("button", { name: "Dados do grupo" }).click();
  await visible(panel(page));
}

describe("groups in the browser", () => {
  it("R13–R18, R10: create → chat → add → promote → remove → re-add (history visible again) → leave → image and name → forward into the group, with three people", async () => {
    const [ana, bruno, carla] = await Promise.all([person("ana"), person("bruno"), person("carla")]);

    // R13: Escape closes "Novo grupo" and gives focus back to the "+".
    const plus = ana.getByRole("button", { name: "Novo grupo" });
    await plus.click();
    const dialog = ana.getByRole("dialog", { name: "Novo grupo" });
    await visible(dialog);
    await ana.keyboard.press("Escape");
    await gone(dialog);
    expect(await plus.evaluate((el) => el === document.activeElement)).toBe(true);

    // R13: "Salvar" stays disabled until there is a name and a member.
    await plus.click();
    await visible(dialog);
    const save = dialog.getByRole("button", { name: "Salvar" });
    expect(await save.isDisabled()).toBe(true);
    await dialog.getByLabel("Nome do grupo").fill(GROUP);
    expect(await save.isDisabled()).toBe(true);
    await dialog.getByLabel("Pesquisar contatos").fill("bru");
    await dialog.getByRole("checkbox", { name: /Bruno Lima/ }).check();
    expect(await dialog.getByRole("checkbox").count()).toBe(1);
    expect(await save.isDisabled()).toBe(false);
    await save.click();
    await gone(dialog);

    // The creator lands in the group; a group header has no call button (R11).
    await visible(ana.getByRole("heading", { name: GROUP, level: 2 }));
    await visible(systemLine(ana, "Você criou o grupo"));
    await visible(ana.getByText("2 membros"));
    expect(await ana.getByRole("button", { name: /Ligar/ }).count()).toBe(0);

    // Bruno sees it at once, live, and opens it.
    await openGroup(bruno);
    await visible(systemLine(bruno, "Ana Souza criou o grupo"));
    expect(await row(carla).count()).toBe(0);

    await send(ana, "Bom dia, equipe");
    await visible(bubble(bruno, "Bom dia, equipe"));
    // Others' messages carry their sender's name in groups.
    await visible(bubble(bruno, "Bom dia, equipe").locator(".msg-sender", { hasText: "Ana Souza" }));
    await send(bruno, "Oi Ana, tudo certo");
    await visible(bubble(ana, "Oi Ana, tudo certo"));

    // R16: Ana adds Carla, who sees the group and the whole history.
    await openPanel(ana);
    await panel(ana).getByRole("button", { name: "Adicionar membros" }).click();
    const add = ana.getByRole("dialog", { name: "Adicionar membros" });
    await add.getByRole("checkbox", { name: /Carla Dias/ }).check();
    expect(await add.getByRole("checkbox", { name: /Bruno Lima/ }).count()).toBe(0);
    await add.getByRole("button", { name: /Adicionar/ }).click();
    await visible(systemLine(ana, "Você adicionou Carla Dias"));
    await openGroup(carla);
    await visible(bubble(carla, "Bom dia, equipe"));
    await visible(bubble(carla, "Oi Ana, tudo certo"));

    // R15: members' statuses are plain text for a member, buttons for an admin; Ana promotes Bruno.
    await openPanel(carla);
    expect(
      await panel(carla)
        .getByRole("button", { name: /Remover Ana Souza/ })
        .count(),
    ).toBe(0);
    expect(await panel(carla).locator("button.role").count()).toBe(0);
    await panel(ana).getByRole("button", { name: "Membro: Bruno Lima" }).click();
    await panel(ana).getByRole("button", { name: "Tornar Admin" }).click();
    await visible(systemLine(ana, "Bruno Lima agora é admin"));
    await visible(systemLine(bruno, "Você agora é admin"));

    // R15, R17: Bruno, now admin, removes Carla; the group leaves her list at once and her open chat closes.
    await openPanel(bruno);
    await panel(bruno).getByRole("button", { name: "Remover Carla Dias" }).click();
    await bruno.getByRole("alertdialog").getByRole("button", { name: "Remover", exact: true }).click();
    await visible(systemLine(bruno, "Você removeu Carla Dias"));
    await gone(row(carla));
    await visible(carla.getByText("Você não participa mais deste grupo"));
    expect(await carla.getByRole("heading", { name: GROUP, level: 2 }).count()).toBe(0);

    // Ana and Bruno keep talking while Carla is out.
    await send(ana, "Enquanto a Carla estava fora");
    await visible(bubble(bruno, "Enquanto a Carla estava fora"));

    // R17: re-added, Carla sees the whole history again, including what was said while she was out.
    await panel(ana).getByRole("button", { name: "Adicionar membros" }).click();
    await ana
      .getByRole("dialog", { name: "Adicionar membros" })
      .getByRole("checkbox", { name: /Carla Dias/ })
      .check();
    await ana
      .getByRole("dialog", { name: "Adicionar membros" })
      .getByRole("button", { name: /Adicionar/ })
      .click();
    await openGroup(carla);
    await visible(bubble(carla, "Bom dia, equipe"));
    await visible(bubble(carla, "Enquanto a Carla estava fora"));
    await send(carla, "Voltei!");
    await visible(bubble(ana, "Voltei!"));

    // R17: Carla leaves ("Sair do grupo" → confirm); it leaves her list and the others see the line.
    await openPanel(carla);
    await panel(carla).getByRole("button", { name: "Sair do grupo" }).click();
    await carla.getByRole("alertdialog", { name: "Sair do grupo" }).getByRole("button", { name: "Sair do grupo" }).click();
    await gone(row(carla));
    await visible(systemLine(ana, "Carla Dias saiu"));
    await visible(ana.getByText("2 membros").first());

    // R14: any member changes the image and the name; everyone sees both, in the header and the list.
    await panel(bruno).locator('input[type="file"]').setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: PNG });
    await visible(systemLine(ana, "Bruno Lima mudou a imagem do grupo"));
    await visible(ana.locator(".chat-header img.avatar"));
    await panel(bruno).getByRole("button", { name: "Editar nome do grupo" }).click();
    const name = panel(bruno).getByLabel("Nome do grupo");
    await name.fill("Suporte Nível 2");
    await name.press("Enter");
    await visible(systemLine(ana, "Bruno Lima mudou o nome do grupo para “Suporte Nível 2”"));
    await visible(ana.getByRole("heading", { name: "Suporte Nível 2", level: 2 }));
    await visible(list(ana).getByRole("button", { name: /Suporte Nível 2/ }));

    // R15, R18: Ana demotes Bruno; leaving now as the only admin warns first, and "Cancelar" keeps her in.
    await panel(ana).getByRole("button", { name: "Admin: Bruno Lima" }).click();
    await panel(ana).getByRole("button", { name: "Remover Admin" }).click();
    await visible(systemLine(ana, "Bruno Lima não é mais admin"));
    await panel(ana).getByRole("button", { name: "Sair do grupo" }).click();
    const leave = ana.getByRole("alertdialog", { name: "Sair do grupo" });
    await visible(leave.getByText(/Você é o único admin/));
    await leave.getByRole("button", { name: "Cancelar" }).click();
    await gone(leave);
    expect(await row(ana).count()).toBe(0); // renamed: the old name is gone from the list
    await visible(ana.getByRole("heading", { name: "Suporte Nível 2", level: 2 }));

    // R10 in groups: "Encaminhar" lists the group, and the copy arrives there marked "Encaminhada".
    await ana.getByLabel("Pesquisar", { exact: true }).fill("bru");
    await ana
      .getByRole("region", { name: "Contatos" })
      .getByRole("button", { name: /Bruno Lima/ })
      .click();
    await visible(ana.getByRole("heading", { name: "Bruno Lima", level: 2 }));
    await send(ana, "Repassem ao grupo");
    await bubble(ana, "Repassem ao grupo").getByRole("button", { name: "Ações da mensagem" }).click();
    await ana.getByRole("menuitem", { name: "Encaminhar" }).click();
    const forward = ana.getByRole("dialog", { name: "Encaminhar mensagem para…" });
    await forward.getByRole("checkbox", { name: /Suporte Nível 2/ }).check();
    await forward.getByRole("button", { name: /Encaminhar/ }).click();
    await visible(bubble(bruno, "Repassem ao grupo").locator(".msg-forwarded"));
  });
});
