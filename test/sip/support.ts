/**
 * Test support for the sip-proxy: builds and starts the real proxy process
 * (`sip-proxy/dist/main.mjs`), and gives each test browser-side user agents —
 * sip.js's own `UserAgent` in Node, over a `ws` WebSocket, with a session
 * description handler that offers a fixed SDP (Node has no WebRTC; the proxy
 * passes SDP through untouched, which the tests check). Kills only what it starts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
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
import { ROOT } from "../support/server.mjs";
import { buildSipProxy } from "../../sip-proxy/build.mjs";

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
  register(): Promise<{ state: RegistererState; status: number | null }>;
  call(target: string): Inviter;
  nextInvitation(timeoutMs?: number): Promise<Invitation>;
  stop(): Promise<void>;
};

/** A browser-side user agent signed in with `token`, claiming `extension` (which the proxy may refuse). */
export async function phone(wsPort: number, token: string, extension: string): Promise<Phone> {
  const media: Media = { remote: [], local: sdp(`ext-${extension}`) };
  const incoming: Invitation[] = [];
  const waiters: Array<(i: Invitation) => void> = [];
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${extension}@${DOMAIN}`)!,
    transportOptions: { server: `ws://127.0.0.1:${wsPort}/?token=${encodeURIComponent(token)}` },
    sessionDescriptionHandlerFactory: fakeSdhFactory(media),
    logBuiltinEnabled: false,
    logLevel: "error",
    delegate: {
      onInvite: (inv) => {
        incoming.push(inv);
        waiters.shift()?.(inv);
      },
    },
  });
  await ua.start();
  let registerer: Registerer | null = null;
  return {
    ua,
    media,
    incoming,
    register() {
      registerer = new Registerer(ua, { expires: 300 });
      return new Promise((resolve) => {
        registerer!
          .register({
            requestDelegate: {
              onAccept: () => resolve({ state: RegistererState.Registered, status: 200 }),
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

export type RunningProxy = { wsPort: number; sipPort: number; log(): string; records(): any[]; stop(): Promise<void> };

let built: Promise<void> | null = null;

/** Builds once per test run, then starts the real proxy with `env` on free ports. */
export async function startProxy(env: Record<string, string>): Promise<RunningProxy> {
  built ??= buildSipProxy();
  await built;
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "sip-proxy", "dist", "main.mjs")], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "", SIP_PROXY_PORT: "0", SIP_TRACE: process.env.SIP_TRACE ?? "", ...env },
  });
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
    records: () => [...err.matchAll(/call record (\{.*\})$/gm)].map((m) => JSON.parse(m[1]!)),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
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

export async function waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export { SessionState, RegistererState, Invitation, Inviter };

/** A stand-in for the rooms' call-record endpoint: stores what arrives, answers `status()` (so tests can make it fail first). */
export async function recordSink(secret: string, status: () => number = () => 200) {
  const { createServer } = await import("node:http");
  const { isServiceToken, SERVICE_HEADER } = await import("../../party/domain/session");
  const received: Array<{ path: string; authentic: boolean; body: any }> = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", async () => {
      const authentic = await isServiceToken(secret, (req.headers[SERVICE_HEADER] as string) ?? null);
      const code = status();
      if (code === 200) received.push({ path: req.url ?? "", authentic, body: JSON.parse(body) });
      res.writeHead(code).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/api/tenants/{tenant}/users/{user}/call-records`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export const SCENARIOS = join(ROOT, "test", "sip", "scenarios");

export type Sipp = { exit: Promise<{ code: number | null; out: string }>; stop(): Promise<void> };

/** Runs sipp (Debian `sip-tester`) on 127.0.0.1 in its own process group, bounded by `-timeout`. */
export function sipp(args: string[]): Sipp {
  const child = spawn("sipp", [...args, "-i", "127.0.0.1", "-m", "1", "-timeout", "30s", "-nostdin"], {
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
