/**
 * `GET /api/health` (issue 18.8): no authentication, nothing sensitive. 200
 * when the runtime answers: the settings were read, a room (a SQLite-backed
 * Durable Object) ran a query, and the file store answered; 503 naming the
 * check that failed otherwise. Monitors and load balancers poll it.
 */
import { json } from "../runtime/respond";
import type { Ctx } from "./route";

type Check = "ok" | "fail" | "absent";

export async function health(ctx: Ctx): Promise<Response> {
  const started = Date.now();
  const checks: Record<string, Check> = { config: "ok" };
  const room = await ctx.call("guard.ping", "health", {});
  checks.rooms = room.ok ? "ok" : "fail";
  const bucket = ctx.env.FILES as R2Bucket | undefined;
  if (!bucket) checks.files = "absent";
  else
    try {
      await bucket.head("health/probe");
      checks.files = "ok";
    } catch {
      checks.files = "fail";
    }
  const ok = Object.values(checks).every((c) => c !== "fail");
  return json({ status: ok ? "ok" : "fail", checks, durationMs: Date.now() - started }, ok ? 200 : 503);
}
