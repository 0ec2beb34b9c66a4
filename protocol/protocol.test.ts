/**
 * Unit tests for the shared protocol: which frames and ids are accepted, and
 * that a refusal names the wrong field (R9 text limits, R1 ids).
 */
import { describe, expect, it } from "vitest";
import { ChatClientFrame, MAX_TEXT, UserUpsertBody, directChatId, directChatMembers, parse, parseJson, splitRoomId } from "./index";

const send = (over: Record<string, unknown> = {}) => ({ type: "message.send", clientId: "client-0001", text: "olá", ...over });

describe("chat client frames", () => {
  it("R9: a valid message.send parses, normalising line ends", () => {
    expect(parse(ChatClientFrame, send({ text: "a\r\nb\rc" }))).toEqual({
      ok: true,
      value: { type: "message.send", clientId: "client-0001", text: "a\nb\nc" },
    });
  });

  it(`R9: a text of exactly ${MAX_TEXT} characters is accepted, one more is refused on field text`, () => {
    expect(parse(ChatClientFrame, send({ text: "x".repeat(MAX_TEXT) })).ok).toBe(true);
    expect(parse(ChatClientFrame, send({ text: "x".repeat(MAX_TEXT + 1) }))).toMatchObject({ ok: false, field: "text" });
  });

  it("R9: empty or blank text is refused on field text", () => {
    for (const text of ["", "   ", "\n\t"]) expect(parse(ChatClientFrame, send({ text }))).toMatchObject({ ok: false, field: "text" });
  });

  it("R9: a missing or malformed clientId is refused on field clientId", () => {
    for (const clientId of [undefined, "", "short", "has space 12", "a".repeat(65), 12345678]) {
      expect(parse(ChatClientFrame, send({ clientId })), String(clientId)).toMatchObject({ ok: false, field: "clientId" });
    }
  });

  it("an unknown frame type is refused on field type", () => {
    expect(parse(ChatClientFrame, { type: "message.explode", id: 1 })).toMatchObject({ ok: false, field: "type" });
    expect(parse(ChatClientFrame, { text: "no type" })).toMatchObject({ ok: false, field: "type" });
  });

  it("bad JSON and non-objects are refused at the root", () => {
    expect(parseJson(ChatClientFrame, "{not json")).toMatchObject({ ok: false, field: "(raiz)" });
    expect(parseJson(ChatClientFrame, "42").ok).toBe(false);
    expect(parseJson(ChatClientFrame, "null").ok).toBe(false);
  });

  it("R8: history.fetch and read.mark take bounded integers", () => {
    expect(parse(ChatClientFrame, { type: "history.fetch", before: 10, limit: 50 }).ok).toBe(true);
    expect(parse(ChatClientFrame, { type: "history.fetch", before: 0 })).toMatchObject({ ok: false, field: "before" });
    expect(parse(ChatClientFrame, { type: "history.fetch", before: 10, limit: 101 })).toMatchObject({ ok: false, field: "limit" });
    expect(parse(ChatClientFrame, { type: "read.mark", seq: 1.5 })).toMatchObject({ ok: false, field: "seq" });
    expect(parse(ChatClientFrame, { type: "read.mark", seq: 0 }).ok).toBe(true);
  });
});

describe("direct chat ids", () => {
  it("R1: the id is the same whichever member derives it, and reads back to both members", () => {
    expect(directChatId("bruno", "ana")).toBe("dm.ana.bruno");
    expect(directChatId("ana", "bruno")).toBe("dm.ana.bruno");
    expect(directChatMembers(directChatId("zeca", "ana"))).toEqual(["ana", "zeca"]);
  });

  it("R1: a chat with oneself cannot be made", () => {
    expect(() => directChatId("ana", "ana")).toThrow();
  });

  it("R1: malformed ids read back as null", () => {
    for (const id of [
      "dm.bruno.ana",
      "dm.ana.ana",
      "dm.ana",
      "dm.ana.bruno.carla",
      "grp.ana.bruno",
      "dm.Ana.bruno",
      "dm..bruno",
      "",
      "dm.ana.bru no",
    ]) {
      expect(directChatMembers(id), id).toBeNull();
    }
  });

  it("R1: room ids split into tenant and local part; a bad tenant is refused", () => {
    expect(splitRoomId("acme.dm.ana.bruno")).toEqual({ tenant: "acme", local: "dm.ana.bruno" });
    expect(splitRoomId("acme")).toBeNull();
    expect(splitRoomId(".ana")).toBeNull();
    expect(splitRoomId("ACME.ana")).toBeNull();
  });
});

describe("user upsert body", () => {
  const ok = { login: "ana", name: "Ana", email: "ana@example.com", department: "", modules: ["conversas"], enabled: true };

  it("R3: modules must include conversas and not repeat", () => {
    expect(parse(UserUpsertBody, ok).ok).toBe(true);
    expect(parse(UserUpsertBody, { ...ok, modules: ["conversas", "atendimento"] }).ok).toBe(true);
    expect(parse(UserUpsertBody, { ...ok, modules: ["atendimento"] })).toMatchObject({ ok: false, field: "modules" });
    expect(parse(UserUpsertBody, { ...ok, modules: ["conversas", "conversas"] })).toMatchObject({ ok: false, field: "modules" });
  });

  it("R2: an extension is 2 to 8 digits or absent", () => {
    expect(parse(UserUpsertBody, { ...ok, extension: "2001" }).ok).toBe(true);
    expect(parse(UserUpsertBody, { ...ok, extension: null }).ok).toBe(true);
    for (const extension of ["1", "123456789", "12a"])
      expect(parse(UserUpsertBody, { ...ok, extension })).toMatchObject({ ok: false, field: "extension" });
  });

  it("R1: a bad e-mail, a blank name, or a short password names its field", () => {
    expect(parse(UserUpsertBody, { ...ok, email: "nope" })).toMatchObject({ ok: false, field: "email" });
    expect(parse(UserUpsertBody, { ...ok, name: "  " })).toMatchObject({ ok: false, field: "name" });
    expect(parse(UserUpsertBody, { ...ok, password: "short" })).toMatchObject({ ok: false, field: "password" });
  });
});

describe("error messages", () => {
  it("refusals of chat frames speak pt-BR, not the schema library's English", () => {
    const frames = [
      { type: "nope" },
      { type: "message.send", text: "x" },
      send({ text: 5 }),
      { type: "history.fetch", before: "1" },
      { type: "read.mark", seq: -1 },
    ];
    for (const f of frames) {
      const r = parse(ChatClientFrame, f);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message, JSON.stringify(f)).not.toMatch(/Invalid|Expected|received/);
    }
  });
});
