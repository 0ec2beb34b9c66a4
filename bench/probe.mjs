/**
 * The stable figures beside the noisy ones (issue 15): what a scenario cost the
 * server, per message. From the kernel: CPU time (utime + stime in
 * /proc/<pid>/stat) of the workerd process that runs the worker — under
 * `wrangler dev` there are two workerd children, the worker's and wrangler's
 * proxy in front of it, told apart by the proxy being the one bound to the
 * public port — and its resident memory. From the server: the isolate's work
 * counters (`GET /api/metrics?reset=1` with the admin key: room-to-room calls,
 * SQL statements, rows read and written, JSON encodes; all rooms share one
 * isolate locally). A meter is read once the server has gone quiet, so work a
 * message leaves behind (list pushes, search indexing) is counted with it.
 * And, under wrangler dev, the V8 heap of the worker's isolate, through the
 * inspector wrangler opens (`--inspector-port`): the figure the platform's
 * 128 MB isolate limit is about, where RSS is the whole process.
 */
import { readFileSync, readdirSync } from "node:fs";
import WebSocket from "ws";

/** Kernel clock ticks per second (`getconf CLK_TCK`; 100 on Linux). */
const TICKS_PER_S = 100;

/** @param {number} pid  @returns {{ ppid: number, ticks: number, comm: string } | null} */
function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const f = text.slice(close + 2).split(" ");
    // After "pid (comm) ": state ppid … utime is field 14, stime 15 (1-based over the whole line).
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), comm };
  } catch {
    return null;
  }
}

/** @param {number} pid */
function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}

/** Every process under `root` (children, grandchildren…). @param {number} root  @returns {number[]} */
export function descendants(root) {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), Number(name)]);
  }
  const out = [];
  const todo = [root];
  while (todo.length) {
    const p = /** @type {number} */ (todo.pop());
    for (const c of children.get(p) ?? []) {
      out.push(c);
      todo.push(c);
    }
  }
  return out;
}

/**
 * The workerd processes a server runs: `worker` runs the rooms; `proxy` is
 * wrangler's proxy in front (null when the rooms are reached directly).
 * @param {number} rootPid  @param {number} port  the public port
 * @returns {{ worker: number, proxy: number | null }}
 */
export function workerdOf(rootPid, port) {
  const all = descendants(rootPid).filter((p) => /workerd/.test(stat(p)?.comm ?? "") || /\/workerd /.test(cmdline(p)));
  const serving = all.filter((p) => / serve /.test(cmdline(p)));
  const list = serving.length ? serving : all;
  if (list.length === 0) throw new Error(`no workerd under pid ${rootPid}`);
  if (list.length === 1) return { worker: /** @type {number} */ (list[0]), proxy: null };
  const publicOne = list.find((p) => cmdline(p).includes(`:${port} `) || cmdline(p).includes(`:${port}\u0020`));
  const worker = list.find((p) => p !== publicOne);
  return { worker: /** @type {number} */ (worker), proxy: publicOne ?? null };
}

/** CPU milliseconds a process has used so far. @param {number} pid */
export function cpuMs(pid) {
  const s = stat(pid);
  return s ? (s.ticks * 1000) / TICKS_PER_S : NaN;
}

/** Resident memory in MiB. @param {number} pid */
export function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : NaN;
  } catch {
    return NaN;
  }
}

/** @typedef {{ roomCalls: number, sqlStatements: number, rowsRead: number, rowsWritten: number, jsonEncodes: number, byStatement?: Record<string, number> }} Counters */

/** The SQL statements that only read (SELECT), from the server's count by statement text. @param {Counters} c */
export function readStatements(c) {
  return Object.entries(c.byStatement ?? {}).reduce((n, [q, k]) => n + (/^\s*(SELECT|WITH)\b/i.test(q) ? k : 0), 0);
}

/**
 * The isolate's counters, zeroed after reading when `reset`.
 * @param {{ base: string, adminKey?: string }} server  @param {boolean} reset  @returns {Promise<Counters | null>}
 */
export async function readMetrics(server, reset) {
  const res = await fetch(`${server.base}/api/metrics${reset ? "?reset=1" : ""}`, {
    headers: { authorization: `Bearer ${server.adminKey}` },
  });
  if (!res.ok) return null;
  return /** @type {Counters} */ (await res.json());
}

/**
 * Waits until `pids` stop using CPU (no tick in `quietMs`), at most `maxMs`.
 * @param {number[]} pids  @param {number} [quietMs]  @param {number} [maxMs]
 */
export async function untilQuiet(pids, quietMs = 300, maxMs = 10_000) {
  const total = () => pids.reduce((s, p) => s + cpuMs(p), 0);
  const end = Date.now() + maxMs;
  let last = total();
  let stillSince = Date.now();
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    const now = total();
    if (now !== last) {
      last = now;
      stillSince = Date.now();
    } else if (Date.now() - stillSince >= quietMs) return true;
  }
  return false;
}

/**
 * What one scenario cost, per message: CPU of the rooms' process (and of the
 * proxy, when there is one) and the isolate's counters when the target has them.
 * @typedef {{ messages: number, cpuMsPerMsg: number, proxyCpuMsPerMsg: number | null,
 *   perMsg: Counters | null, totals: Counters | null, quiet: boolean }} Usage
 */

