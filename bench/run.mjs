/**
 * `npm run bench` (`--quick` for a CI smoke run under a minute): starts the real
 * server (partykit dev) and the raw-`ws` baseline, runs every scenario with the
 * same client code, prints a table and writes bench/results/<timestamp>.json and
 * bench/results/latest.json. Figures are reported, never asserted. Every loop is
 * bounded, a watchdog ends a stuck run, and only the servers started here are
 * stopped.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer as startLiveServer } from "../test/support/server.mjs";
import { startBaseline } from "./baseline-ws.mjs";
import { openChat } from "./client.mjs";
import { conversasTarget, directChatPath } from "./conversas.mjs";
import { printTable, fmt } from "./report.mjs";
import { snapshotServer } from "../test/support/snapshot.mjs";
import { fillChat, measureReads } from "./scenarios/history.mjs";
import { measureLatency } from "./scenarios/latency.mjs";
import { measureThroughput } from "./scenarios/throughput.mjs";
import { measureFiles } from "./scenarios/files.mjs";
import { runGroupBench } from "./scenarios/group.mjs";
import { aliveRatios, printAliveTables, runAliveBench } from "./scenarios/alive.mjs";
import { ratio } from "./stats.mjs";
import { measureSip } from "./scenarios/sip.mjs";
import { buildSipProxy } from "../sip-proxy/build.mjs";
import { freePort } from "../test/support/server.mjs";
import { buildWeb } from "../scripts/build-web.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");
const quick = process.argv.includes("--quick");
/** `--live` benches the working tree itself; by default a frozen copy (see test/support/snapshot.mjs). */
const live = process.argv.includes("--live");
/** `--only alive`: just the ws baseline's round trip and the issue-5 phase (search, presence); results go to <timestamp>-alive.json. */
const onlyAlive = process.argv.join(" ").includes("--only alive");

const PARAMS = {
  mode: quick ? "quick" : "full",
  serverCode: live ? "working tree" : "snapshot of the working tree",
  textSize: 100,
  latency: { count: quick ? 200 : 2000, warmup: quick ? 20 : 100, budgetMs: quick ? 15_000 : 120_000 },
  throughput: { windowMs: quick ? 1500 : 5000, inFlight: 64, drainMs: 15_000 },
  history: { longCount: quick ? 1000 : 10_000, shortCount: 10, fillInFlight: 100, reps: quick ? 5 : 20, pageLimit: 50 },
  files: { bigBytes: 5 * 2 ** 20, bigReps: quick ? 3 : 10, manyCount: quick ? 200 : 1000, manyInFlight: 8, reps: quick ? 5 : 20 },
  sip: {
    calls: quick ? 200 : 2000,
    warmup: quick ? 20 : 100,
    levels: quick ? [100, 500, 1000] : [100, 250, 500, 1000, 2000, 4000],
    probes: quick ? 30 : 100,
    batch: 50,
    timeoutMs: 5000,
  },
  group: {
    members: quick ? 30 : 200,
    count: quick ? 30 : 200,
    warmup: quick ? 5 : 20,
    budgetMs: quick ? 10_000 : 60_000,
    windowMs: quick ? 1500 : 5000,
    inFlight: 4,
    listReps: quick ? 5 : 20,
  },
  alive: {
    chats: quick ? 10 : 100,
    perChat: quick ? 100 : 1000,
    fillChatsAtOnce: 4,
    fillInFlight: 100,
    warmQueries: quick ? 10 : 50,
    pageReps: quick ? 5 : 20,
    watchers: quick ? 20 : 100,
    presenceReps: quick ? 5 : 20,
    timeoutMs: 30_000,
  },
  timeoutMs: 15_000,
  closeGraceMs: 250,
};
const WATCHDOG_MS = quick ? 120_000 : 1_800_000;
const USERS = { a: "alice", b: "bruno", c: "carla" };

