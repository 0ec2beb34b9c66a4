/**
 * Unit tests for the one error shape and for draining refused request bodies
 * (workerd resets the connection when a response leaves before the body is read).
 */
import { describe, expect, it } from "vitest";
import { discardBody, errorFrame, errorResponse, refuse } from "./respond";

describe("error shapes", () => {
  it("an error response carries code, message and field with the code's status", async () => {
    const res = errorResponse("invalid_body", "e-mail inválido", "email");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "e-mail inválido", code: "invalid_body", field: "email" });
    expect(errorResponse("forbidden", "não").status).toBe(403);
  });

  it("an error frame echoes field and clientId only when given", () => {
    expect(errorFrame("invalid_frame", "x", { field: "text", clientId: "abcdefgh" })).toEqual({
      type: "error",
      code: "invalid_frame",
      message: "x",
      field: "text",
      clientId: "abcdefgh",
    });
    expect(errorFrame("internal", "y")).toEqual({ type: "error", code: "internal", message: "y" });
  });
});

describe("refusing a request with a body", () => {
  it("drains the body before answering", async () => {
    const req = new Request("http://x/parties/user/acme.ana/inbox", { method: "POST", body: "a".repeat(10_000) });
    const res = await refuse(req, "forbidden", "somente serviços internos");
    expect(req.bodyUsed).toBe(true);
    expect(res.status).toBe(403);
  });

  it("stops reading a huge body after the limit instead of buffering it", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
        if (pulled > 10_000) controller.close();
      },
    });
    const req = new Request("http://x/", { method: "POST", body, duplex: "half" } as RequestInit);
    await discardBody(req, 8 * 1024);
    expect(pulled).toBeLessThan(20);
  });

  it("does nothing for a request without a body", async () => {
    await expect(discardBody(new Request("http://x/"))).resolves.toBeUndefined();
  });
});
