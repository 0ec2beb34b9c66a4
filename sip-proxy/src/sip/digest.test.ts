/** Digest answers to PBX challenges (R29), checked against RFC 2617 §3.5's worked example. */
import { describe, expect, it } from "vitest";
import { digestAnswer, parseChallenge } from "./digest";

describe("digest", () => {
  it("R29: computes RFC 2617's example response for qop=auth", () => {
    const c = parseChallenge(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    expect(c?.realm).toBe("testrealm@host.com");
    const a = digestAnswer(c!, { username: "Mufasa", password: "Circle Of Life" }, "GET", "/dir/index.html", "0a4f113b");
    expect(a).toContain('response="6629fae49393a05397450978507c4ef1"');
    expect(a).toContain("nc=00000001");
    expect(a).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  });

  it("R29: without qop, response = MD5(HA1:nonce:HA2); an unknown algorithm is not answered", () => {
    const c = parseChallenge('Digest realm="asterisk", nonce="abc"')!;
    const a = digestAnswer(c, { username: "2001", password: "s" }, "INVITE", "sip:3000@pbx");
    expect(a).toMatch(/response="[0-9a-f]{32}"/);
    expect(a).not.toContain("qop");
    expect(digestAnswer({ ...c, algorithm: "SHA-512-256" }, { username: "2001", password: "s" }, "INVITE", "sip:x")).toBe(null);
    expect(parseChallenge("Basic realm=x")).toBe(null);
  });
});
