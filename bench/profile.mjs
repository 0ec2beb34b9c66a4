/**
 * `npm run bench:profile [-- --count N] [--group M] [--inflight K]`: where the
 * rooms' CPU goes per message (issue 15). Runs the frozen worker bundle on
 * Miniflare directly (no wrangler proxy) with workerd's DevTools inspector on
 * 127.0.0.1, opens a 1:1 chat between two people whose apps are open (or, with
 * `--group M`, a group of M members all online), sends `count` messages one in
 * flight (or, with `--inflight K`, for 5 s with up to K in flight: the sustained
 * scenario), and takes a V8 CPU profile of the rooms' isolate over them. Prints the functions with the most
 * self time and writes the profile to bench/results/profile-<ts>.cpuprofile
 * (open it in Chromium's DevTools, Performance panel).
 *
 * A tool for finding work to cut, not a figure to compare: the profiler itself
 * slows the isolate. `npm run bench` gives the numbers.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { bundleWorker } from "../tools/dev/runtime.mjs";
import { startDirectServer } from "../tools/dev/miniflare.mjs";
import { freePort } from "../tools/dev/process.mjs";
import { openChat, openMany } from "./client.mjs";
import { Target, directRoomId } from "./conversas.mjs";
import { measureLatency } from "./scenarios/latency.mjs";
import { measureThroughput } from "./scenarios/throughput.mjs";
import { readMetrics } from "./probe.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const arg = (/** @type {string} */ name, /** @type {number} */ fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const COUNT = arg("--count", 2000);
const GROUP = arg("--group", 0);
const TOP = arg("--top", 40);
const IN_FLIGHT = arg("--inflight", 0);

/** A tiny DevTools protocol client. @param {string} url */
async function inspector(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  let id = 0;
  /** @type {Map<number, (m: any) => void>} */
  const waiting = new Map();
  ws.on("message", (data) => {
    const m = JSON.parse(String(data));
    if (m.id && waiting.has(m.id)) {
      waiting.get(m.id)?.(m);
      waiting.delete(m.id);
    }
  });
  return {
    /** @param {string} method  @param {object} [params] */
    call(method, params = {}) {
      const n = ++id;
      return new Promise((resolve, reject) => {
        waiting.set(n, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
        ws.send(JSON.stringify({ id: n, method, params }));
      });
    },
    close: () => ws.close(),
  };
}

/** Self time per function (and per file), from a V8 CPU profile. @param {any} profile */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((/** @type {any} */ n) => [n.id, n]));
  /** @type {Map<number, number>} */
  const hits = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    hits.set(profile.samples[i], (hits.get(profile.samples[i]) ?? 0) + dt);
  }
  /** @type {Map<string, number>} */
  const byFn = new Map();
  let total = 0;
  for (const [nodeId, us] of hits) {
    const f = /** @type {any} */ (byId.get(nodeId)).callFrame;
    const where = f.url ? `${f.url.split("/").pop()}:${f.lineNumber + 1}` : "";
    const key = `${f.functionName || "(anonymous)"} ${where}`.trim();
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    total += us;
  }
  return { total, rows: [...byFn].sort((a, b) => b[1] - a[1]) };
}

