/**
 * The share webhook (R30) and the sign-in links (R31) against the real
 * runtime: every answer of `POST /api/tenants/{t}/share` (201, the 200 of
 * a replay — also under concurrent duplicates —, 400 naming the field, 401 for a
 * missing, wrong, tampered, stale or other company's signature, 404, 403 for a
 * group the agent left, 413) with nothing written on any refusal; hostile text
 * kept as text; the transcript served to members only; reply and forward of a
 * card; and the one-time, expiring sign-in links. Runs with a 256 KiB share limit
 * and 1.5 s links.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cid, http, openChat, openHub, provision, putUser, userBody, type Client, type Json } from "../support/clients";
import { r2Blobs, startTestServerWith } from "../support/files";
import type { TestServer } from "../support/server";
import { postShare as postShareAs, type PostShareOptions } from "../support/webhook";

const SECRET = "segredo-do-webhook-acme-123";
const GLOBEX_SECRET = "segredo-proprio-da-globex-456";
const LIMIT = 256 * 1024;
/** Long enough that a redeem right after issuing never meets it on a loaded machine. */
const TTL = 4000;
let server: TestServer;
let tokens: Record<string, string>;
const sockets: Client[] = [];

beforeAll(async () => {
  server = await startTestServerWith({
    CONVERSAS_WEBHOOK_SECRET: SECRET,
    CONVERSAS_WEBHOOK_SECRET_GLOBEX: GLOBEX_SECRET,
    CONVERSAS_MAX_SHARE_BYTES: String(LIMIT),
    CONVERSAS_LINK_TTL_MS: String(TTL),
  });
  tokens = await provision(server.base, server.adminKey!, "acme", ["ana", "bruno", "carla", "davi", "eva", "fabio"]);
  await provision(server.base, server.adminKey!, "globex", ["ana", "bruno"]);
});

afterAll(async () => {
  await Promise.allSettled(sockets.map((s) => s.close(1000)));
  await server?.stop();
});

const HOSTILE = `<img src=x onerror="alert(1)"><script>alert(2)</script>`;

let counter = 0;
function shareBody(over: Json = {}): Json {
  counter += 1;
  return {
    shareId: `sh-${process.pid}-${counter}`,
    sharedBy: "ana",
    to: { type: "user", id: "bruno" },
    note: "Pode me ajudar com este cliente?",
    attendance: {
      protocol: `2026${String(counter).padStart(6, "0")}`,
      channel: "whatsapp",
      customer: { name: "Maria Oliveira", phone: "+5511999990000" },
      startedAt: "2026-11-25T09:00:00Z",
      messages: [
        { from: "customer", author: "Maria", text: "Olá, meu pedido não chegou", at: "2026-11-25T09:00:05Z" },
        { from: "bot", text: "Um atendente já vai falar com você", at: "2026-11-25T09:00:06Z" },
        { from: "agent", author: "Ana", text: "Bom dia, Maria! Vou verificar.", at: "2026-11-25T09:01:00Z" },
        { from: "customer", text: HOSTILE, at: "2026-11-25T09:02:00Z" },
        {
          from: "customer",
          media: { url: "https://cdn.example.com/nota.jpg", type: "image/jpeg", name: "nota.jpg" },
          at: "2026-11-25T09:03:00Z",
        },
        { from: "agent", text: "Obrigada, um momento.", at: "2026-11-25T09:04:00Z" },
        { from: "customer", text: "Aguardo", at: "2026-11-25T09:05:00Z" },
      ],
    },
    ...over,
  };
}

/** Posts a share as the platform would, with acme's secret unless told otherwise (overridable to break it). */
const postShare = (body: Json | string, o: PostShareOptions & { secret?: string } = {}) =>
  postShareAs(server.base, o.secret ?? SECRET, body, o);

async function chatOf(user: string, chatId: string, tenant = "acme"): Promise<{ client: Client; ready: Json }> {
  const r = await openChat(server.wsBase, `${tenant}.${chatId}`, tokens[user]!);
  sockets.push(r.client);
  return r;
}

