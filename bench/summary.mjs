/**
 * The bench's printout and its derived figures: one table per scenario with the
 * real server beside the raw relay and the persisted reference, the ratios to
 * both, the server's cost per message, and the issues' targets (13, 15) as
 * PASS/FAIL lines — informational, never an exit code. Returns the ratios and
 * the checks so the results JSON holds exactly what was printed.
 */
import { fmt, printTable } from "./report.mjs";
import { ratio } from "./stats.mjs";
import { aliveRatios, printAliveTables } from "./scenarios/alive.mjs";

/** @typedef {import("./stats.mjs").Summary} Summary */
/** @typedef {{ what: string, issue: number, value: number, limit: number, unit: string, pass: boolean, note?: string }} Check */

const COLUMNS = /** @type {const} */ ([
  ["conversas", "conversas"],
  ["conversasDirect", "no proxy"],
  ["previous", "previous"],
  ["raw", "raw ws"],
  ["refNormal", "ref NORMAL"],
  ["refFull", "ref FULL"],
  ["floor", "workerd floor"],
  ["relay", "workerd relay"],
]);

/** `×r` or "–". @param {number} r */
const times = (r) => (Number.isFinite(r) ? `×${fmt(r)}` : "–");

/**
 * A figure-per-target table: one row per getter, a column per target present,
 * then the conversas figure's ratio to the raw relay and to a persisted reference.
 * @param {string} title  @param {Record<string, any>} byTarget
 * @param {[string, (x: any) => number, "NORMAL" | "FULL" | null][]} rows  label, getter, which reference the ratio is to
 */
function targetTable(title, byTarget, rows) {
  const cols = COLUMNS.filter(([k]) => byTarget[k]);
  const table = [["", ...cols.map(([, l]) => l), "vs raw", "vs ref"]];
  for (const [label, get, ref] of rows) {
    const v = (/** @type {string} */ k) => (byTarget[k] ? get(byTarget[k]) : NaN);
    const refKey = ref === "FULL" ? "refFull" : "refNormal";
    table.push([
      label,
      ...cols.map(([k]) => fmt(v(k))),
      times(ratio(v("conversas"), v("raw"))),
      ref ? `${times(ratio(v("conversas"), v(refKey)))} ${ref}` : "",
    ]);
  }
  printTable(title, table);
}

/** @param {Record<string, number> | null | undefined} per */
const counts = (per) =>
  per
    ? [fmt(per.roomCalls), fmt(per.sqlStatements), fmt(per.sqlReads), fmt(per.rowsRead), fmt(per.rowsWritten), fmt(per.jsonEncodes)]
    : ["", "", "", "", "", ""];

/**
 * @param {Record<string, any>} r  the results object
 * @returns {{ ratios: Record<string, any>, checks: Check[] }}
 */
