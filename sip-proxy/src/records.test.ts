/**
 * The call-record reporter (R27): a service-signed POST per platform user,
 * retried until the room acknowledges it — against a real local HTTP server.
 */
import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import * as v from "valibot";
import { isServiceToken, SERVICE_HEADER } from "../../party/domain/session";
import { CallRecord, CallReporter, reasonForFailure } from "./records";

const SECRET = "a-test-secret-of-some-length";

const record: CallRecord = {
  callId: "abc@1",
  tenant: "demo",
  caller: { userId: "ana", number: "2001" },
  callee: { userId: "bruno", number: "2002" },
  parties: [
    { userId: "ana", direction: "outbound" },
    { userId: "bruno", direction: "inbound" },
  ],
  answered: true,
  startedAt: 1,
  answeredAt: 2,
  endedAt: 3,
  endReason: "caller-hangup",
};

describe("call records", () => {
  it("R27: the failure reason follows the final status", () => {
    expect([487, 486, 600, 603, 408, 480, 500].map(reasonForFailure)).toEqual([
      "cancelled",
      "busy",
      "busy",
      "rejected",
      "no-answer",
      "no-answer",
      "failed",
    ]);
  });

  it("R27: each involved user's room gets the record, service-signed, retried until acknowledged", async () => {
    const hits: Array<{ url: string; ok: boolean; body: unknown }> = [];
    let failures = 2;
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", async () => {
        const ok = await isServiceToken(SECRET, (req.headers[SERVICE_HEADER] as string) ?? null);
        hits.push({ url: req.url ?? "", ok, body: JSON.parse(body) });
        res.writeHead(failures-- > 0 ? 503 : 200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as { port: number }).port;
    const reporter = new CallReporter({
      urlTemplate: `http://127.0.0.1:${port}/api/tenants/{tenant}/users/{user}/call-records`,
      secret: SECRET,
      firstDelayMs: 10,
    });
    reporter.report(record);
    await reporter.drain();
    server.close();
    expect(hits.length).toBe(4);
    expect(hits.every((h) => h.ok)).toBe(true);
    expect(new Set(hits.map((h) => h.url))).toEqual(
      new Set(["/api/tenants/demo/users/ana/call-records", "/api/tenants/demo/users/bruno/call-records"]),
    );
    for (const h of hits) expect(v.parse(CallRecord, h.body)).toEqual(record);
  });

  it("R27: a 4xx other than 408/429 is not retried (a retry cannot fix it); 429 and 5xx are", async () => {
    const statuses = [429, 500, 400];
    const seen: number[] = [];
    const logs: string[] = [];
    const fake = (async () => {
      const status = statuses.shift() ?? 200;
      seen.push(status);
      return new Response(null, { status });
    }) as typeof fetch;
    const reporter = new CallReporter({
      urlTemplate: "http://x/{tenant}/{user}",
      secret: SECRET,
      fetch: fake,
      firstDelayMs: 1,
      log: (l) => logs.push(l),
    });
    reporter.report({ ...record, parties: [record.parties[0]!] });
    await reporter.drain();
    expect(seen).toEqual([429, 500, 400]);
    expect(logs.at(-1)).toContain("not retried");
  });

  it("R27: backoff doubles up to the cap", async () => {
    const times: number[] = [];
    const fake = (async () => {
      times.push(Date.now());
      return new Response(null, { status: times.length < 5 ? 503 : 200 });
    }) as typeof fetch;
    const reporter = new CallReporter({
      urlTemplate: "http://x/{tenant}/{user}",
      secret: SECRET,
      fetch: fake,
      firstDelayMs: 20,
      maxDelayMs: 40,
    });
    reporter.report({ ...record, parties: [record.parties[0]!] });
    await reporter.drain();
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[1]).toBeGreaterThanOrEqual(35);
    expect(Math.max(...gaps)).toBeLessThan(200);
  });
});
