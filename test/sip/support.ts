/**
 * Test support for the sip-proxy: builds and starts the real proxy process
 * (`sip-proxy/dist/main.mjs`), and gives each test browser-side user agents —
 * sip.js's own `UserAgent` in Node, over a `ws` WebSocket, signing in with a
 * one-time ticket from the real platform for every connection (the web client's
 * transport, web/src/stores/sip-transport.ts), with a session description
 * handler that offers a fixed SDP (Node has no WebRTC; the proxy passes SDP
 * through untouched, which the tests check); sipp and rtpengine runs; and a
 * user's call history read back over their app socket. Kills only what it starts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, expect } from "vitest";
import WebSocket from "ws";
import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  type Session,
  type SessionDescriptionHandler,
  type SessionDescriptionHandlerFactory,
} from "sip.js";
import { ROOT, tempDir } from "../../tools/dev/runtime.mjs";
import { http, login, openHub } from "../support/clients";
import { startTestServer, type TestServer } from "../support/server";
import type { CallHistoryEntry } from "../../protocol/calls";
import { buildSipProxy } from "../../sip-proxy/build.mjs";
import { seedDemo, DEMO_TENANT, DEMO_PASSWORD } from "../../scripts/seed.mjs";
import { ticketTransport, ticketUrl } from "../../web/src/stores/sip-transport";

// sip.js's web transport constructs `new WebSocket(url, "sip")` from the global scope.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

export const DOMAIN = "conversas.invalid";

export function sdp(tag: string): string {
  return [
    "v=0",
    `o=- ${tag.length}000 1 IN IP4 127.0.0.1`,
    `s=${tag}`,
    "c=IN IP4 127.0.0.1",
    "t=0 0",
    "m=audio 40000 RTP/AVP 0 101",
    "a=rtpmap:0 PCMU/8000",
    "a=rtpmap:101 telephone-event/8000",
    "a=fmtp:101 0-16",
    "a=sendrecv",
    "",
  ].join("\r\n");
}

/** What a fake media stack saw: the remote SDPs it was given, in order. */
export type Media = { remote: string[]; local: string };

function fakeSdhFactory(media: Media): SessionDescriptionHandlerFactory {
  return () => {
    const sdh: SessionDescriptionHandler = {
      close: () => undefined,
      getDescription: async () => ({ body: media.local, contentType: "application/sdp" }),
      hasDescription: (ct: string) => ct === "application/sdp",
      setDescription: async (body: string) => {
        media.remote.push(body);
      },
      sendDtmf: () => true,
    };
    return sdh;
  };
}

export type Phone = {
  ua: UserAgent;
  media: Media;
  incoming: Invitation[];
  /** REGISTERs the proxy accepted so far (the first, and every one after a reconnection). */
  accepted: number;
  register(): Promise<{ state: RegistererState; status: number | null }>;
  call(target: string): Inviter;
  nextInvitation(timeoutMs?: number): Promise<Invitation>;
  stop(): Promise<void>;
};

/** Gives a new address with a one-time ticket each time it is called (what the web client asks the platform for). */
export type Tickets = () => Promise<string>;

/**
 * The real platform (wrangler dev) with the demo company seeded and its people signed in: `tickets(user)`
 * asks it for SIP tickets the way the web client does (`POST /api/tenants/demo/sip/ticket`), addressed to
 * the proxy listening on `wsPort` (`wss` with a certificate).
 */
export type Platform = {
  server: TestServer;
  tokens: Record<string, string>;
  tickets(user: string, wsPort: number, scheme?: "ws" | "wss"): Tickets;
  /** The environment a proxy needs to redeem tickets and report calls to this platform. */
  proxyEnv: Record<string, string>;
  stop(): Promise<void>;
};

