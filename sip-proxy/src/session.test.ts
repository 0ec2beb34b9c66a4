/**
 * Who is on a socket (R2, R29, issue 16.1): the session token checked locally, then
 * the platform's `/me` (a stand-in fetch here) gives the extension, the name the
 * proxy asserts and the class of service — internal when the platform says nothing.
 */
import { describe, expect, it } from "vitest";
import { issueSession } from "../../party/domain/session";
import { authenticate } from "./session";

const SECRET = "0123456789abcdef-session";
const me = (user: Record<string, unknown>) => (async () => new Response(JSON.stringify({ ok: true, user }))) as unknown as typeof fetch;

describe("session", () => {
  it("issue 16.1: the caller carries the platform's name and class of service", async () => {
    const token = await issueSession(SECRET, { tenant: "demo", userId: "ana", sessionVersion: 1 });
    const caller = await authenticate(
      SECRET,
      "http://x",
      token,
      me({ id: "ana", name: "Ana Souza", extension: "2001", callClass: "national" }),
    );
    expect(caller).toEqual({ tenant: "demo", userId: "ana", extension: "2001", name: "Ana Souza", callClass: "national" });
  });

  it("issue 16.1: no class, or one this proxy does not know, is internal; a forged token or another user is refused", async () => {
    const token = await issueSession(SECRET, { tenant: "demo", userId: "ana", sessionVersion: 1 });
    expect((await authenticate(SECRET, "http://x", token, me({ id: "ana", extension: "2001" })))?.callClass).toBe("internal");
    expect((await authenticate(SECRET, "http://x", token, me({ id: "ana", extension: "2001", callClass: "galactic" })))?.callClass).toBe(
      "internal",
    );
    expect(await authenticate(SECRET, "http://x", "forged.token", me({ id: "ana", extension: "2001" }))).toBe(null);
    expect(await authenticate(SECRET, "http://x", token, me({ id: "bruno", extension: "2002" }))).toBe(null);
  });
});
