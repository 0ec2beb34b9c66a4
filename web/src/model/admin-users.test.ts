import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { UserUpsertBody, type AdminUser } from "../../../protocol/http";
import {
  checkEdit,
  checkNewPassword,
  checkNewUser,
  clampOffset,
  emptyUserForm,
  formFromUser,
  pageInfo,
  userFieldOf,
  userListQuery,
  type UserForm,
} from "./admin-users";

const form = (over: Partial<UserForm> = {}): UserForm => ({
  ...emptyUserForm(),
  id: "lia",
  login: "lia",
  name: "Lia Prado",
  email: "lia@empresa.com",
  department: "RH",
  extension: "2010",
  ...over,
});

const user = (over: Partial<AdminUser> = {}): AdminUser => ({
  id: "lia",
  login: "lia",
  name: "Lia Prado",
  email: "lia@empresa.com",
  department: "RH",
  avatarUrl: "/avatars/lia.svg",
  extension: "2010",
  callClass: "internal",
  modules: ["conversas"],
  enabled: true,
  admin: false,
  localLogin: true,
  erased: false,
  createdAt: 1,
  updatedAt: 2,
  ...over,
});

describe("issue 18.3: the user form is checked like the API checks it", () => {
  it("issue 18.3: a good new user becomes the PUT body the server accepts", () => {
    const res = checkNewUser(form({ password: "uma-senha-boa", atendimento: true, admin: true }), true);
    expect(res).toEqual({
      ok: true,
      value: {
        id: "lia",
        body: {
          login: "lia",
          name: "Lia Prado",
          email: "lia@empresa.com",
          department: "RH",
          extension: "2010",
          callClass: "internal",
          modules: ["conversas", "atendimento"],
          enabled: true,
          admin: true,
          password: "uma-senha-boa",
        },
      },
    });
    if (res.ok) expect(v.safeParse(UserUpsertBody, res.value.body).success).toBe(true);
  });

  it("issue 18.3: every wrong field is named, in pt-BR, at once", () => {
    const res = checkNewUser(
      form({
        id: "Lia Prado",
        login: "lia prado",
        name: "  ",
        email: "lia@",
        extension: "1",
        department: "x".repeat(121),
        password: "curta",
      }),
      true,
    );
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors).toEqual(["id", "login", "name", "email", "department", "extension", "password"]);
  });

  it("issue 18.3: with passwords off no password is sent; an empty one is no password", () => {
    const off = checkNewUser(form({ password: "uma-senha-boa" }), false);
    expect(off.ok && "password" in off.value.body).toBe(false);
    const empty = checkNewUser(form({ password: "" }), true);
    expect(empty.ok && "password" in empty.value.body).toBe(false);
  });

  it("issue 18.3: an empty extension is none (null), text is trimmed like the server trims it", () => {
    const res = checkNewUser(form({ extension: "  ", name: "  Lia Prado  " }), true);
    expect(res.ok && res.value.body.extension).toBe(null);
    expect(res.ok && res.value.body.name).toBe("Lia Prado");
  });

  it("issue 18.3: a server error's field maps back to the form (the id is the address's userId)", () => {
    expect(userFieldOf("login")).toBe("login");
    expect(userFieldOf("body.email")).toBe("email");
    expect(userFieldOf("userId")).toBe("id");
    expect(userFieldOf("modules.0")).toBe("modules");
    expect(userFieldOf("(raiz)")).toBe(null);
    expect(userFieldOf(undefined)).toBe(null);
  });
});

describe("issue 18.3: saving an edit", () => {
  it("issue 18.3: only the changed fields go, by PATCH; nothing changed sends nothing", () => {
    expect(checkEdit(user(), formFromUser(user()))).toEqual({ ok: true, value: null });
    expect(checkEdit(user(), { ...formFromUser(user()), name: "Lia P. Souza", extension: "", atendimento: true })).toEqual({
      ok: true,
      value: { method: "PATCH", body: { name: "Lia P. Souza", extension: null, modules: ["conversas", "atendimento"] } },
    });
    expect(checkEdit(user(), { ...formFromUser(user()), enabled: false, admin: true })).toEqual({
      ok: true,
      value: { method: "PATCH", body: { enabled: false, admin: true } },
    });
  });

  it("issue 18.3: a new class of service goes in the PATCH like any other field", () => {
    expect(checkEdit(user(), { ...formFromUser(user()), callClass: "national" })).toEqual({
      ok: true,
      value: { method: "PATCH", body: { callClass: "national" } },
    });
  });

  it("issue 18.3: a wrong edit names its field and sends nothing", () => {
    expect(checkEdit(user(), { ...formFromUser(user()), email: "x" })).toEqual({ ok: false, errors: ["email"] });
  });

  it("issue 18.3: 'Redefinir senha' asks for 8 characters or more, twice the same", () => {
    expect(checkNewPassword("curta", "curta")).toMatchObject({ ok: false, field: "password" });
    expect(checkNewPassword("uma-senha-boa", "uma-senha-bo")).toMatchObject({ ok: false, field: "repeat" });
    expect(checkNewPassword("uma-senha-boa", "uma-senha-boa")).toEqual({ ok: true });
  });
});

describe("issue 18.3: the users list's query and pages", () => {
  it("issue 18.3: search, the enabled filter and the page become GET …/users's query", () => {
    expect(userListQuery({ q: "", enabled: "all", offset: 0, limit: 25 })).toBe("offset=0&limit=25");
    expect(userListQuery({ q: "  joão silva ", enabled: "disabled", offset: 50, limit: 25 })).toBe(
      "q=jo%C3%A3o+silva&enabled=false&offset=50&limit=25",
    );
    expect(userListQuery({ q: "x".repeat(150), enabled: "enabled", offset: -3, limit: 999 })).toBe(
      `q=${"x".repeat(100)}&enabled=true&offset=0&limit=200`,
    );
  });

  it("issue 18.3: a page says where it sits and where its neighbours start", () => {
    expect(pageInfo(0, 25, 60, 25)).toEqual({ from: 1, to: 25, total: 60, hasPrevious: false, hasNext: true, previous: 0, next: 25 });
    expect(pageInfo(50, 10, 60, 25)).toEqual({ from: 51, to: 60, total: 60, hasPrevious: true, hasNext: false, previous: 25, next: 75 });
    expect(pageInfo(0, 0, 0, 25)).toMatchObject({ from: 0, to: 0, hasPrevious: false, hasNext: false });
  });

  it("issue 18.3: a page emptied by a change moves back to the last page with rows", () => {
    expect(clampOffset(50, 50, 25)).toBe(25);
    expect(clampOffset(50, 51, 25)).toBe(50);
    expect(clampOffset(25, 0, 25)).toBe(0);
    expect(clampOffset(0, 10, 25)).toBe(0);
  });
});