export async function startPlatform(users = ["ana", "bruno", "carla", "joao", "rafael"]): Promise<Platform> {
  const server = await startTestServer({ vars: { CONVERSAS_SIP_URL: "ws://127.0.0.1:5066" } });
  await seedDemo(server.base, server.adminKey!);
  const tokens: Record<string, string> = {};
  for (const u of users) tokens[u] = (await login(server.base, DEMO_TENANT, u, DEMO_PASSWORD)).body.token as string;
  // The first session check wakes the directory and user rooms; keep that cold start out of the first test.
  await fetch(`${server.base}/api/tenants/demo/me`, { headers: { authorization: `Bearer ${tokens[users[0]!]}` } });
  return {
    server,
    tokens,
    tickets:
      (user, wsPort, scheme = "ws") =>
      async () => {
        const res = await http(`${server.base}/api/tenants/${DEMO_TENANT}/sip/ticket`, {
          method: "POST",
          headers: { authorization: `Bearer ${tokens[user]}` },
        });
        if (res.status !== 200) throw new Error(`no SIP ticket for ${user}: ${res.status} ${res.text}`);
        return ticketUrl(`${scheme}://127.0.0.1:${wsPort}/`, res.body.ticket as string);
      },
    proxyEnv: { CONVERSAS_SESSION_SECRET: server.secrets.CONVERSAS_SESSION_SECRET!, CONVERSAS_API: server.base },
    stop: () => server.stop(),
  };
}

/**
 * A browser-side user agent signed in with a ticket from `tickets` (a new one per connection), claiming `extension` (which the proxy may refuse).
 * `reconnect` makes it behave like the web softphone (web/src/stores/phone.ts): it reconnects when the
 * proxy drops the socket and registers again on each new connection.
 */