const transcriptUrl = (chatId: string, shareId: string) => `${server.base}/parties/chat/acme.${chatId}/shares/${shareId}`;
const getTranscript = (chatId: string, shareId: string, token: string | null) =>
  http(transcriptUrl(chatId, shareId), token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe("R30 share webhook: accepted", () => {
  it("R30: a signed share becomes the agent's card in the 1:1 chat, live, and the full transcript is served to members", async () => {
    const { client: bruno } = await chatOf("bruno", "dm.ana.bruno");
    const body = shareBody();
    const res = await postShare(body);
    expect(res.status, res.text).toBe(201);
    expect(res.body.chatId).toBe("dm.ana.bruno");
    expect(res.body.messageId).toMatch(/^dm\.ana\.bruno:\d+$/);
    const live = await bruno.next((f) => f.type === "message.new" && f.message.share?.shareId === body.shareId);
    const m = live.message;
    expect(m.id).toBe(res.body.messageId);
    expect(m.senderId).toBe("ana");
    expect(m.text).toBe(body.note);
    expect(m.share).toMatchObject({
      protocol: body.attendance.protocol,
      channel: "whatsapp",
      customer: { name: "Maria Oliveira" },
      note: body.note,
      lineCount: 7,
    });
    expect(m.share.lastLines).toEqual(body.attendance.messages.slice(-5));
    // Hostile text is stored and served verbatim, as data: the client renders it as text.
    expect(m.share.lastLines[1].text).toBe(HOSTILE);

    const full = await getTranscript("dm.ana.bruno", body.shareId, tokens.bruno!);
    expect(full.status, full.text).toBe(200);
    expect(full.body.messages).toEqual(body.attendance.messages);
    expect(full.body).toMatchObject({ shareId: body.shareId, protocol: body.attendance.protocol, channel: "whatsapp" });
    const headers = await fetch(transcriptUrl("dm.ana.bruno", body.shareId), { headers: { authorization: `Bearer ${tokens.ana}` } });
    expect(headers.status).toBe(200);
    expect(headers.headers.get("content-type")).toMatch(/^application\/json/);
    expect(headers.headers.get("x-content-type-options")).toBe("nosniff");
    await headers.body?.cancel();
  });

  it("R30: a share counts as unread for the target and is found by its protocol number and the customer's name", async () => {
    const { client: inbox } = await openHub(server.wsBase, "acme", tokens.carla!);
    sockets.push(inbox);
    const body = shareBody({
      to: { type: "user", id: "carla" },
      attendance: { ...shareBody().attendance, customer: { name: "Joaquina Brandão" } },
    });
    const res = await postShare(body);
    expect(res.status, res.text).toBe(201);
    const update = await inbox.next(
      (f) => f.type === "inbox.update" && f.conversation.chatId === "dm.ana.carla" && f.conversation.unread === 1,
    );
    expect(update.conversation.lastMessage.text).toContain(body.attendance.protocol);
    for (const q of [body.attendance.protocol, "joaquina brandao"]) {
      inbox.send({ type: "search.query", q });
      const found = await inbox.next((f) => f.type === "search.results" && f.q === q);
      expect(found.hits.map((h: Json) => h.seq)).toEqual([Number(res.body.messageId.split(":")[1])]);
    }
  });

  it("R30: the same shareId again answers 200 with the same ids and adds no message, also when sent many times at once", async () => {
    const body = shareBody({ to: { type: "user", id: "eva" } });
    const first = await postShare(body);
    expect(first.status, first.text).toBe(201);
    const again = await postShare(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);

    const racing = shareBody({ to: { type: "user", id: "eva" } });
    const all = await Promise.all(Array.from({ length: 6 }, () => postShare(racing)));
    expect(all.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(all.map((r) => r.body.messageId)).size).toBe(1);

    const { ready } = await chatOf("eva", "dm.ana.eva");
    const shares = ready.messages.filter((x: Json) => x.share);
    expect(shares.map((x: Json) => x.share.shareId)).toEqual([body.shareId, racing.shareId]);
  });

  it("R30: a share into a group the agent belongs to reaches its members; without a note the text is empty", async () => {
    const group = await http(`${server.base}/api/tenants/acme/groups`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens.ana}` },
      body: JSON.stringify({ name: "Suporte", members: ["bruno", "carla"] }),
    });
    expect(group.status).toBe(201);
    const chatId = group.body.chatId as string;
    const { client: carla } = await chatOf("carla", chatId);
    const { note: _none, ...body } = shareBody({ to: { type: "group", id: chatId } });
    const res = await postShare(body);
    expect(res.status, res.text).toBe(201);
    expect(res.body.chatId).toBe(chatId);
    const live = await carla.next((f) => f.type === "message.new" && f.message.share?.shareId === body.shareId);
    expect(live.message.text).toBe("");
    expect(live.message.share.note).toBeUndefined();
    expect((await getTranscript(chatId, body.shareId as string, tokens.carla!)).status).toBe(200);
  });

  it("R30: a share answered with 'Responder' quotes its protocol and customer; 'Encaminhar' carries the card and its transcript", async () => {
    const body = shareBody();
    const res = await postShare(body);
    expect(res.status).toBe(201);
    const seq = Number(res.body.messageId.split(":")[1]);
    const { client: bruno } = await chatOf("bruno", "dm.ana.bruno");
    const { client: ana } = await chatOf("ana", "dm.ana.bruno");
    const clientId = cid();
    bruno.send({ type: "message.send", clientId, text: "Vou ligar para ela", replyTo: seq });
    const ack = await bruno.next((f) => (f.type === "message.ack" || f.type === "error") && f.clientId === clientId);
    expect(ack.type, JSON.stringify(ack)).toBe("message.ack");
    expect(ack.message.replyTo.snippet).toBe(`📋 Protocolo ${body.attendance.protocol} — Maria Oliveira`);
    const reply = await ana.next((f) => f.type === "message.new" && f.message.clientId === clientId);
    expect(reply.message.text).toBe("Vou ligar para ela");

    const fwd = cid();
    bruno.send({ type: "message.forward", clientId: fwd, seq, to: ["dm.bruno.carla"] });
    const done = await bruno.next((f) => (f.type === "forward.done" || f.type === "error") && f.clientId === fwd);
    expect(done.type, JSON.stringify(done)).toBe("forward.done");
    const { ready } = await chatOf("carla", "dm.bruno.carla");
    const copy = ready.messages.find((x: Json) => x.seq === done.copies[0].seq);
    expect(copy.forwarded).toBe(true);
    expect(copy.share.shareId).toBe(body.shareId);
    const full = await getTranscript("dm.bruno.carla", body.shareId, tokens.carla!);
    expect(full.status, full.text).toBe(200);
    expect(full.body.messages).toHaveLength(7);
  });

  it("R30: the transcript stays readable while any copy of the card in the chat does, and goes with the last one", async () => {
    const body = shareBody({ to: { type: "user", id: "fabio" } });
    const res = await postShare(body);
    expect(res.status, res.text).toBe(201);
    const original = Number(res.body.messageId.split(":")[1]);
    const { client: fabio } = await chatOf("fabio", "dm.ana.fabio");
    const { client: ana } = await chatOf("ana", "dm.ana.fabio");
    const copies: number[] = [];
    for (let i = 0; i < 2; i++) {
      const fwd = cid();
      fabio.send({ type: "message.forward", clientId: fwd, seq: original, to: ["dm.ana.fabio"] });
      const done = await fabio.next((f) => (f.type === "forward.done" || f.type === "error") && f.clientId === fwd);
      expect(done.type, JSON.stringify(done)).toBe("forward.done");
      copies.push(done.copies[0].seq);
    }
    const deleted = async (c: Client, seq: number) => {
      c.send({ type: "message.delete", seq });
      await c.next((f) => f.type === "message.updated" && f.message.seq === seq && f.message.deleted);
    };
    await deleted(ana, original);
    await deleted(fabio, copies[1]!);
    expect((await getTranscript("dm.ana.fabio", body.shareId, tokens.fabio!)).status).toBe(200);
    await deleted(fabio, copies[0]!);
    expect((await getTranscript("dm.ana.fabio", body.shareId, tokens.fabio!)).status).toBe(404);
  });
});

describe("R30 share webhook: refused, and nothing written", () => {
  it("R30: 400 names the wrong field; malformed JSON is a 400 at the root; davi's chat stays empty", async () => {
    const blobs = r2Blobs(server.persist).length;
    const cases: [Json | string, string][] = [
      [shareBody({ to: { type: "user", id: "davi" }, attendance: { ...shareBody().attendance, channel: "sms" } }), "attendance.channel"],
      [shareBody({ to: { type: "team", id: "davi" } }), "to.type"],
      [{ ...shareBody({ to: { type: "user", id: "davi" } }), shareId: undefined }, "shareId"],
      [
        shareBody({
          to: { type: "user", id: "davi" },
          attendance: { ...shareBody().attendance, messages: [{ from: "customer", at: "ontem" }] },
        }),
        "attendance.messages.0.at",
      ],
      ['{"shareId": "x", "sharedBy": "ana", ', "(raiz)"],
      ["não é json", "(raiz)"],
    ];
    for (const [body, field] of cases) {
      const res = await postShare(body);
      expect(res.status, `${field}: ${res.text}`).toBe(400);
      expect(res.body.field, res.text).toBe(field);
      expect(res.body.code).toBe("invalid_body");
    }
    expect(r2Blobs(server.persist).length).toBe(blobs);
  });

  it("R30: 401 for a missing, malformed or wrong signature, a tampered body, a stale or future timestamp, and another company's secret", async () => {
    const blobs = r2Blobs(server.persist).length;
    const body = shareBody({ to: { type: "user", id: "davi" } });
    const raw = JSON.stringify(body);
    const now = Math.floor(Date.now() / 1000);
    const refusals: [string, Awaited<ReturnType<typeof postShare>>][] = [
      ["no signature", await postShare(body, { signature: null })],
      ["malformed", await postShare(body, { signature: "sha256=abc" })],
      ["wrong", await postShare(body, { signature: `sha256=${"0".repeat(64)}` })],
      ["tampered", await postShare(raw.replace("Maria Oliveira", "Maria Olivera"), { signedRaw: raw })],
      // Well past the 5-minute window (its exact edge is unit-tested with a fixed clock): the server's clock may read a second later.
      ["stale", await postShare(body, { ts: now - 330 })],
      ["future", await postShare(body, { ts: now + 330 })],
      ["globex secret", await postShare(body, { secret: GLOBEX_SECRET })],
      ["acme secret on globex", await postShare({ ...body, to: { type: "user", id: "bruno" } }, { tenant: "globex" })],
    ];
    for (const [what, res] of refusals) {
      expect(res.status, `${what}: ${res.text}`).toBe(401);
      expect(res.body.code).toBe("unauthorized");
    }
    // Globex's own secret is good for globex only.
    const own = await postShare({ ...shareBody(), to: { type: "user", id: "bruno" } }, { tenant: "globex", secret: GLOBEX_SECRET });
    expect(own.status, own.text).toBe(201);
    expect(r2Blobs(server.persist).length).toBe(blobs + 1);
  });

  it("R30: 404 for an unknown or disabled agent, an unknown target or group; 413 over the limit; none of them writes", async () => {
    await putUser(server.base, server.adminKey!, "acme", "gil", userBody("gil", { enabled: false }));
    const blobs = r2Blobs(server.persist).length;
    const notFound: [Json, string][] = [
      [shareBody({ sharedBy: "ninguem", to: { type: "user", id: "davi" } }), "sharedBy"],
      [shareBody({ sharedBy: "gil", to: { type: "user", id: "davi" } }), "sharedBy"],
      [shareBody({ to: { type: "user", id: "ninguem" } }), "to.id"],
      [shareBody({ to: { type: "user", id: "gil" } }), "to.id"],
      [shareBody({ to: { type: "group", id: "g.aaaaaaaaaaaaaaaa" } }), "to.id"],
      [shareBody({ to: { type: "group", id: "nao-e-grupo" } }), "to.id"],
    ];
    for (const [body, field] of notFound) {
      const res = await postShare(body);
      expect(res.status, `${field}: ${res.text}`).toBe(404);
      expect(res.body.field).toBe(field);
    }
    const huge = shareBody({ to: { type: "user", id: "davi" } });
    huge.attendance.messages = Array.from({ length: 400 }, (_, i) => ({
      from: "customer",
      text: "x".repeat(1000),
      at: `2026-11-25T09:00:${String(i % 60).padStart(2, "0")}Z`,
    }));
    const tooBig = await postShare(huge);
    expect(tooBig.status, tooBig.text.slice(0, 200)).toBe(413);
    expect(tooBig.body.code).toBe("too_large");
    expect(r2Blobs(server.persist).length).toBe(blobs);
    const { ready } = await chatOf("davi", "dm.ana.davi");
    expect(ready.messages).toEqual([]);
  });

  it("R30: 403 for a share into a group the agent left; the group's log gets no card", async () => {
    const group = await http(`${server.base}/api/tenants/acme/groups`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens.ana}` },
      body: JSON.stringify({ name: "Saí daqui", members: ["bruno", "carla"] }),
    });
    const chatId = group.body.chatId as string;
    const { client: ana } = await chatOf("ana", chatId);
    ana.send({ type: "group.leave" });
    await ana.closed;
    const blobs = r2Blobs(server.persist).length;
    const res = await postShare(shareBody({ to: { type: "group", id: chatId } }));
    expect(res.status, res.text).toBe(403);
    expect(res.body.code).toBe("forbidden");
    expect(r2Blobs(server.persist).length).toBe(blobs);
    const { ready } = await chatOf("bruno", chatId);
    expect(ready.messages.some((m: Json) => m.share)).toBe(false);
  });
});

