import { describe, expect, it } from "vitest";
import { open, seal } from "./secretbox";

describe("secrets at rest (issue 18.1: the identity provider's client secret)", () => {
  it("a sealed secret opens with the deployment's secret, for its purpose and company only", async () => {
    const sealed = await seal("segredo-da-implantacao-123", "sso-client-secret", "acme", "s3gredo");
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("s3gredo");
    expect(await open("segredo-da-implantacao-123", "sso-client-secret", "acme", sealed)).toBe("s3gredo");
    expect(await open("segredo-da-implantacao-123", "sso-client-secret", "globex", sealed)).toBeNull();
    expect(await open("segredo-da-implantacao-123", "outro-uso", "acme", sealed)).toBeNull();
    expect(await open("outro-segredo-de-implantacao", "sso-client-secret", "acme", sealed)).toBeNull();
    expect(await open("segredo-da-implantacao-123", "sso-client-secret", "acme", sealed.slice(0, -2) + "AA")).toBeNull();
    expect(await open("segredo-da-implantacao-123", "sso-client-secret", "acme", "v2.x.y")).toBeNull();
  });

  it("the same secret sealed twice gives two different values (a fresh IV each time)", async () => {
    const a = await seal("segredo-da-implantacao-123", "p", "acme", "x");
    const b = await seal("segredo-da-implantacao-123", "p", "acme", "x");
    expect(a).not.toBe(b);
  });
});