export function printReport(r) {
  const P = r.params;
  const d = r.directChat ?? {};
  const g = r.group ?? {};
  /** @type {Record<string, any>} */
  const ratios = {};
  /** @type {Check[]} */
  const checks = [];
  /** A check whose figure this run did not measure is left out. @param {Check} c */
  const check = (c) => {
    if (Number.isFinite(c.value)) checks.push(c);
  };

  /**
   * Issue 15 asks for the rooms without the dev proxy where the proxy is a hop production does not have: its
   * latency and throughput checks read the same bundle on Miniflare directly when this run measured it, and give
   * the proxied figure beside it. @param {unknown} noProxy  the no-proxy figures, if measured
   */
  const onRooms = (noProxy) => ({
    where: noProxy ? " (no proxy)" : " (via wrangler's proxy)",
    viaProxy: (/** @type {string} */ figure) => (noProxy ? `via the proxy ${figure}` : ""),
  });
  const notes = (/** @type {string[]} */ ...xs) => {
    const text = xs.filter(Boolean).join("; ");
    return text ? { note: text } : {};
  };

  if (d.conversas) {
    targetTable(
      `1:1 chat: ${P.latency.count} messages one in flight, then ${P.throughput.windowMs / 1000} s with up to ${P.throughput.inFlight} in flight`,
      d,
      [
        ["send→deliver p50 ms", (x) => x.latency.deliverMs.p50, "NORMAL"],
        ["send→deliver p95 ms", (x) => x.latency.deliverMs.p95, "NORMAL"],
        ["send→deliver p99 ms", (x) => x.latency.deliverMs.p99, "FULL"],
        ["send→ack p50 ms", (x) => x.latency.ackMs.p50, "NORMAL"],
        ["sustained msgs/s", (x) => x.throughput.msgsPerSec, "NORMAL"],
        ["deliver p50 ms under load", (x) => x.throughput.deliverMsUnderLoad.p50, "NORMAL"],
      ],
    );
    const c = d.conversas;
    ratios.direct = {
      deliverP50: {
        vsRaw: ratio(c.latency.deliverMs.p50, d.raw?.latency.deliverMs.p50),
        vsNormal: ratio(c.latency.deliverMs.p50, d.refNormal?.latency.deliverMs.p50),
        vsFull: ratio(c.latency.deliverMs.p50, d.refFull?.latency.deliverMs.p50),
      },
      deliverP99: {
        vsRaw: ratio(c.latency.deliverMs.p99, d.raw?.latency.deliverMs.p99),
        vsNormal: ratio(c.latency.deliverMs.p99, d.refNormal?.latency.deliverMs.p99),
        vsFull: ratio(c.latency.deliverMs.p99, d.refFull?.latency.deliverMs.p99),
      },
      sustained: {
        ofRaw: ratio(c.throughput.msgsPerSec, d.raw?.throughput.msgsPerSec),
        ofNormal: ratio(c.throughput.msgsPerSec, d.refNormal?.throughput.msgsPerSec),
        ofFull: ratio(c.throughput.msgsPerSec, d.refFull?.throughput.msgsPerSec),
      },
      floor: d.floor
        ? {
            deliverP50: ratio(c.latency.deliverMs.p50, d.floor.latency.deliverMs.p50),
            deliverP99: ratio(c.latency.deliverMs.p99, d.floor.latency.deliverMs.p99),
            sustained: ratio(c.throughput.msgsPerSec, d.floor.throughput.msgsPerSec),
            floorVsRawP50: ratio(d.floor.latency.deliverMs.p50, d.raw?.latency.deliverMs.p50),
            floorOfNormal: ratio(d.floor.throughput.msgsPerSec, d.refNormal?.throughput.msgsPerSec),
          }
        : null,
      relay: d.relay
        ? {
            relayVsRawP50: ratio(d.relay.latency.deliverMs.p50, d.raw?.latency.deliverMs.p50),
            relayOfNormal: ratio(d.relay.throughput.msgsPerSec, d.refNormal?.throughput.msgsPerSec),
          }
        : null,
    };
    const f = ratios.direct.floor;
    if (f)
      console.log(
        `Against the workerd floor (a Durable Object that inserts each message, then acks and broadcasts; same runtime, no proxy): ` +
          `conversas p50 ${times(f.deliverP50)}, p99 ${times(f.deliverP99)}, sustained ${fmt(100 * f.sustained)}% of it; ` +
          `the floor itself is ${times(f.floorVsRawP50)} the raw relay's p50 and ${fmt(100 * f.floorOfNormal)}% of ref NORMAL's sustained.`,
      );
    const rl = ratios.direct.relay;
    if (rl)
      console.log(
        `The workerd relay (the same object storing nothing: the runtime's sockets alone) is ${times(rl.relayVsRawP50)} the raw relay's p50 ` +
          `and ${fmt(100 * rl.relayOfNormal)}% of ref NORMAL's sustained: a target below these is below the runtime.`,
      );
    const np = d.conversasDirect;
    const judged = np ?? c;
    const { where, viaProxy } = onRooms(np);
    // The no-proxy figures against the baselines measured in turns with them (older results: the proxied run's).
    const base = np && d.noProxyBaselines ? d.noProxyBaselines : d;
    if (np && d.noProxyBaselines)
      console.log(
        `Without the proxy, in turns with the baselines: conversas p50 ${fmt(np.latency.deliverMs.p50)} ms (raw ${fmt(base.raw?.latency.deliverMs.p50)}, ` +
          `floor ${fmt(base.floor?.latency.deliverMs.p50)}, relay ${fmt(base.relay?.latency.deliverMs.p50)}), p99 ${fmt(np.latency.deliverMs.p99)} ms ` +
          `(FULL ${fmt(base.refFull?.latency.deliverMs.p99)}), sustained ${fmt(np.throughput.msgsPerSec)}/s (NORMAL ${fmt(base.refNormal?.throughput.msgsPerSec)}/s).`,
      );
    const p50VsRaw = ratio(judged.latency.deliverMs.p50, base.raw?.latency.deliverMs.p50);
    const fullVsRaw = ratio(base.refFull?.latency.deliverMs.p50, base.raw?.latency.deliverMs.p50);
    check({
      issue: 15,
      what: `1:1 send→deliver p50 ≤ 3× raw${where}${d.noFsync?.conversas ? ", state on disk (an fsync per commit, as ref FULL)" : ""}`,
      value: p50VsRaw,
      limit: 3,
      unit: "×",
      pass: p50VsRaw <= 3,
      ...notes(
        viaProxy(times(ratios.direct.deliverP50.vsRaw)),
        rl && rl.relayVsRawP50 > 3 ? `the workerd relay alone is ${times(rl.relayVsRawP50)}` : "",
        fullVsRaw > 3 ? `ref FULL itself is ${times(fullVsRaw)}` : "",
      ),
    });
    const p99VsFull = ratio(judged.latency.deliverMs.p99, base.refFull?.latency.deliverMs.p99);
    check({
      issue: 15,
      what: `1:1 send→deliver p99 ≤ 1.5× persisted FULL${where}`,
      value: p99VsFull,
      limit: 1.5,
      unit: "×",
      pass: p99VsFull <= 1.5,
      ...notes(viaProxy(times(ratios.direct.deliverP99.vsFull))),
    });
    const ofNormal = ratio(judged.throughput.msgsPerSec, base.refNormal?.throughput.msgsPerSec);
    check({
      issue: 15,
      what: `1:1 sustained ≥ 50% of persisted NORMAL${where}`,
      value: ofNormal,
      limit: 0.5,
      unit: "of",
      pass: ofNormal >= 0.5,
      ...notes(
        viaProxy(`${fmt(100 * ratios.direct.sustained.ofNormal)}%`),
        rl && rl.relayOfNormal < 0.5 ? `the workerd relay alone reaches ${fmt(100 * rl.relayOfNormal)}%` : "",
      ),
    });
    ratios.direct.judged = { noProxy: Boolean(np), deliverP50VsRaw: p50VsRaw, deliverP99VsFull: p99VsFull, sustainedOfNormal: ofNormal };
  }

  // Issue 15's p50 against raw without the fsync workerd makes at every commit (run.mjs `withoutFsync`).
  const nf = d.noFsync;
  if (nf?.conversas) {
    const p50 = (/** @type {string} */ k) => nf[k]?.latency.deliverMs.p50;
    const vsRaw = ratio(p50("conversas"), p50("raw"));
    const r = ((ratios.direct ??= {}).noFsync = {
      deliverP50VsRaw: vsRaw,
      deliverP50VsNormal: ratio(p50("conversas"), p50("refNormal")),
      deliverP50VsFloor: ratio(p50("conversas"), p50("floor")),
      floorVsRawP50: ratio(p50("floor"), p50("raw")),
      sustainedOfNormal: ratio(nf.conversas.throughput.msgsPerSec, nf.refNormal?.throughput.msgsPerSec),
    });
    console.log(
      `Without an fsync per commit (the rooms' state and the floor on tmpfs: a commit's cost without its fsync, as ref NORMAL pays it; a cost, not a way to deploy), ` +
        `no proxy, in turns: conversas p50 ${fmt(p50("conversas"))} ms (raw ${fmt(p50("raw"))}, ref NORMAL ${fmt(p50("refNormal"))}, ` +
        `floor ${fmt(p50("floor"))}): ${times(vsRaw)} raw, ${times(r.deliverP50VsNormal)} ref NORMAL, ${times(r.deliverP50VsFloor)} the floor; ` +
        `p99 ${fmt(nf.conversas.latency.deliverMs.p99)} ms; sustained ${fmt(nf.conversas.throughput.msgsPerSec)}/s (${fmt(100 * r.sustainedOfNormal)}% of ref NORMAL).`,
    );
    check({
      issue: 15,
      what: "1:1 send→deliver p50 ≤ 3× raw (no proxy), without the fsync per commit (state on tmpfs; ref NORMAL does not fsync either)",
      value: vsRaw,
      limit: 3,
      unit: "×",
      pass: vsRaw <= 3,
      ...notes(
        `the floor on tmpfs is ${times(r.floorVsRawP50)}; ref NORMAL ${times(ratio(p50("refNormal"), p50("raw")))}`,
        "the rooms deploy on disk: this line answers the target only read against NORMAL",
      ),
    });
  }

  if (g.conversas) {
    const gc = g.conversas;
    targetTable(
      `Group of ${gc.members}, every member with the chat open (on a server also the app): ${P.group.count} messages one in flight, ` +
        `on a server ${P.group.count} more each waiting for every list too (the list rows), then ${P.group.windowMs / 1000} s with ${P.group.inFlight} in flight`,
      g,
      [
        ["send→each member p50 ms", (x) => x.deliverEachMs.p50, "NORMAL"],
        ["send→each member p99 ms", (x) => x.deliverEachMs.p99, "NORMAL"],
        ["send→all members p50 ms", (x) => x.deliverAllMs.p50, "NORMAL"],
        ["send→all members p99 ms", (x) => x.deliverAllMs.p99, "NORMAL"],
        ["msgs/s delivered to all", (x) => x.msgsPerSec, "NORMAL"],
        ["send→each list updated p50 ms", (x) => x.listEachMs?.p50 ?? NaN, null],
        ["send→each list updated p99 ms", (x) => x.listEachMs?.p99 ?? NaN, null],
        ["send→every list updated p50 ms", (x) => x.listAllMs?.p50 ?? NaN, null],
        ["send→every list updated p99 ms", (x) => x.listAllMs?.p99 ?? NaN, null],
        ["  those rounds: send→each member p50 ms", (x) => x.deliverEachWaitingListsMs?.p50 ?? NaN, null],
        ["  those rounds: send→each member p99 ms", (x) => x.deliverEachWaitingListsMs?.p99 ?? NaN, null],
      ],
    );
    ratios.group = {
      eachP50: {
        vsRaw: ratio(gc.deliverEachMs.p50, g.raw?.deliverEachMs.p50),
        vsNormal: ratio(gc.deliverEachMs.p50, g.refNormal?.deliverEachMs.p50),
        vsFull: ratio(gc.deliverEachMs.p50, g.refFull?.deliverEachMs.p50),
      },
      eachP99: {
        vsRaw: ratio(gc.deliverEachMs.p99, g.raw?.deliverEachMs.p99),
        vsNormal: ratio(gc.deliverEachMs.p99, g.refNormal?.deliverEachMs.p99),
        vsFull: ratio(gc.deliverEachMs.p99, g.refFull?.deliverEachMs.p99),
      },
      throughput: {
        ofRaw: ratio(gc.msgsPerSec, g.raw?.msgsPerSec),
        ofNormal: ratio(gc.msgsPerSec, g.refNormal?.msgsPerSec),
        ofFull: ratio(gc.msgsPerSec, g.refFull?.msgsPerSec),
      },
    };
    const gnp = g.conversasDirect;
    const gj = gnp ?? gc;
    const { where, viaProxy } = onRooms(gnp);
    const eachP99VsRaw = ratio(gj.deliverEachMs.p99, g.raw?.deliverEachMs.p99);
    check({
      issue: 15,
      what: `${gc.members}-member group: send→each member p99 ≤ 5× raw broadcast${where}`,
      value: eachP99VsRaw,
      limit: 5,
      unit: "×",
      pass: eachP99VsRaw <= 5,
      ...notes(viaProxy(times(ratios.group.eachP99.vsRaw))),
    });
    check({
      issue: 15,
      what: `${gc.members}-member group: every member's list updated p99 ≤ 150 ms${where}`,
      value: gj.listAllMs?.p99 ?? NaN,
      limit: 150,
      unit: "ms",
      pass: (gj.listAllMs?.p99 ?? Infinity) <= 150,
      ...notes(viaProxy(`${fmt(gc.listAllMs?.p99 ?? NaN)} ms`)),
    });
    ratios.group.judged = { noProxy: Boolean(gnp), eachP99VsRaw };
  }

  const co = r.company?.conversas && r.company?.raw ? r.company : null;
  if (co) {
    const c = co.conversas;
    printTable(
      `A ${c.totalMembers}-member company group, ${c.online} members with the app and the group open: ${c.deliverAllMs.n} messages one in flight${c.settleAfterCreateMs !== null ? ` (after creating it the server took ${fmt(c.settleAfterCreateMs / 1000)} s to go quiet)` : ""}`,
      [
        ["", "conversas", `raw ws (${co.raw.members} peers)`, "vs raw"],
        [
          "send→each online member p50 ms",
          fmt(c.deliverEachMs.p50),
          fmt(co.raw.deliverEachMs.p50),
          times(ratio(c.deliverEachMs.p50, co.raw.deliverEachMs.p50)),
        ],
        [
          "send→each online member p99 ms",
          fmt(c.deliverEachMs.p99),
          fmt(co.raw.deliverEachMs.p99),
          times(ratio(c.deliverEachMs.p99, co.raw.deliverEachMs.p99)),
        ],
        [
          "send→every online member p99 ms",
          fmt(c.deliverAllMs.p99),
          fmt(co.raw.deliverAllMs.p99),
          times(ratio(c.deliverAllMs.p99, co.raw.deliverAllMs.p99)),
        ],
        ["send→each list updated p50 ms", fmt(c.listEachMs?.p50 ?? NaN), "", ""],
        ["send→every list updated p99 ms", fmt(c.listAllMs?.p99 ?? NaN), "", ""],
      ],
    );
    ratios.company = {
      eachP99VsRaw: ratio(c.deliverEachMs.p99, co.raw.deliverEachMs.p99),
      allP99VsRaw: ratio(c.deliverAllMs.p99, co.raw.deliverAllMs.p99),
    };
    check({
      issue: 15,
      what: `${c.totalMembers}-member group, ${c.online} online: every online member p99 ≤ 1 s`,
      value: c.deliverAllMs.p99,
      limit: 1000,
      unit: "ms",
      pass: c.deliverAllMs.p99 <= 1000,
    });
    check({
      issue: 15,
      what: `${c.totalMembers}-member group, ${c.online} online: every online list updated p99 ≤ 1 s`,
      value: c.listAllMs?.p99 ?? NaN,
      limit: 1000,
      unit: "ms",
      pass: (c.listAllMs?.p99 ?? Infinity) <= 1000,
    });
  }

  const k = r.sockets;
  /** @type {[string, any][]} */
  const socketRuns = k
    ? /** @type {[string, any][]} */ ([
        ["via proxy", k.proxy],
        ["no proxy", k.direct],
      ]).filter(([, x]) => x)
    : [];
  if (socketRuns.length) {
    const base = d.conversas?.latency;
    const raw = d.raw?.latency.deliverMs;
    const full = d.refFull?.latency.deliverMs;
    const col = (/** @type {(x: any) => string} */ f) => socketRuns.map(([, x]) => f(x));
    const perSocket = (/** @type {any} */ x, /** @type {"worker" | "proxy"} */ w) =>
      x.rssMiB[w] === null ? "–" : `${fmt(((x.rssMiB[w] - x.rssMiB.before[w]) * 1024) / x.sockets)} KiB`;
    const fdsPer = (/** @type {any} */ x, /** @type {"worker" | "proxy"} */ w) =>
      x.fds[w] === null ? "–" : fmt((x.fds[w] - x.fds.before[w]) / x.sockets);
    printTable(
      `Idle app sockets held (hub sockets pinging every 20 s), a 1:1 pair measured meanwhile (open-file limit ${k.openFileLimit?.soft})`,
      [
        ["", ...socketRuns.map(([l, x]) => `${x.sockets} sockets, ${l}`), "1:1 without", "raw ws", "ref FULL"],
        ["opened in s (per s)", ...col((x) => `${fmt(x.openSeconds)} (${fmt(x.opensPerSec)})`), "", "", ""],
        [
          "send→deliver p50 ms",
          ...col((x) => fmt(x.pair.latency.deliverMs.p50)),
          fmt(base?.deliverMs.p50 ?? NaN),
          fmt(raw?.p50 ?? NaN),
          fmt(full?.p50 ?? NaN),
        ],
        [
          "send→deliver p99 ms",
          ...col((x) => fmt(x.pair.latency.deliverMs.p99)),
          fmt(base?.deliverMs.p99 ?? NaN),
          fmt(raw?.p99 ?? NaN),
          fmt(full?.p99 ?? NaN),
        ],
        [
          "  p50 vs raw / p99 vs FULL",
          ...col(
            (x) => `${times(ratio(x.pair.latency.deliverMs.p50, raw?.p50))} / ${times(ratio(x.pair.latency.deliverMs.p99, full?.p99))}`,
          ),
          "",
          "",
          "",
        ],
        ["sustained msgs/s", ...col((x) => fmt(x.pair.throughput.msgsPerSec)), fmt(d.conversas?.throughput.msgsPerSec ?? NaN), "", ""],
        ["RSS MiB, rooms' workerd (before)", ...col((x) => `${fmt(x.rssMiB.worker)} (${fmt(x.rssMiB.before.worker)})`), "", "", ""],
        [
          "RSS MiB, wrangler's proxy (before)",
          ...col((x) => (x.rssMiB.proxy === null ? "–" : `${fmt(x.rssMiB.proxy)} (${fmt(x.rssMiB.before.proxy)})`)),
          "",
          "",
          "",
        ],
        ["RSS per socket: rooms' workerd / proxy", ...col((x) => `${perSocket(x, "worker")} / ${perSocket(x, "proxy")}`), "", "", ""],
        ["descriptors per socket: rooms' workerd / proxy", ...col((x) => `${fdsPer(x, "worker")} / ${fdsPer(x, "proxy")}`), "", "", ""],
      ],
    );
    ratios.sockets = {};
    for (const [label, x] of socketRuns) {
      const pl = x.pair.latency.deliverMs;
      const id = label === "via proxy" ? "proxy" : "direct";
      ratios.sockets[id] = {
        sockets: x.sockets,
        deliverP50VsRaw: ratio(pl.p50, raw?.p50),
        deliverP99VsFull: ratio(pl.p99, full?.p99),
        p50VsWithout: ratio(pl.p50, base?.deliverMs.p50),
      };
      const r15 = ratios.sockets[id];
      check({
        issue: 15,
        what: `${x.sockets} open sockets (${label}): 1:1 p50 ≤ 3× raw`,
        value: r15.deliverP50VsRaw,
        limit: 3,
        unit: "×",
        pass: r15.deliverP50VsRaw <= 3,
      });
      check({
        issue: 15,
        what: `${x.sockets} open sockets (${label}): 1:1 p99 ≤ 1.5× persisted FULL`,
        value: r15.deliverP99VsFull,
        limit: 1.5,
        unit: "×",
        pass: r15.deliverP99VsFull <= 1.5,
      });
    }
  }

  // Cost per message: the stable figures.
  /** @type {[string, any][]} */
  const costRows = [];
  for (const [key, label] of COLUMNS) {
    if (d[key]) {
      costRows.push([`1:1 latency, ${label}`, d[key].usage.latency]);
      costRows.push([`1:1 sustained, ${label}`, d[key].usage.throughput]);
    }
  }
  for (const [key, label] of COLUMNS) if (g[key]) costRows.push([`group ${g[key].members}, ${label}`, g[key].usage]);
  if (co) costRows.push([`company ${co.conversas.totalMembers} (${co.conversas.online} online)`, co.conversas.usage]);
  for (const [label, x] of socketRuns) costRows.push([`1:1 with ${x.sockets} sockets open, ${label}`, x.pair.usage.latency]);
  if (costRows.length)
    printTable(
      "Cost per message (CPU: the process that runs the rooms / the relay; counters: the rooms' isolate, over the scenario and its aftermath)",
      [
        ["", "messages", "CPU ms", "proxy CPU ms", "room calls", "SQL stmts", "SQL reads", "rows read", "rows written", "JSON encodes"],
        ...costRows.map(([label, u]) => [
          label,
          String(u.messages),
          fmt(u.cpuMsPerMsg),
          u.proxyCpuMsPerMsg === null ? "" : fmt(u.proxyCpuMsPerMsg),
          ...counts(u.perMsg),
        ]),
      ],
    );

  // Issue 15's assertions on the counters.
  const groupsMeasured = [g.conversas, co?.conversas].filter(Boolean);
  for (const x of groupsMeasured) {
    const per = x.usage.perMsg;
    if (!per) continue;
    check({
      issue: 15,
      what: `room-to-room calls per message, ${x.totalMembers}-member group ≤ members with an open app (${x.online})`,
      value: per.roomCalls,
      limit: x.online,
      unit: "",
      pass: per.roomCalls <= x.online,
    });
    check({
      issue: 15,
      what: `storage reads per message, ${x.totalMembers}-member group ≤ 2 (SELECT statements, every room)`,
      value: per.sqlReads,
      limit: 2,
      unit: "",
      pass: per.sqlReads <= 2,
      note: `all statements ${fmt(per.sqlStatements)}/msg, writes included; rows read ${fmt(per.rowsRead)}/msg, by inserts too`,
    });
  }
  const oneToOne = d.conversas?.usage.latency.perMsg;
  if (oneToOne)
    for (const x of groupsMeasured) {
      const per = x.usage.perMsg;
      if (!per) continue;
      const limit = Math.max(1.5 * oneToOne.jsonEncodes, oneToOne.jsonEncodes + 4);
      check({
        issue: 15,
        what: `JSON encodes per message do not grow with members: ${x.totalMembers}-member group vs 1:1 (${fmt(oneToOne.jsonEncodes)}), limit max(1.5×, +4)`,
        value: per.jsonEncodes,
        limit,
        unit: "",
        pass: per.jsonEncodes <= limit,
      });
    }

  if (r.history) {
    const { long, short } = r.history;
    printTable(`History: newest page (chat.ready) and history.fetch limit ${P.history.pageLimit}, ${P.history.reps} repetitions each`, [
      ["", `${P.history.longCount}-msg chat`, `${P.history.shortCount}-msg chat`, "long vs short"],
      [
        "fill (pipelined sends, all acked)",
        `${fmt(long.fill.seconds)} s`,
        `${fmt(short.fill.seconds)} s`,
        `${fmt(long.fill.msgsPerSec)} msgs/s long`,
      ],
      ...[
        ["open→chat.ready", "openToReadyMs"],
        ["history.fetch", "historyFetchMs"],
      ].flatMap(([what, key]) =>
        /** @type {const} */ (["p50", "p95"]).map((p) => [
          `${what} ${p} ms`,
          fmt(long[key][p]),
          fmt(short[key][p]),
          times(ratio(long[key][p], short[key][p])),
        ]),
      ),
      [
        "messages per page",
        `${long.readyPageSize} / ${fmt(long.avgFetchedPerPage)}`,
        `${short.readyPageSize} / ${fmt(short.avgFetchedPerPage)}`,
        "ready / fetch",
      ],
      ["closes answered by the server", long.closeHandshakes, short.closeHandshakes, ""],
    ]);
    ratios.history = {
      openReadyP50LongVsShort: ratio(long.openToReadyMs.p50, short.openToReadyMs.p50),
      historyFetchP50LongVsShort: ratio(long.historyFetchMs.p50, short.historyFetchMs.p50),
    };
  }

  const f = r.files;
  if (f)
    printTable(
      `Attachments: ${P.files.bigBytes / 2 ** 20} MiB upload → visible at the peer; a chat with ${P.files.manyCount} attachments`,
      [
        ["", "p50 ms", "p95 ms", ""],
        ["upload (HTTP 201)", fmt(f.big.uploadMs.p50), fmt(f.big.uploadMs.p95), `${P.files.bigReps} runs`],
        ["upload → message.new at peer", fmt(f.big.uploadToVisibleMs.p50), fmt(f.big.uploadToVisibleMs.p95), ""],
        ["peer download (signed link, then GET)", fmt(f.big.downloadMs.p50), fmt(f.big.downloadMs.p95), ""],
        ["open→chat.ready", fmt(f.many.openToReadyMs.p50), fmt(f.many.openToReadyMs.p95), `fill ${fmt(f.many.attachmentsPerSec)} att/s`],
        ["gallery.fetch (50)", fmt(f.many.galleryFetchMs.p50), fmt(f.many.galleryFetchMs.p95), `${f.many.galleryPageSize} items`],
      ],
    );

  if (r.alive) {
    const rt = d.raw?.latency.ackMs.p50 ?? NaN;
    printAliveTables(r.alive, rt, P.alive);
    ratios.alive = aliveRatios(r.alive, rt);
    const s = r.alive.search;
    check({
      issue: 13,
      what: `warm search p95 ≤ 20 ms (${s.chats} chats × ${P.alive.perChat})`,
      value: s.warmMs.p95,
      limit: 20,
      unit: "ms",
      pass: s.warmMs.p95 <= 20,
    });
    if (s.cold)
      check({
        issue: 13,
        what: "cold search (runtime just restarted) ≤ 150 ms",
        value: s.cold.ms,
        limit: 150,
        unit: "ms",
        pass: s.cold.ms <= 150,
      });
    if (s.mismatches.length)
      check({
        issue: 12,
        what: "search pages right against the sent texts",
        value: s.mismatches.length,
        limit: 0,
        unit: "wrong",
        pass: false,
        note: s.mismatches[0],
      });
  }

  const b = r.bigchat;
  if (b) {
    const m = b.rssMiB;
    const h = b.heapMiB ?? {};
    const mem = (/** @type {string} */ k) => `${fmt(m[k])} / ${fmt(h[k] ?? NaN)}`;
    printTable(`Issue 13: a ${b.messages.toLocaleString("en-US")}-message chat — memory of the rooms' workerd, then cold after a restart`, [
      ["", "time", "RSS / isolate heap MiB", ""],
      [
        "import (API)",
        `${fmt(b.fill.seconds)} s`,
        `${mem("beforeFill")} → ${mem("afterImport")}; RSS peak ${fmt(m.peakWhileImporting)}`,
        `${fmt(b.fill.msgsPerSec)} msgs/s${b.fill.restarts ? `; wrangler restarted the worker ${b.fill.restarts}× mid-import (batches resent)` : ""}`,
      ],
      [
        "index has the whole log",
        `${fmt(b.indexedAfterMs / 1000)} s after`,
        mem("filledAndIndexed"),
        "polled: a search for a word in the last messages",
      ],
      ["restart on the same state", `${fmt(b.restartMs / 1000)} s`, mem("afterRestart"), "every room cold"],
      [
        "open → chat.ready",
        `${fmt(b.openToReadyMs)} ms`,
        mem("afterOpen"),
        `${b.readyPageSize} messages, lastSeq ${b.lastSeq.toLocaleString("en-US")}`,
      ],
      [
        `deep history.fetch ×${b.deepFetchMs.n} (p50 / max)`,
        `${fmt(b.deepFetchMs.p50)} / ${fmt(b.deepFetchMs.max)} ms`,
        mem("afterDeepFetch"),
        `${fmt(b.avgFetchedPerPage)} per page, near the start`,
      ],
      ["search in it: common word (cold index)", `${fmt(b.searches.commonColdMs)} ms`, "", `hits ${b.searches.hits.join("/")}`],
      [
        "  rare / planted / no hit",
        `${fmt(b.searches.rareMs)} / ${fmt(b.searches.plantedMs)} / ${fmt(b.searches.noHitMs)} ms`,
        mem("afterSearch"),
        "",
      ],
      ["one more message (send→ack)", `${fmt(b.sendAckMs)} ms`, mem("afterSend"), ""],
    ]);
    check({
      issue: 13,
      what: `isolate heap with a ${b.messages.toLocaleString("en-US")}-message chat open, paged and searched < 128 MB`,
      value: b.maxHeapAfterRestartMiB,
      limit: 128,
      unit: "MiB",
      pass: b.maxHeapAfterRestartMiB < 128,
    });
    check({
      issue: 13,
      what: `workerd RSS (the whole process) with a ${b.messages.toLocaleString("en-US")}-message chat open, paged and searched < 128 MB`,
      value: b.maxRssAfterRestartMiB,
      limit: 128,
      unit: "MiB",
      pass: b.maxRssAfterRestartMiB < 128,
    });
  }

  // Without wrangler's proxy, and the previous release.
  /** @param {string} key  @param {string} title */
  const versus = (key, title) => {
    if (!d[key] && !g[key]) return null;
    const rows = [["", "conversas (wrangler dev)", title, "conversas / it"]];
    /** @type {Record<string, number>} */
    const out = {};
    /** @param {string} label  @param {number} a  @param {number} x  @param {string} id */
    const row = (label, a, x, id) => {
      out[id] = ratio(a, x);
      rows.push([label, fmt(a), fmt(x), times(out[id] ?? NaN)]);
    };
    if (d[key] && d.conversas) {
      row("1:1 send→deliver p50 ms", d.conversas.latency.deliverMs.p50, d[key].latency.deliverMs.p50, "deliverP50");
      row("1:1 send→deliver p99 ms", d.conversas.latency.deliverMs.p99, d[key].latency.deliverMs.p99, "deliverP99");
      row("1:1 sustained msgs/s", d.conversas.throughput.msgsPerSec, d[key].throughput.msgsPerSec, "sustained");
      row("1:1 CPU ms/msg (rooms' workerd)", d.conversas.usage.latency.cpuMsPerMsg, d[key].usage.latency.cpuMsPerMsg, "cpuPerMsg");
    }
    if (g[key] && g.conversas) {
      row(`group ${g.conversas.members}: send→each p50 ms`, g.conversas.deliverEachMs.p50, g[key].deliverEachMs.p50, "groupEachP50");
      row(`group ${g.conversas.members}: send→each p99 ms`, g.conversas.deliverEachMs.p99, g[key].deliverEachMs.p99, "groupEachP99");
      row(
        `group ${g.conversas.members}: every list p50 ms`,
        g.conversas.listAllMs?.p50 ?? NaN,
        g[key].listAllMs?.p50 ?? NaN,
        "groupListsP50",
      );
      row(
        `group ${g.conversas.members}: every list p99 ms`,
        g.conversas.listAllMs?.p99 ?? NaN,
        g[key].listAllMs?.p99 ?? NaN,
        "groupListsP99",
      );
      row(`group ${g.conversas.members}: msgs/s to all`, g.conversas.msgsPerSec, g[key].msgsPerSec, "groupThroughput");
      row(`group ${g.conversas.members}: CPU ms/msg`, g.conversas.usage.cpuMsPerMsg, g[key].usage.cpuMsPerMsg, "groupCpuPerMsg");
    }
    printTable(
      title === "no proxy"
        ? "Through wrangler's proxy vs the same bundle on Miniflare directly (what production does not pay)"
        : `Today vs the previous release (${r.runtime.previous?.commit}, partykit dev, workerd ${r.runtime.previous?.workerd}), same machine, same run`,
      rows,
    );
    return out;
  };
  const np = versus("conversasDirect", "no proxy");
  if (np) ratios.proxyVsDirect = np;
  const pv = versus("previous", "previous release");
  if (pv) {
    ratios.newVsOld = pv;
    for (const [id, label] of [
      ["deliverP50", "1:1 send→deliver p50"],
      ["deliverP99", "1:1 send→deliver p99"],
      ["groupEachP50", "group send→each p50"],
      ["groupEachP99", "group send→each p99"],
      ["groupListsP99", "group every list p99"],
    ])
      if (Number.isFinite(pv[id]))
        check({
          issue: 13,
          what: `no slower than the previous release: ${label} new/old ≤ 1`,
          value: /** @type {number} */ (pv[id]),
          limit: 1,
          unit: "×",
          pass: /** @type {number} */ (pv[id]) <= 1,
        });
  }

  if (r.sip?.error) console.log(`\nSIP: not measured, the phase failed: ${r.sip.error}`);
  else if (r.sip) {
    const sip = r.sip;
    printTable(`SIP: INVITE→200 OK, UDP UAC → sipp UAS directly vs through the sip-proxy, ${P.sip.calls} calls each, alternating`, [
      ["", "direct", "via sip-proxy", "added"],
      ["INVITE→200 p50 ms", fmt(sip.direct.p50), fmt(sip.proxied.p50), `+${fmt(sip.addedP50Ms)} ms (×${fmt(sip.p50xDirect)})`],
      ["INVITE→200 p99 ms", fmt(sip.direct.p99), fmt(sip.proxied.p99), `+${fmt(sip.addedP99Ms)} ms`],
      .../** @type {any[]} */ (sip.ramp).map((x) => [
        `${x.held} dialogs held: p50 ms`,
        "",
        fmt(x.p50),
        x.failed ? `${x.failed} failed` : "",
      ]),
      ["dialogs held before p50 doubles", "", String(sip.heldBeforeDoubling), `of ${P.sip.levels.at(-1)} tried`],
    ]);
  }
  if (r.web?.error) console.log(`\nWeb client bundle: not measured, the build failed: ${r.web.error}`);
  else if (r.web) {
    const w = r.web;
    const kib = (/** @type {number} */ n) => [(n / 1024).toFixed(1), n.toLocaleString("en-US")];
    printTable("Web client bundle (minified, before compression)", [
      ["", "KiB", "bytes", ""],
      ["entry script", ...kib(w.entryBytes), ""],
      ["first screen (entry + static chunks + CSS)", ...kib(w.firstScreenBytes), "what sign-in downloads"],
      ["first screen, gzip", ...kib(w.firstScreenGzipBytes), "what goes over the wire (issue 17: ≤ 60 KB)"],
      ["first screen without the softphone", ...kib(w.firstScreenWithoutSoftphoneBytes), "its loader stubbed out (build-web.mjs)"],
      ["softphone's share of the first screen", ...kib(w.softphoneFirstScreenBytes), "its loader and what it shares with sign-in"],
      ["loaded on demand", ...kib(w.onDemandBytes), "sip.js, emoji picker, Yjs, softphone…"],
    ]);
  }

  if (r.workerRestartsMidRequest)
    console.log(`\nwrangler dev restarted the worker under ${r.workerRestartsMidRequest} request(s) during the run (503, sent again)`);
  if (r.errors?.length) {
    console.log("\nPhases that failed (their figures are missing above)");
    for (const e of r.errors) console.log(`- ${e.phase}: ${e.error}`);
  }
  if (checks.length) {
    console.log("\nTargets (issues 13 and 15; informational: a FAIL never fails the run)");
    for (const c of checks) {
      const value = c.unit === "of" ? `${fmt(c.value * 100)}%` : `${fmt(c.value)}${c.unit === "×" ? "×" : c.unit ? ` ${c.unit}` : ""}`;
      console.log(`${c.pass ? "PASS" : "FAIL"}  #${c.issue} ${c.what}: ${value}${c.note ? ` (${c.note})` : ""}`);
    }
  }
  return { ratios, checks };
}