/** @type {(() => Promise<void>)[]} */
const stops = [];
/** The server's log, shown when a run fails. */
let serverLog = () => "";
async function stopAll() {
  for (const stop of stops.splice(0).reverse()) await stop().catch((e) => console.error("stop:", e));
}
// Output piped into a closed reader (`| head`) must not kill the run before it stops its servers.
process.stdout.on("error", () => {});
const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${WATCHDOG_MS / 1000} s; stopping`);
  void stopAll().finally(() => process.exit(1));
}, WATCHDOG_MS);
for (const sig of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.once(sig, () => void stopAll().finally(() => process.exit(130)));

/**
 * Latency then throughput for one target, over a fresh A↔B socket pair.
 * @param {(user: string, peer: string) => string} chatUrl
 */
async function pairScenarios(chatUrl) {
  const a = await openChat(chatUrl(USERS.a, USERS.b), PARAMS.timeoutMs);
  const b = await openChat(chatUrl(USERS.b, USERS.a), PARAMS.timeoutMs);
  try {
    const latency = await measureLatency({
      a: a.peer,
      b: b.peer,
      textSize: PARAMS.textSize,
      timeoutMs: PARAMS.timeoutMs,
      ...PARAMS.latency,
    });
    const throughput = await measureThroughput({ a: a.peer, b: b.peer, textSize: PARAMS.textSize, ...PARAMS.throughput });
    return { latency, throughput };
  } finally {
    await Promise.all([a.peer.close(PARAMS.closeGraceMs), b.peer.close(PARAMS.closeGraceMs)]);
  }
}

/**
 * Fills a chat from `user`'s side and measures reads on it.
 * @param {(user: string, peer: string) => string} chatUrl
 * @param {string} user  @param {string} peer  @param {number} count
 */
async function historyScenario(chatUrl, user, peer, count) {
  const filler = await openChat(chatUrl(user, peer), PARAMS.timeoutMs);
  const fillTimeout = Math.max(PARAMS.timeoutMs, count * 20);
  const fill = await fillChat({
    peer: filler.peer,
    count,
    inFlight: PARAMS.history.fillInFlight,
    textSize: PARAMS.textSize,
    timeoutMs: fillTimeout,
  });
  await filler.peer.close(PARAMS.closeGraceMs);
  const reads = await measureReads({
    url: chatUrl(user, peer),
    reps: PARAMS.history.reps,
    pageLimit: PARAMS.history.pageLimit,
    timeoutMs: PARAMS.timeoutMs,
    closeGraceMs: PARAMS.closeGraceMs,
  });
  return { fill, ...reads };
}

function machine() {
  const version = (/** @type {string} */ pkg) => {
    try {
      return JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version;
    } catch {
      return null;
    }
  };
  let commit = null;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    /* not a git checkout */
  }
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? null,
    totalMemMiB: Math.round(os.totalmem() / 2 ** 20),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    partykit: version("partykit"),
    ws: version("ws"),
    commit,
  };
}

/**
 * Runs one step of the bench, printing what it is and how long it took.
 * @template T  @param {string} label  @param {() => Promise<T>} fn  @returns {Promise<T>}
 */
async function phase(label, fn) {
  process.stdout.write(`${label}… `);
  const t0 = performance.now();
  const out = await fn();
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return out;
}

async function main() {
  const startedAt = new Date();
  console.log(`bench (${PARAMS.mode})`);
  const { server, baseline, startServer } = await phase("starting partykit dev and the ws baseline", async () => {
    let startServer = startLiveServer;
    if (!live) {
      const snap = await snapshotServer("bench");
      stops.push(async () => snap.remove());
      startServer = snap.startServer;
    }
    const server = await startServer({ quiet: true });
    stops.push(async () => {
      await server.stop();
      rmSync(server.persist, { recursive: true, force: true });
    });
    serverLog = server.log;
    const baseline = await startBaseline();
    stops.push(() => baseline.stop());
    return { server, baseline, startServer };
  });
  const target = await phase("provisioning and signing in bench users", () => conversasTarget(server, Object.values(USERS)));
  const baselineUrl = (/** @type {string} */ user, /** @type {string} */ peer) => `${baseline.wsBase}${directChatPath(user, peer)}`;

  const base = await phase("direct chat on the ws baseline", () => pairScenarios(baselineUrl));
  let serverStarts = 1;
  /** Stops the server and starts it again on the same state and secrets (tokens stay valid): the cold search of the alive phase. */
  const restartServer = async () => {
    await server.stop();
    const again = await startServer({ quiet: true, persist: server.persist, secrets: server.secrets });
    stops.push(() => again.stop());
    const before = serverLog;
    serverLog = () => before() + again.log();
    serverStarts += 1;
    return again;
  };
  const A = PARAMS.alive;
  const runAlive = () =>
    phase(`issue 5: search in ${A.chats} chats × ${A.perChat} messages (and after a restart), presence to ${A.watchers} watchers`, () =>
      runAliveBench(server, baseline.wsBase, { ...A, closeGraceMs: PARAMS.closeGraceMs }, restartServer),
    );
  if (onlyAlive) {
    const alive = await runAlive();
    await phase("stopping the servers", stopAll);
    printAliveTables(alive, base.latency.ackMs.p50, A);
    const out = {
      startedAt: startedAt.toISOString(),
      machine: machine(),
      params: PARAMS,
      alive,
      ratios: aliveRatios(alive, base.latency.ackMs.p50),
    };
    const file = join(HERE, "results", `${startedAt.toISOString().replace(/:/g, "-")}-alive.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
    console.log(`\nresults: ${relative(process.cwd(), file)}`);
    return;
  }
  const real = await phase("direct chat on conversas", () => pairScenarios(target.chatUrl));
  const H = PARAMS.history;
  const long = await phase(`history on a ${H.longCount}-message chat`, () =>
    historyScenario(target.chatUrl, USERS.a, USERS.c, H.longCount),
  );
  const short = await phase(`history on a ${H.shortCount}-message chat`, () =>
    historyScenario(target.chatUrl, USERS.b, USERS.c, H.shortCount),
  );
  const F = PARAMS.files;
  const files = await phase(`attachments: ${F.bigReps} × ${F.bigBytes / 2 ** 20} MiB, then a ${F.manyCount}-attachment chat`, () =>
    measureFiles({
      base: server.base,
      wsBase: server.wsBase,
      adminKey: server.adminKey,
      timeoutMs: 60_000,
      closeGraceMs: PARAMS.closeGraceMs,
      ...F,
    }),
  );
  const G = PARAMS.group;
  const group = await phase(`a ${G.members}-member group, every member connected: baseline, conversas, conversation lists`, () =>
    runGroupBench(server, baseline.wsBase, { ...G, textSize: PARAMS.textSize, timeoutMs: 30_000, closeGraceMs: PARAMS.closeGraceMs }),
  );
  const alive = await runAlive();
  await phase("stopping the servers", stopAll);
  const web = await phase("building the web client (bundle sizes), with and without the softphone", async () => {
    const shipped = await buildWeb();
    // The same client with the softphone's loader stubbed out, built aside so web/dist stays the real one.
    const aside = join(os.tmpdir(), `conversas-web-without-softphone-${process.pid}`);
    try {
      return { ...shipped, withoutSoftphone: await buildWeb({ outDir: aside, withoutSoftphone: true }) };
    } finally {
      rmSync(aside, { recursive: true, force: true });
    }
  });
  const S = PARAMS.sip;
  const sip = await phase(`sip-proxy: ${S.calls} INVITE→200 direct and proxied, then up to ${S.levels.at(-1)} held dialogs`, async () => {
    await buildSipProxy();
    return measureSip({ root: ROOT, freePort, ...S });
  });
  const restarts = (serverLog().match(/Build succeeded/g) ?? []).length - serverStarts;
  if (restarts > 0) console.warn(`warning: partykit dev rebuilt ${restarts} time(s) during the run; figures may include restarts`);

  const ratios = {
    latencyP50xBaseline: ratio(real.latency.deliverMs.p50, base.latency.deliverMs.p50),
    latencyP99xBaseline: ratio(real.latency.deliverMs.p99, base.latency.deliverMs.p99),
    throughputOfBaseline: ratio(real.throughput.msgsPerSec, base.throughput.msgsPerSec),
    openReadyP50LongVsShort: ratio(long.openToReadyMs.p50, short.openToReadyMs.p50),
    historyFetchP50LongVsShort: ratio(long.historyFetchMs.p50, short.historyFetchMs.p50),
    groupDeliverP50xBaseline: ratio(group.conversas.deliverEachMs.p50, group.baseline.deliverEachMs.p50),
    groupDeliverP99xBaseline: ratio(group.conversas.deliverEachMs.p99, group.baseline.deliverEachMs.p99),
    groupThroughputOfBaseline: ratio(group.conversas.msgsPerSec, group.baseline.msgsPerSec),
    ...aliveRatios(alive, base.latency.ackMs.p50),
  };
  const result = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machine(),
    serverRestarts: restarts,
    params: PARAMS,
    directChat: { conversas: real, baseline: base },
    history: { long, short },
    files,
    group,
    alive,
    sip,
    web: {
      entryBytes: web.entryBytes,
      firstScreenBytes: web.initialBytes,
      firstScreenGzipBytes: web.initialGzipBytes,
      onDemandBytes: web.lazyBytes,
      firstScreenWithoutSoftphoneBytes: web.withoutSoftphone.initialBytes,
      softphoneFirstScreenBytes: web.initialBytes - web.withoutSoftphone.initialBytes,
    },
    ratios,
  };

  const L = PARAMS.latency;
  const T = PARAMS.throughput;
  printTable(`Direct chat: ${L.count} messages one in flight, then a ${T.windowMs / 1000} s window with up to ${T.inFlight} in flight`, [
    ["", "conversas", "ws baseline", "conversas vs baseline"],
    [
      "send→deliver p50 ms",
      fmt(real.latency.deliverMs.p50),
      fmt(base.latency.deliverMs.p50),
      `latency ×${fmt(ratios.latencyP50xBaseline)} baseline`,
    ],
    [
      "send→deliver p95 ms",
      fmt(real.latency.deliverMs.p95),
      fmt(base.latency.deliverMs.p95),
      `×${fmt(ratio(real.latency.deliverMs.p95, base.latency.deliverMs.p95))}`,
    ],
    [
      "send→deliver p99 ms",
      fmt(real.latency.deliverMs.p99),
      fmt(base.latency.deliverMs.p99),
      `latency ×${fmt(ratios.latencyP99xBaseline)} baseline`,
    ],
    [
      "send→ack p50 ms",
      fmt(real.latency.ackMs.p50),
      fmt(base.latency.ackMs.p50),
      `×${fmt(ratio(real.latency.ackMs.p50, base.latency.ackMs.p50))}`,
    ],
    [
      "delivered msgs/s",
      fmt(real.throughput.msgsPerSec),
      fmt(base.throughput.msgsPerSec),
      `throughput ${fmt(ratios.throughputOfBaseline)} of baseline`,
    ],
    ["deliver p50 ms under load", fmt(real.throughput.deliverMsUnderLoad.p50), fmt(base.throughput.deliverMsUnderLoad.p50), ""],
  ]);
  printTable(`History: newest page (chat.ready) and history.fetch limit ${H.pageLimit}, ${H.reps} repetitions each`, [
    ["", `${H.longCount}-msg chat`, `${H.shortCount}-msg chat`, "long vs short"],
    [
      "fill (pipelined, all acked)",
      `${fmt(long.fill.seconds)} s`,
      `${fmt(short.fill.seconds)} s`,
      `${fmt(long.fill.msgsPerSec)} msgs/s long`,
    ],
    ["open→chat.ready p50 ms", fmt(long.openToReadyMs.p50), fmt(short.openToReadyMs.p50), `×${fmt(ratios.openReadyP50LongVsShort)}`],
    [
      "open→chat.ready p95 ms",
      fmt(long.openToReadyMs.p95),
      fmt(short.openToReadyMs.p95),
      `×${fmt(ratio(long.openToReadyMs.p95, short.openToReadyMs.p95))}`,
    ],
    ["history.fetch p50 ms", fmt(long.historyFetchMs.p50), fmt(short.historyFetchMs.p50), `×${fmt(ratios.historyFetchP50LongVsShort)}`],
    [
      "history.fetch p95 ms",
      fmt(long.historyFetchMs.p95),
      fmt(short.historyFetchMs.p95),
      `×${fmt(ratio(long.historyFetchMs.p95, short.historyFetchMs.p95))}`,
    ],
    [
      "messages per page",
      `${long.readyPageSize} / ${fmt(long.avgFetchedPerPage)}`,
      `${short.readyPageSize} / ${fmt(short.avgFetchedPerPage)}`,
      "ready / fetch",
    ],
    ["closes answered by the server", long.closeHandshakes, short.closeHandshakes, ""],
  ]);

  printTable(`Attachments: ${F.bigBytes / 2 ** 20} MiB upload → visible at the peer; a chat with ${F.manyCount} attachments`, [
    ["", "p50 ms", "p95 ms", ""],
    ["upload (HTTP 201)", fmt(files.big.uploadMs.p50), fmt(files.big.uploadMs.p95), `${F.bigReps} runs`],
    ["upload → message.new at peer", fmt(files.big.uploadToVisibleMs.p50), fmt(files.big.uploadToVisibleMs.p95), ""],
    ["peer download", fmt(files.big.downloadMs.p50), fmt(files.big.downloadMs.p95), ""],
    [
      "open→chat.ready",
      fmt(files.many.openToReadyMs.p50),
      fmt(files.many.openToReadyMs.p95),
      `fill ${fmt(files.many.attachmentsPerSec)} att/s`,
    ],
    ["gallery.fetch (50)", fmt(files.many.galleryFetchMs.p50), fmt(files.many.galleryFetchMs.p95), `${files.many.galleryPageSize} items`],
  ]);

  const gc = group.conversas;
  const gb = group.baseline;
  printTable(
    `Group of ${G.members}, all connected: ${G.count} messages one in flight, then ${G.windowMs / 1000} s with ${G.inFlight} in flight`,
    [
      ["", "conversas", "ws baseline", "conversas vs baseline"],
      [
        "send→each member p50 ms",
        fmt(gc.deliverEachMs.p50),
        fmt(gb.deliverEachMs.p50),
        `latency ×${fmt(ratios.groupDeliverP50xBaseline)} baseline`,
      ],
      [
        "send→each member p99 ms",
        fmt(gc.deliverEachMs.p99),
        fmt(gb.deliverEachMs.p99),
        `latency ×${fmt(ratios.groupDeliverP99xBaseline)} baseline`,
      ],
      [
        "send→all members p50 ms",
        fmt(gc.deliverAllMs.p50),
        fmt(gb.deliverAllMs.p50),
        `×${fmt(ratio(gc.deliverAllMs.p50, gb.deliverAllMs.p50))}`,
      ],
      [
        "send→all members p99 ms",
        fmt(gc.deliverAllMs.p99),
        fmt(gb.deliverAllMs.p99),
        `×${fmt(ratio(gc.deliverAllMs.p99, gb.deliverAllMs.p99))}`,
      ],
      [
        "msgs/s delivered to all",
        fmt(gc.msgsPerSec),
        fmt(gb.msgsPerSec),
        `throughput ${fmt(ratios.groupThroughputOfBaseline)} of baseline`,
      ],
      ["send→every list updated p50 ms", fmt(group.lists.listAllMs.p50), "", `each list p50 ${fmt(group.lists.listEachMs.p50)} ms`],
      ["send→every list updated p99 ms", fmt(group.lists.listAllMs.p99), "", `each list p99 ${fmt(group.lists.listEachMs.p99)} ms`],
    ],
  );

  printAliveTables(alive, base.latency.ackMs.p50, A);

  printTable(`SIP: INVITE→200 OK, UDP UAC → sipp UAS directly vs through the sip-proxy, ${S.calls} calls each, alternating`, [
    ["", "direct", "via sip-proxy", "added"],
    ["INVITE→200 p50 ms", fmt(sip.direct.p50), fmt(sip.proxied.p50), `+${fmt(sip.addedP50Ms)} ms (×${fmt(sip.p50xDirect)})`],
    ["INVITE→200 p99 ms", fmt(sip.direct.p99), fmt(sip.proxied.p99), `+${fmt(sip.addedP99Ms)} ms`],
    ...sip.ramp.map((r) => [`${r.held} dialogs held: p50 ms`, "", fmt(r.p50), r.failed ? `${r.failed} failed` : ""]),
    ["dialogs held before p50 doubles", "", String(sip.heldBeforeDoubling), `of ${S.levels.at(-1)} tried`],
  ]);

  const dir = join(HERE, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${startedAt.toISOString().replace(/:/g, "-")}.json`);
  const json = JSON.stringify(result, null, 2) + "\n";
  writeFileSync(file, json);
  writeFileSync(join(dir, "latest.json"), json);
  const m = result.machine;
  const kib = (/** @type {number} */ n) => [(n / 1024).toFixed(1), n.toLocaleString("en-US")];
  const phoneShare = web.initialBytes - web.withoutSoftphone.initialBytes;
  printTable("Web client bundle (minified; gzip where said)", [
    ["", "KiB", "bytes", ""],
    ["entry script", ...kib(web.entryBytes), ""],
    ["first screen (entry + static chunks + CSS)", ...kib(web.initialBytes), "what sign-in downloads"],
    ["first screen, gzip", ...kib(web.initialGzipBytes), "what goes over the wire (issue 17: ≤ 60 KB)"],
    ["first screen without the softphone", ...kib(web.withoutSoftphone.initialBytes), "its loader stubbed out (build-web.mjs)"],
    ["softphone's share of the first screen", ...kib(phoneShare), "its loader and what it shares with sign-in"],
    ["loaded on demand", ...kib(web.lazyBytes), "sip.js, emoji picker, Yjs, softphone…"],
  ]);
  console.log(`\nmachine: ${m.cpus} × ${m.cpuModel}, node ${m.node}, partykit ${m.partykit}, commit ${m.commit}`);
  console.log(`results: ${relative(process.cwd(), file)} (and bench/results/latest.json)`);
}

main()
  .catch(async (err) => {
    console.error("\nbench failed:", err);
    const tail = serverLog().trimEnd().split("\n").slice(-40).join("\n");
    if (tail) console.error(`\nlast lines of the partykit dev log:\n${tail}`);
    await stopAll();
    process.exitCode = 1;
  })
  .finally(() => clearTimeout(watchdog));
