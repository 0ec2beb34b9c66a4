/**
 * Unit tests for password hashing and token signing (R1): the stored hash keeps
 * its parameters and refuses anything tampered; tokens open only with the right
 * secret and an untouched payload.
 */
import { describe, expect, it } from "vitest";
import { b64url, constantTimeEqual, fromB64url, hashPassword, openToken, signToken, verifyPassword } from "./crypto";
import { issueAccess, readAccess, isServiceToken, issueServiceToken } from "./session";

// Fewer iterations keep the suite fast; the parameter travels in the stored string.
const FAST = 1000;

describe("password hashing", () => {
  it("R1: a password verifies against its own hash and the hash keeps its parameters", async () => {
    const stored = await hashPassword("correct horse", FAST);
    expect(stored).toMatch(/^pbkdf2-sha256\$1000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword("correct horse", stored)).toBe(true);
  });

  it("R1: a wrong password does not verify, nor does a near miss", async () => {
    const stored = await hashPassword("correct horse", FAST);
    expect(await verifyPassword("correct hors", stored)).toBe(false);
    expect(await verifyPassword("Correct horse", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("R1: two hashes of the same password differ (per-user salt)", async () => {
    expect(await hashPassword("same", FAST)).not.toBe(await hashPassword("same", FAST));
  });

  it("R1: a hash with tampered parameters is refused", async () => {
    const stored = await hashPassword("pw", FAST);
    const [scheme, iter, salt, hash] = stored.split("$") as [string, string, string, string];
    const tampered = [
      [scheme, String(Number(iter) + 1), salt, hash],
      [scheme, iter, b64url(new Uint8Array(16)), hash],
      ["pbkdf2-sha1", iter, salt, hash],
      [scheme, "0", salt, hash],
      [scheme, "100001", salt, hash],
      [scheme, "abc", salt, hash],
      [scheme, iter, "not base64!", hash],
      [scheme, iter, salt],
    ].map((p) => p.join("$"));
    for (const t of tampered) expect(await verifyPassword("pw", t), t).toBe(false);
    expect(await verifyPassword("pw", "")).toBe(false);
  });
});

describe("base64url and comparison", () => {
  it("round-trips bytes and rejects characters outside the alphabet", () => {
    const bytes = new Uint8Array([0, 255, 62, 63, 1, 2, 3]);
    expect([...fromB64url(b64url(bytes))!]).toEqual([...bytes]);
    expect(fromB64url("a+b/")).toBeNull();
  });

  it("compares bytes exactly", () => {
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
  });
});

describe("signed tokens", () => {
  const secret = "a-secret-of-sufficient-length";

  it("R1: a token opens with its secret and yields its payload", async () => {
    const token = await signToken(secret, { a: 1, b: "x" });
    expect(await openToken(secret, token)).toEqual({ a: 1, b: "x" });
  });

  it("R1: a token signed with another secret does not open", async () => {
    const token = await signToken("another-secret-entirely", { a: 1 });
    expect(await openToken(secret, token)).toBeNull();
  });

  it("R1: a tampered payload or MAC does not open", async () => {
    const token = await signToken(secret, { sub: "ana" });
    const [body, mac] = token.split(".") as [string, string];
    const forgedBody = b64url(new TextEncoder().encode(JSON.stringify({ sub: "root" })));
    expect(await openToken(secret, `${forgedBody}.${mac}`)).toBeNull();
    const flipped = mac.slice(0, -2) + (mac.at(-2) === "A" ? "B" : "A") + mac.at(-1);
    expect(await openToken(secret, `${body}.${flipped}`)).toBeNull();
    expect(await openToken(secret, body)).toBeNull();
    expect(await openToken(secret, `.${mac}`)).toBeNull();
    expect(await openToken(secret, "garbage")).toBeNull();
  });

  it("R1: an access token is read back until it expires, then refused", async () => {
    const now = 1_700_000_000_000;
    const who = { userId: "ana", tenant: "acme", sid: "sessao-0000000001" };
    const token = await issueAccess(secret, who, 60_000, now);
    expect(await readAccess(secret, token, now + 1000)).toEqual(who);
    expect(await readAccess(secret, token, now + 60_000)).toBeNull();
    expect(await readAccess("another-secret-entirely", token, now)).toBeNull();
    expect(await readAccess(secret, null)).toBeNull();
  });

  it("R1: a service token is not a session, and a session is not a service token", async () => {
    const now = 1_700_000_000_000;
    const service = await issueServiceToken(secret, now);
    const session = await issueAccess(secret, { userId: "ana", tenant: "acme", sid: "sessao-0000000001" }, 60_000, now);
    expect(await isServiceToken(secret, service, now + 1000)).toBe(true);
    expect(await isServiceToken(secret, service, now + 61_000)).toBe(false);
    expect(await isServiceToken(secret, session, now)).toBe(false);
    expect(await readAccess(secret, service, now)).toBeNull();
    expect(await isServiceToken("another-secret-entirely", service, now)).toBe(false);
  });
});
