/** R30: the share webhook's signature, replay window, per-tenant secrets and card. */
import { describe, expect, it } from "vitest";
import { parse } from "../../protocol";
import { ShareBody, CARD_LINES, LinkIssueBody, shareSnippet } from "../../protocol/share";
import { CARD_LINE_CHARS, MAX_SKEW_SECONDS, shareCard, signWebhook, verifyWebhook, webhookSecretFor } from "./webhook";

const SECRET = "s3cret-s3cret-s3cret";
const NOW = 1_795_000_000;
const body = JSON.stringify({ shareId: "x1", hello: "mundo" });

describe("R30 webhook signature", () => {
  it("accepts the signature of the exact bytes and timestamp", async () => {
    const sig = await signWebhook(SECRET, NOW, "acme", body);
    expect(await verifyWebhook(SECRET, sig, String(NOW), "acme", body, NOW)).toEqual({ ok: true });
  });

  it("issue 12.8: a signature made for one company does not verify for another (no replay across companies)", async () => {
    const sig = await signWebhook(SECRET, NOW, "acme", body);
    expect(await verifyWebhook(SECRET, sig, String(NOW), "globex", body, NOW)).toEqual({ ok: false, reason: "mismatch" });
    expect(await verifyWebhook(SECRET, sig, String(NOW), "acme", body, NOW)).toEqual({ ok: true });
  });

  it("refuses a tampered body, another timestamp, or another tenant's secret", async () => {
    const sig = await signWebhook(SECRET, NOW, "acme", body);
    expect(await verifyWebhook(SECRET, sig, String(NOW), "acme", body.replace("mundo", "mundo!"), NOW)).toEqual({
      ok: false,
      reason: "mismatch",
    });
    expect(await verifyWebhook(SECRET, sig, String(NOW + 1), "acme", body, NOW)).toEqual({ ok: false, reason: "mismatch" });
    expect(await verifyWebhook("outro-segredo-outro-segredo", sig, String(NOW), "acme", body, NOW)).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  it("refuses more than five minutes of skew either way (replay protection)", async () => {
    const old = NOW - MAX_SKEW_SECONDS - 1;
    expect(await verifyWebhook(SECRET, await signWebhook(SECRET, old, "acme", body), String(old), "acme", body, NOW)).toEqual({
      ok: false,
      reason: "stale",
    });
    const future = NOW + MAX_SKEW_SECONDS + 1;
    expect(await verifyWebhook(SECRET, await signWebhook(SECRET, future, "acme", body), String(future), "acme", body, NOW)).toEqual({
      ok: false,
      reason: "stale",
    });
    const edge = NOW - MAX_SKEW_SECONDS;
    expect(await verifyWebhook(SECRET, await signWebhook(SECRET, edge, "acme", body), String(edge), "acme", body, NOW)).toEqual({
      ok: true,
    });
  });

  it("tells missing from malformed headers", async () => {
    expect(await verifyWebhook(SECRET, null, String(NOW), "acme", body, NOW)).toEqual({ ok: false, reason: "missing" });
    expect(await verifyWebhook(SECRET, "sha256=abc", String(NOW), "acme", body, NOW)).toEqual({ ok: false, reason: "malformed" });
    expect(await verifyWebhook(SECRET, "md5=" + "0".repeat(64), String(NOW), "acme", body, NOW)).toEqual({
      ok: false,
      reason: "malformed",
    });
    expect(await verifyWebhook(SECRET, "sha256=" + "0".repeat(64), "12a", "acme", body, NOW)).toEqual({ ok: false, reason: "malformed" });
  });
});

describe("R30 webhook secrets", () => {
  it("prefers the tenant's own secret, falls back to the shared one, and refuses short ones", () => {
    const env = { CONVERSAS_WEBHOOK_SECRET: "shared-secret-123456", CONVERSAS_WEBHOOK_SECRET_ACME_CO: "acme-secret-12345678" };
    expect(webhookSecretFor("acme-co", env)).toBe("acme-secret-12345678");
    expect(webhookSecretFor("demo", env)).toBe("shared-secret-123456");
    expect(webhookSecretFor("demo", { CONVERSAS_WEBHOOK_SECRET: "curto" })).toBeNull();
    expect(webhookSecretFor("demo", {})).toBeNull();
  });
});

describe("R30 share body and card", () => {
  const valid = {
    shareId: "att-42",
    sharedBy: "ana",
    to: { type: "user", id: "bruno" },
    note: "Cliente pediu segunda via",
    attendance: {
      protocol: "2026112500042",
      channel: "whatsapp",
      customer: { name: "Maria Cliente", phone: "+5511999990000" },
      startedAt: "2026-11-25T10:00:00Z",
      messages: Array.from({ length: 8 }, (_, i) => ({
        from: i % 2 ? "agent" : "customer",
        text: `linha ${i}`,
        at: `2026-11-25T10:0${i}:00Z`,
      })),
    },
  };

  it("accepts the documented body and names the wrong field otherwise", () => {
    expect(parse(ShareBody, valid).ok).toBe(true);
    expect(parse(ShareBody, { ...valid, to: { type: "channel", id: "x" } })).toMatchObject({ ok: false, field: "to.type" });
    expect(parse(ShareBody, { ...valid, attendance: { ...valid.attendance, channel: "sms" } })).toMatchObject({
      ok: false,
      field: "attendance.channel",
    });
    const noText = { ...valid, attendance: { ...valid.attendance, messages: [{ from: "customer", at: "2026-11-25T10:00:00Z" }] } };
    expect(parse(ShareBody, noText).ok).toBe(false);
    // A shareId of dots alone would be a path segment browsers rewrite ("/shares/..").
    for (const shareId of [".", "..", "...", ":-"])
      expect(parse(ShareBody, { ...valid, shareId })).toMatchObject({ ok: false, field: "shareId" });
    expect(parse(ShareBody, { ...valid, shareId: "a.b:c-1" }).ok).toBe(true);
  });

  it("keeps transcript text as text: markup is data, never interpreted", () => {
    const hostile = {
      ...valid,
      attendance: {
        ...valid.attendance,
        messages: [{ from: "customer", text: "<img src=x onerror=alert(1)>", at: "2026-11-25T10:00:00Z" }],
      },
    };
    const parsed = parse(ShareBody, hostile);
    expect(parsed.ok && shareCard(parsed.value).lastLines[0]!.text).toBe("<img src=x onerror=alert(1)>");
  });

  it("the card carries the newest lines, the count and the note", () => {
    const parsed = parse(ShareBody, valid);
    if (!parsed.ok) throw new Error(parsed.message);
    const card = shareCard(parsed.value);
    expect(card.lastLines.map((l) => l.text)).toEqual(["linha 3", "linha 4", "linha 5", "linha 6", "linha 7"].slice(-CARD_LINES));
    expect(card.lineCount).toBe(8);
    expect(card.note).toBe("Cliente pediu segunda via");
    expect(card.protocol).toBe("2026112500042");
  });

  it("the card cuts long lines (the transcript keeps them whole), so it stays forwardable", () => {
    const long = "ç".repeat(8000);
    const parsed = parse(ShareBody, {
      ...valid,
      attendance: { ...valid.attendance, messages: [{ from: "customer", text: long, at: "2026-11-25T10:00:00Z" }] },
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const text = shareCard(parsed.value).lastLines[0]!.text!;
    expect(text).toHaveLength(CARD_LINE_CHARS);
    expect(text.endsWith("…")).toBe(true);
    expect(long.startsWith(text.slice(0, -1))).toBe(true);
  });
});

describe("R30 webhook signature over raw bytes", () => {
  it("signs the exact bytes received: a body with accents verifies as bytes and as text alike", async () => {
    const text = JSON.stringify({ note: "atenção, não é só ASCII" });
    const bytes = new TextEncoder().encode(text);
    const sig = await signWebhook(SECRET, NOW, "acme", bytes);
    expect(sig).toBe(await signWebhook(SECRET, NOW, "acme", text));
    expect(await verifyWebhook(SECRET, sig, String(NOW), "acme", bytes, NOW)).toEqual({ ok: true });
  });

  it("matches what the README's openssl example and Node's createHmac compute", async () => {
    const { createHmac } = await import("node:crypto");
    const expected = createHmac("sha256", SECRET).update(`${NOW}.acme.${body}`).digest("hex");
    expect(await signWebhook(SECRET, NOW, "acme", body)).toBe(`sha256=${expected}`);
  });

  it("a single changed byte, even one that is not valid UTF-8, is a mismatch", async () => {
    const bytes = new TextEncoder().encode(body);
    const sig = await signWebhook(SECRET, NOW, "acme", bytes);
    const changed = bytes.slice();
    changed[3] = 0xff;
    expect(await verifyWebhook(SECRET, sig, String(NOW), "acme", changed, NOW)).toEqual({ ok: false, reason: "mismatch" });
  });
});

describe("R31 sign-in link targets", () => {
  it("accepts only /c/{chatId} and /u/{userId}", () => {
    for (const to of ["/c/dm.ana.bruno", "/c/g.abcdefghij012345", "/u/ana"])
      expect(parse(LinkIssueBody, { userId: "ana", to }).ok, to).toBe(true);
    for (const to of ["https://x.example/", "//x.example", "/c/../api", "/c/dm.ana", "/u/Ana!", "/c/g.short", "/l/demo/x", "/u/ana?x=1"]) {
      expect(parse(LinkIssueBody, { userId: "ana", to }), to).toMatchObject({ ok: false, field: "to" });
    }
  });

  it("a share is quoted and previewed by protocol and customer", () => {
    expect(shareSnippet({ protocol: "123", customer: { name: "Maria" } })).toBe("📋 Protocolo 123 — Maria");
  });
});
