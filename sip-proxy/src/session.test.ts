/**
 * Who is on a socket (issue 12.1, 16.1, 16.6): a one-time ticket redeemed with the
 * service token (a stand-in platform here; the real one in test/sip) gives the
 * extension, the name the proxy asserts, the class of service (internal when the
 * platform says nothing) and the PBX credentials; session checks end or update it.
 */
import { describe, expect, it } from "vitest";
import { isServiceToken, SERVICE_HEADER } from "../../party/domain/session";
import { checkSession, lookupUser, redeemTicket } from "./session";

const SECRET = "0123456789abcdef-session";
const TICKET = "demo.ana.abcdefghijklmnopqrstuvwxyz";

/** A stand-in platform: answers `status` with `body`, and records what it was asked. */
function platform(status: number, body: unknown) {
  const asked: { path: string; body: unknown; service: boolean }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    const headers = new Headers(init.headers);
    asked.push({
      path: new URL(url).pathname,
      body: JSON.parse(String(init.body)),
      service: await isServiceToken(SECRET, headers.get(SERVICE_HEADER)),
    });
    return new Response(JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
  return { p: { api: "http://platform", secret: SECRET, fetch: fetchImpl }, asked };
}

const redeemed = (user: Record<string, unknown>, credentials: unknown = null) => ({
  tenant: "demo",
  userId: "ana",
  sid: "s1",
  user,
  credentials,
});

describe("session", () => {
  it("issue 12.1/16.1/16.6: a ticket is redeemed once with the service token; the caller carries name, class, session and credentials", async () => {
    const { p, asked } = platform(
      200,
      redeemed({ id: "ana", name: "Ana Souza", extension: "2001", callClass: "national" }, { password: "segredo" }),
    );
    expect(await redeemTicket(p, TICKET)).toEqual({
      tenant: "demo",
      userId: "ana",
      extension: "2001",
      name: "Ana Souza",
      callClass: "national",
      sid: "s1",
      credentials: { username: "2001", password: "segredo" },
    });
    expect(asked).toEqual([{ path: "/api/sip/tickets/redeem", body: { ticket: TICKET }, service: true }]);
  });

  it("issue 16.1: no class, or one this proxy does not know, is internal", async () => {
    expect((await redeemTicket(platform(200, redeemed({ id: "ana", extension: "2001" })).p, TICKET))?.callClass).toBe("internal");
    expect(
      (await redeemTicket(platform(200, redeemed({ id: "ana", extension: "2001", callClass: "galactic" })).p, TICKET))?.callClass,
    ).toBe("internal");
  });

  it("issue 12.1: a malformed ticket never reaches the platform; a refused one, a disabled user or another user is refused", async () => {
    const malformed = platform(200, redeemed({ id: "ana", extension: "2001" }));
    expect(await redeemTicket(malformed.p, "eyJhbGciOi.session.token")).toBe(null);
    expect(await redeemTicket(malformed.p, null)).toBe(null);
    expect(malformed.asked).toEqual([]);
    expect(await redeemTicket(platform(401, { code: "unauthorized" }).p, TICKET)).toBe(null);
    expect(await redeemTicket(platform(200, redeemed({ id: "ana", extension: "2001", enabled: false })).p, TICKET)).toBe(null);
    expect(await redeemTicket(platform(200, redeemed({ id: "bruno", extension: "2002" })).p, TICKET)).toBe(null);
  });

  it("issue 12.3: a session check says ended (401), unknown (platform down or 5xx: the socket stays) or the caller as they are now", async () => {
    const caller = { tenant: "demo", userId: "ana", extension: "2001", sid: "s1", callClass: "internal" as const };
    expect(await checkSession(platform(401, {}).p, caller)).toBe("ended");
    expect(await checkSession(platform(503, {}).p, caller)).toBe("unknown");
    const down = {
      api: "http://platform",
      secret: SECRET,
      fetch: (async () => Promise.reject(new Error("down"))) as unknown as typeof fetch,
    };
    expect(await checkSession(down, caller)).toBe("unknown");
    const { p, asked } = platform(200, { ok: true, user: { id: "ana", extension: "2001", callClass: "local" }, credentials: null });
    expect(await checkSession(p, caller)).toMatchObject({ callClass: "local", credentials: null });
    expect(asked[0]).toEqual({ path: "/api/sip/sessions/check", body: { tenant: "demo", userId: "ana", sid: "s1" }, service: true });
  });

  it("issue 16.6: after a crash the proxy looks a user up again (service token) for the credentials of a stale registration", async () => {
    const { p, asked } = platform(200, { user: { id: "ana", extension: "2001" }, credentials: { username: "x2001", password: "s" } });
    expect(await lookupUser(p, "demo", "ana")).toMatchObject({ extension: "2001", credentials: { username: "x2001", password: "s" } });
    expect(asked[0]).toEqual({ path: "/api/sip/users", body: { tenant: "demo", userId: "ana" }, service: true });
    expect(await lookupUser(platform(404, {}).p, "demo", "ana")).toBe(null);
  });
});
