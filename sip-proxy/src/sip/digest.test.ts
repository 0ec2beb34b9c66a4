/** Digest answers to PBX challenges (R29), checked against RFC 2617 §3.5's worked example. */
import { describe, expect, it } from "vitest";
import { digestAnswer, parseChallenge, pickChallenge } from "./digest";

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
    expect(digestAnswer({ ...c, algorithm: "AKAv1-MD5" }, { username: "2001", password: "s" }, "INVITE", "sip:x")).toBe(null);
    expect(parseChallenge("Basic realm=x")).toBe(null);
  });

  it("issue 16.8: SHA-256 digest (RFC 8760), checked against RFC 7616's worked example; MD5 gives that example's MD5 answer", () => {
    const challenge = (algorithm: string) =>
      parseChallenge(
        `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
      )!;
    const cred = { username: "Mufasa", password: "Circle of Life" };
    const cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    expect(digestAnswer(challenge("SHA-256"), cred, "GET", "/dir/index.html", cnonce)).toContain(
      'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"',
    );
    expect(digestAnswer(challenge("SHA-256"), cred, "GET", "/dir/index.html", cnonce)).toContain("algorithm=SHA-256");
    expect(digestAnswer(challenge("MD5"), cred, "GET", "/dir/index.html", cnonce)).toContain('response="8ca523f5e9506fed4657c9700eebdbec"');
    expect(digestAnswer(challenge("SHA-512-256"), cred, "GET", "/dir/index.html", cnonce)).toMatch(/response="[0-9a-f]{64}", qop=auth/);
  });

  it("issue 16.8: of several challenges, the first one we can answer is taken (the PBX's order of preference)", () => {
    const picked = pickChallenge([
      'Digest realm="pbx", nonce="a", algorithm=AKAv1-MD5',
      'Digest realm="pbx", nonce="b", algorithm=SHA-256, qop="auth"',
      'Digest realm="pbx", nonce="c", algorithm=MD5',
    ]);
    expect(picked).toMatchObject({ nonce: "b", algorithm: "SHA-256" });
    expect(pickChallenge(['Digest realm="pbx", nonce="a", algorithm=AKAv1-MD5', "Basic realm=x"])).toBe(null);
  });
});