const bundle = bundleWorker();
const inspectorPort = await freePort();
const server = await startDirectServer({
  bundle,
  quiet: true,
  inspectorPort,
  vars: { CONVERSAS_RATE_SEND: "1000000/1000000", CONVERSAS_RATE_READ: "1000000/1000000", CONVERSAS_METRICS: "1" },
});
try {
  const target = new Target(server);
  const users = GROUP ? Array.from({ length: GROUP }, (_, i) => `p${i}`) : ["alice", "bruno"];
  await target.users(users);
  const roomId = GROUP ? target.roomId(await target.createGroup(users[0], users.slice(1), "perfil")) : directRoomId(users[0], users[1]);
  const apps = await openMany(await Promise.all(users.map((u) => target.app(u))), "inbox.snapshot", 30_000);
  const a = await openChat(await target.chat(users[0], roomId), 15_000);
  const b = await openChat(await target.chat(users[1], roomId), 15_000);
  await measureLatency({ a: a.peer, b: b.peer, count: 200, warmup: 0, textSize: 100, timeoutMs: 15_000, budgetMs: 60_000 });

  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json();
  const worker = targets.find((/** @type {any} */ t) => /conversas/.test(t.title ?? t.id ?? "")) ?? targets[0];
  const cdp = await inspector(worker.webSocketDebuggerUrl);
  await cdp.call("Profiler.enable");
  await cdp.call("Profiler.setSamplingInterval", { interval: 100 });
  await readMetrics(server, true);
  await cdp.call("Profiler.start");
  const t0 = performance.now();
  const run = IN_FLIGHT
    ? await measureThroughput({ a: a.peer, b: b.peer, textSize: 100, windowMs: 5000, inFlight: IN_FLIGHT, drainMs: 15_000 }).then((t) => ({
        sent: t.sent,
        deliverMs: t.deliverMsUnderLoad,
        rate: t.msgsPerSec,
      }))
    : await measureLatency({ a: a.peer, b: b.peer, count: COUNT, warmup: 0, textSize: 100, timeoutMs: 15_000, budgetMs: 600_000 });
  await new Promise((r) => setTimeout(r, 1500)); // what the last messages set off (lists, index)
  const { profile } = /** @type {any} */ (await cdp.call("Profiler.stop"));
  const wall = performance.now() - t0;
  cdp.close();
  const metrics = await readMetrics(server, true);

  const { total, rows } = selfTimes(profile);
  const idle = rows.filter(([k]) => /^\((idle|program|garbage collector)\)/.test(k));
  console.log(
    `${run.sent} messages (${GROUP ? `${GROUP}-member group` : "1:1"}, ${IN_FLIGHT ? `up to ${IN_FLIGHT} in flight: ${"rate" in run ? run.rate : 0}/s` : "one in flight"}), ` +
      `${(wall / 1000).toFixed(1)} s; p50 ${run.deliverMs.p50.toFixed(2)} ms (profiler on)`,
  );
  console.log(`sampled ${(total / 1000).toFixed(0)} ms; ${idle.map(([k, us]) => `${k} ${(us / 1000).toFixed(0)} ms`).join(", ")}`);
  const busy = total - (idle.find(([k]) => k.startsWith("(idle)"))?.[1] ?? 0);
  console.log(`busy per message: ${(busy / 1000 / run.sent).toFixed(3)} ms\n`);
  console.log("self ms/msg  share  function");
  for (const [k, us] of rows.filter(([k]) => !k.startsWith("(idle)")).slice(0, TOP))
    console.log(`${(us / 1000 / run.sent).toFixed(4).padStart(10)}  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${k}`);
  if (metrics) {
    const per = (/** @type {number} */ n) => (n / run.sent).toFixed(2);
    console.log(
      `\nper message: ${per(metrics.roomCalls)} room calls, ${per(metrics.sqlStatements)} SQL statements (${per(metrics.rowsRead)} rows read, ${per(metrics.rowsWritten)} written), ${per(metrics.jsonEncodes)} JSON encodes`,
    );
    for (const [q, n] of Object.entries(metrics.byStatement ?? {})
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20))
      console.log(`${per(n).padStart(8)}  ${q.replace(/\s+/g, " ").slice(0, 110)}`);
  }
  const out = join(HERE, "results", `profile-${new Date().toISOString().replace(/:/g, "-")}.cpuprofile`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(profile));
  console.log(`\nprofile: ${out}`);
  await Promise.all([a.peer, b.peer, ...apps].map((p) => p.close(250)));
} finally {
  await server.stop();
  rmSync(server.persist, { recursive: true, force: true });
  rmSync(dirname(bundle), { recursive: true, force: true });
}