export class Meter {
  /**
   * @param {{ pids: { worker: number, proxy: number | null }, metrics: { base: string, adminKey?: string } | null }} p
   *   `metrics`: the server whose /api/metrics to read (null: a target without counters)
   */
  constructor(p) {
    this.pids = p.pids;
    this.metrics = p.metrics;
    this.cpu0 = 0;
    this.proxy0 = 0;
  }

  async begin() {
    const procs = [this.pids.worker, ...(this.pids.proxy ? [this.pids.proxy] : [])];
    await untilQuiet(procs, 200, 3000);
    if (this.metrics) await readMetrics(this.metrics, true);
    this.cpu0 = cpuMs(this.pids.worker);
    this.proxy0 = this.pids.proxy ? cpuMs(this.pids.proxy) : 0;
  }

  /** @param {number} messages  @returns {Promise<Usage>} */
  async end(messages) {
    const procs = [this.pids.worker, ...(this.pids.proxy ? [this.pids.proxy] : [])];
    const quiet = await untilQuiet(procs);
    const cpu = cpuMs(this.pids.worker) - this.cpu0;
    const proxy = this.pids.proxy ? cpuMs(this.pids.proxy) - this.proxy0 : null;
    const totals = this.metrics ? await readMetrics(this.metrics, false) : null;
    return usageOf(messages, cpu, proxy, totals, quiet);
  }
}

/**
 * A window's usage, per message, from its totals: CPU ms of the rooms' process (and its proxy) and the isolate's counters.
 * @param {number} messages  @param {number} cpu  @param {number | null} proxy  @param {Counters | null} totals  @param {boolean} quiet
 * @returns {Usage}
 */
function usageOf(messages, cpu, proxy, totals, quiet) {
  const per = (/** @type {number} */ x) => Math.round((x / Math.max(1, messages)) * 1000) / 1000;
  return {
    messages,
    cpuMsPerMsg: per(cpu),
    proxyCpuMsPerMsg: proxy === null ? null : per(proxy),
    perMsg: totals
      ? {
          roomCalls: per(totals.roomCalls),
          sqlStatements: per(totals.sqlStatements),
          sqlReads: per(readStatements(totals)),
          rowsRead: per(totals.rowsRead),
          rowsWritten: per(totals.rowsWritten),
          jsonEncodes: per(totals.jsonEncodes),
        }
      : null,
    totals,
    quiet,
  };
}

/**
 * Several windows' usage as one, as if metered once over all of them (per-message figures weighted by messages).
 * @param {Usage[]} parts  @returns {Usage}
 */
export function pooledUsage(parts) {
  const messages = parts.reduce((n, u) => n + u.messages, 0);
  const total = (/** @type {(u: Usage) => number} */ f) => parts.reduce((n, u) => n + f(u) * u.messages, 0);
  /** @type {Counters | null} */
  let totals = null;
  for (const u of parts) {
    if (!u.totals) continue;
    const t = /** @type {Counters} */ (
      totals ?? { roomCalls: 0, sqlStatements: 0, rowsRead: 0, rowsWritten: 0, jsonEncodes: 0, byStatement: {} }
    );
    t.roomCalls += u.totals.roomCalls;
    t.sqlStatements += u.totals.sqlStatements;
    t.rowsRead += u.totals.rowsRead;
    t.rowsWritten += u.totals.rowsWritten;
    t.jsonEncodes += u.totals.jsonEncodes;
    const byStatement = (t.byStatement ??= {});
    for (const [q, k] of Object.entries(u.totals.byStatement ?? {})) byStatement[q] = (byStatement[q] ?? 0) + k;
    totals = t;
  }
  const proxy = parts.some((u) => u.proxyCpuMsPerMsg === null) ? null : total((u) => u.proxyCpuMsPerMsg ?? 0);
  return usageOf(
    messages,
    total((u) => u.cpuMsPerMsg),
    proxy,
    totals,
    parts.every((u) => u.quiet),
  );
}

/**
 * The V8 heap in use by the worker's isolate (all rooms share it locally), in MiB,
 * asked of the inspector that `wrangler dev` (pid `rootPid`) serves; NaN without one.
 * @param {number} rootPid  @param {number} [timeoutMs]  @returns {Promise<number>}
 */
export async function isolateHeapMiB(rootPid, timeoutMs = 5000) {
  const port = /--inspector-port (\d+)/.exec(cmdline(rootPid))?.[1];
  if (!port) return NaN;
  /** @type {WebSocket | null} */
  let ws = null;
  try {
    const list = /** @type {{ webSocketDebuggerUrl: string }[]} */ (
      await (await fetch(`http://127.0.0.1:${port}/json`, { signal: AbortSignal.timeout(timeoutMs) })).json()
    );
    const url = list[0]?.webSocketDebuggerUrl;
    if (!url) return NaN;
    const sock = new WebSocket(url);
    ws = sock;
    const used = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("inspector: no answer")), timeoutMs);
      sock.once("error", reject);
      sock.once("open", () => sock.send(JSON.stringify({ id: 1, method: "Runtime.getHeapUsage" })));
      sock.on("message", (d) => {
        const m = JSON.parse(d.toString());
        if (m.id !== 1) return;
        clearTimeout(timer);
        resolve(m.result?.usedSize ?? NaN);
      });
    });
    return Math.round((Number(used) / 2 ** 20) * 10) / 10;
  } catch {
    return NaN;
  } finally {
    ws?.terminate();
  }
}