export async function phone(
  wsPort: number,
  tickets: Tickets,
  extension: string,
  o: { reconnect?: boolean; scheme?: "ws" | "wss" } = {},
): Promise<Phone> {
  const media: Media = { remote: [], local: sdp(`ext-${extension}`) };
  const incoming: Invitation[] = [];
  const waiters: Array<(i: Invitation) => void> = [];
  let registerer: Registerer | null = null;
  const self = { accepted: 0 };
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${extension}@${DOMAIN}`)!,
    transportConstructor: ticketTransport(tickets),
    transportOptions: { server: `${o.scheme ?? "ws"}://127.0.0.1:${wsPort}/` },
    sessionDescriptionHandlerFactory: fakeSdhFactory(media),
    logBuiltinEnabled: false,
    logLevel: "error",
    ...(o.reconnect ? { reconnectionAttempts: 60, reconnectionDelay: 1 } : {}),
    delegate: {
      onInvite: (inv) => {
        incoming.push(inv);
        waiters.shift()?.(inv);
      },
      onConnect: () => {
        if (o.reconnect && registerer)
          void registerer.register({ requestDelegate: { onAccept: () => void self.accepted++ } }).catch(() => undefined);
      },
    },
  });
  await ua.start();
  return {
    ua,
    media,
    incoming,
    get accepted() {
      return self.accepted;
    },
    register() {
      registerer = new Registerer(ua, { expires: 300 });
      return new Promise((resolve) => {
        registerer!
          .register({
            requestDelegate: {
              onAccept: () => {
                self.accepted++;
                resolve({ state: RegistererState.Registered, status: 200 });
              },
              onReject: (res) => resolve({ state: RegistererState.Unregistered, status: res.message.statusCode ?? null }),
            },
          })
          .catch(() => resolve({ state: RegistererState.Unregistered, status: null }));
      });
    },
    call(target) {
      return new Inviter(ua, UserAgent.makeURI(`sip:${target}@${DOMAIN}`)!);
    },
    nextInvitation(timeoutMs = 10_000) {
      const ready = incoming.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no INVITE reached ${extension}`)), timeoutMs);
        waiters.push((i) => {
          clearTimeout(t);
          incoming.splice(incoming.indexOf(i), 1);
          resolve(i);
        });
      });
    },
    async stop() {
      // Drop the socket first: an un-REGISTER towards a PBX that is gone would wait for Timer F.
      await ua.transport.disconnect().catch(() => undefined);
      await ua.stop().catch(() => undefined);
    },
  };
}

/** Resolves when the session reaches `state`; rejects after the timeout with the state it is in. */
export function until(session: Session, state: SessionState, timeoutMs = 10_000): Promise<void> {
  if (session.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`session stayed ${session.state}, wanted ${state}`)), timeoutMs);
    session.stateChange.addListener((s) => {
      if (s === state) {
        clearTimeout(t);
        resolve();
      }
    });
  });
}

export type RunningProxy = {
  wsPort: number;
  sipPort: number;
  log(): string;
  records(): any[];
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>;
  /** Sends a signal to the proxy's process group (SIGTERM to drain, SIGKILL to crash it). */
  signal(sig: NodeJS.Signals): void;
  stop(): Promise<void>;
};

let built: Promise<void> | null = null;

/** Builds once per test run, then starts the real proxy with `env` on free ports. */
export async function startProxy(env: Record<string, string>): Promise<RunningProxy> {
  built ??= buildSipProxy();
  await built;
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "sip-proxy", "dist", "main.mjs")], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      SIP_PROXY_PORT: "0",
      SIP_TRACE: process.env.SIP_TRACE ?? "",
      // Each proxy its own state file: one test's start must never withdraw another's registrations.
      SIP_STATE_FILE: join(tempDir("sip-state-"), "state.json"),
      ...env,
    },
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  let out = "";
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`sip-proxy did not start:\n${out}\n${err}`)), 15_000);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /sip-proxy ready ws=(\d+) sip=(\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m);
      }
    });
    child.once("exit", (code) => reject(new Error(`sip-proxy exited ${code}:\n${out}\n${err}`)));
  });
  return {
    wsPort: Number(ready[1]),
    sipPort: Number(ready[2]),
    log: () => err,
    records: () =>
      err
        .split("\n")
        .filter((l) => l.includes('"msg":"call record"'))
        .map((l) => JSON.parse(l).record),
    exited,
    signal: (sig) => process.kill(-child.pid!, sig),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid!, "SIGTERM");
      const t = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* gone */
        }
      }, 3000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port` (sipp in TCP mode takes a moment to listen). */
export async function listening(port: number, timeoutMs = 10_000): Promise<void> {
  const { connect } = await import("node:net");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export { SessionState, RegistererState, Invitation, Inviter, UserAgent };

/**
 * A user's call-history entry for `callId` as the app sees it: a real `calls.fetch`
 * over a real app socket, repeated until the record arrived (the proxy reports
 * asynchronously, after the call ended).
 */
export async function historyEntry(wsBase: string, tenant: string, user: string, token: string, callId: string, timeoutMs = 15_000) {
  const { client } = await openHub(wsBase, tenant, token);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      client.send({ type: "calls.fetch", filter: "all" });
      const page = await client.next((f) => f.type === "calls.page");
      const entries = (page.entries as CallHistoryEntry[]).filter((e) => e.callId === callId);
      if (entries.length > 1) throw new Error(`call ${callId} listed ${entries.length} times`);
      if (entries[0]) return entries[0];
      if (Date.now() > deadline) throw new Error(`no record of ${callId} in ${user}'s room`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    client.ws.close();
  }
}

export const SCENARIOS = join(ROOT, "test", "sip", "scenarios");

export type Sipp = { exit: Promise<{ code: number | null; out: string }>; stop(): Promise<void> };

/**
 * Runs sipp (Debian `sip-tester`) on 127.0.0.1 in its own process group, bounded by `-timeout`;
 * `calls` is how many calls it handles before it exits (`-m`).
 */
export function sipp(args: string[], o: { calls?: number; timeout?: string } = {}): Sipp {
  const limits = ["-m", String(o.calls ?? 1), "-timeout", o.timeout ?? "30s"];
  const child = spawn("sipp", [...args, "-i", "127.0.0.1", ...limits, "-nostdin"], {
    cwd: SCENARIOS,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exit = new Promise<{ code: number | null; out: string }>((resolve) => child.once("exit", (code) => resolve({ code, out })));
  return {
    exit,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
      await exit;
    },
  };
}

export type Rtpengine = { port: number; query(callId: string): Promise<Record<string, unknown>>; stop(): Promise<void> };

/** Starts Debian's rtpengine in user space (no kernel module: `--table=-1`) with its ng control on a free UDP port. */
export async function startRtpengine(port: number): Promise<Rtpengine> {
  const { RtpEngine } = await import("../../sip-proxy/src/media/rtpengine");
  const child = spawn(
    "rtpengine",
    [
      "--config-file=none",
      "--interface=127.0.0.1",
      `--listen-ng=127.0.0.1:${port}`,
      "--foreground",
      "--table=-1",
      // Forget a deleted call at once (default: 30 s later), so a test can see the delete.
      "--delete-delay=0",
      "--log-stderr",
      `--port-min=${30000 + (port % 1000) * 20}`,
      `--port-max=${30019 + (port % 1000) * 20}`,
    ],
    { detached: true, stdio: ["ignore", "ignore", "pipe"] },
  );
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const ng = new RtpEngine({ host: "127.0.0.1", port }, { timeoutMs: 200, attempts: 1 });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rtpengine exited ${child.exitCode}: ${err}`);
    try {
      await ng.command({ command: "ping" });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`rtpengine did not answer ping: ${err}`);
    }
  }
  return {
    port,
    query: (callId) => ng.command({ command: "query", "call-id": callId }).catch((e: Error) => ({ error: e.message })),
    async stop() {
      ng.close();
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(-child.pid!, "SIGKILL");
      await exited;
    },
  };
}

/**
 * A proxy's settings in front of the PBX at `pbx` ("udp:127.0.0.1:5060", "tls:…")
 * for the demo company, on a SIP port of its own choosing, with `more` on top.
 */
export function pbxEnv(platform: Platform, pbx: string, more: Record<string, string> = {}): Record<string, string> {
  return { ...platform.proxyEnv, SIP_PBX: pbx, SIP_PBX_TENANT: DEMO_TENANT, SIP_PROXY_SIP_PORT: "0", ...more };
}

/** The extensions' PBX passwords (SIP_SECRETS_FILE) in a new folder named after `prefix`: the folder and the file. */
export function secretsFile(prefix: string, secrets: Record<string, string>): { dir: string; file: string } {
  const dir = tempDir(prefix);
  const file = join(dir, "secrets.json");
  writeFileSync(file, JSON.stringify(secrets));
  return { dir, file };
}

/** Places the call and, once it is over, the status of the answer that refused it (0 when none did). */
export async function refusal(inviter: Inviter, timeoutMs?: number): Promise<number> {
  let status = 0;
  await inviter.invite({ requestDelegate: { onReject: (r) => (status = r.message.statusCode ?? 0) } });
  await until(inviter, SessionState.Terminated, timeoutMs);
  return status;
}

/** sipp's run is over and passed: it saw every message its scenario expects (exit 0; its output shown otherwise). */
export async function passed(run: Sipp): Promise<void> {
  const done = await run.exit;
  expect(done.code, done.out).toBe(0);
}

/** Places the call, waits until it is answered, and hangs up. */
export async function callAndHangUp(inviter: Inviter): Promise<void> {
  await inviter.invite();
  await until(inviter, SessionState.Established);
  await inviter.bye();
}

/** Stops `last()` in order after the file (or the describe block) — `SIP_DEBUG=1` prints their logs first. */
export function stopAfterAll(last: () => ({ stop(): Promise<void>; log?(): string } | undefined)[]): void {
  afterAll(async () => {
    if (process.env.SIP_DEBUG) console.log(...last().map((x) => x?.log?.()));
    for (const x of last()) await x?.stop();
  });
}

/**
 * What a SIP test file starts, stopped in time: the phones and sipp peers a test
 * pushes after that test, then (after the file) whatever `last` names, in order —
 * the proxy first, the platform last. `SIP_DEBUG=1` prints the logs first.
 */
export function stopsAfter(last: () => ({ stop(): Promise<void>; log?(): string } | undefined)[]) {
  const phones: Phone[] = [];
  const peers: Sipp[] = [];
  afterEach(async () => {
    for (const p of phones.splice(0)) await p.stop();
    for (const s of peers.splice(0)) await s.stop();
  });
  stopAfterAll(last);
  return { phones, peers };
}