describe("R30 transcript access", () => {
  it("R30: only members with a session read a transcript: a non-member gets 403, no token 401, an unknown share 404", async () => {
    const body = shareBody();
    expect((await postShare(body)).status).toBe(201);
    expect((await getTranscript("dm.ana.bruno", body.shareId, tokens.carla!)).status).toBe(403);
    expect((await getTranscript("dm.ana.bruno", body.shareId, null)).status).toBe(401);
    expect((await getTranscript("dm.ana.bruno", body.shareId, "token.falso")).status).toBe(401);
    expect((await getTranscript("dm.ana.bruno", "nao-existe", tokens.bruno!)).status).toBe(404);
    // Another chat of the same member does not serve it either.
    expect((await getTranscript("dm.ana.carla", body.shareId, tokens.ana!)).status).toBe(404);
  });
});

describe("R31 sign-in links", () => {
  const issue = (body: unknown, key: string | null = server.adminKey!) =>
    http(`${server.base}/api/tenants/acme/links`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });
  const redeem = (token: string) =>
    http(`${server.base}/api/tenants/acme/links/redeem`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    });
  const tokenOf = (url: string) => {
    const m = new RegExp(`^${server.base}/l/acme/([A-Za-z0-9_-]+)$`).exec(url);
    if (!m) throw new Error(`unexpected url ${url}`);
    return m[1]!;
  };

  it("R31: issuing needs the admin key and a valid user and target", async () => {
    expect((await issue({ userId: "bruno", to: "/c/dm.ana.bruno" }, null)).status).toBe(401);
    expect((await issue({ userId: "bruno", to: "/c/dm.ana.bruno" }, "chave-errada-chave-errada")).status).toBe(401);
    for (const [to, field] of [
      ["https://evil.example/", "to"],
      ["/c/../../api", "to"],
      ["//evil.example", "to"],
      ["/c/dm.ana.carla", "to"],
    ] as const) {
      const res = await issue({ userId: "bruno", to });
      expect(res.status, `${to}: ${res.text}`).toBe(400);
      expect(res.body.field).toBe(field);
    }
    expect((await issue({ userId: "ninguem", to: "/u/ana" })).status).toBe(404);
  });

  it("R31: a link signs the user in once, answering like /api/login plus `to`; used again it is refused", async () => {
    const res = await issue({ userId: "bruno", to: "/c/dm.ana.bruno" });
    expect(res.status, res.text).toBe(201);
    const token = tokenOf(res.body.url);
    const first = await redeem(token);
    expect(first.status, first.text).toBe(200);
    expect(first.body.to).toBe("/c/dm.ana.bruno");
    expect(first.body.user).toMatchObject({ id: "bruno", login: "bruno" });
    expect(first.body.user.passwordHash).toBeUndefined();
    const me = await http(`${server.base}/api/tenants/acme/me`, { headers: { authorization: `Bearer ${first.body.token}` } });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe("bruno");
    const second = await redeem(token);
    expect(second.status).toBe(401);
    expect(second.body.error).toBe("Este link de acesso expirou ou já foi usado. Entre com seu login e senha.");
    expect((await redeem("x".repeat(43))).status).toBe(401);
  });

  it("R31: two redeems of one link at once: exactly one signs in", async () => {
    const token = tokenOf((await issue({ userId: "carla", to: "/u/ana" })).body.url);
    const both = await Promise.all([redeem(token), redeem(token), redeem(token)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 401, 401]);
  });

  it("R31: an expired link, or one for a user disabled since, is refused", async () => {
    const late = tokenOf((await issue({ userId: "ana", to: "/u/bruno" })).body.url);
    const disabled = tokenOf((await issue({ userId: "eva", to: "/u/ana" })).body.url);
    await putUser(server.base, server.adminKey!, "acme", "eva", userBody("eva", { enabled: false }));
    expect((await redeem(disabled)).status).toBe(401);
    await new Promise((r) => setTimeout(r, TTL + 200));
    const res = await redeem(late);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(/expirou ou já foi usado/);
  });
});
