/**
 * What the softphone's browser tests share: a browser suite (test/e2e/support.ts)
 * with a fake microphone granted, each test's contexts closed when it ends (a call
 * left ringing must not reach the next test), and the real sip-proxy on the port
 * the platform names to browsers (CONVERSAS_SIP_URL, chosen before the server
 * starts). The proxy starts once the app is up and stops before it.
 */
import { afterAll, beforeAll } from "vitest";
import { freePort } from "../../tools/dev/process.mjs";
import { startProxy, type RunningProxy } from "../sip/support";
import { browserSuite, MEDIA_ARGS } from "./support";

export function softphoneSuite(
  label: string,
  opts: { vars?: () => Promise<Record<string, string>>; proxyEnv?: Record<string, string> } = {},
) {
  let port = 0;
  let current: RunningProxy | undefined;
  const e2e = browserSuite(label, {
    chromiumArgs: MEDIA_ARGS,
    permissions: ["microphone"],
    vars: async () => {
      port = await freePort();
      return { ...(await opts.vars?.()), CONVERSAS_SIP_URL: `ws://127.0.0.1:${port}/` };
    },
  });
  const proxy = {
    /** The port the platform names to browsers. */
    get port(): number {
      return port;
    },
    get current(): RunningProxy {
      if (!current) throw new Error("the proxy starts in beforeAll");
      return current;
    },
    /** Starts the proxy on the platform's port (after `stop`), with `env` on top of the suite's settings. */
    async start(env: Record<string, string> = {}): Promise<RunningProxy> {
      current = await startProxy({
        CONVERSAS_SESSION_SECRET: e2e.app.server.secrets.CONVERSAS_SESSION_SECRET!,
        CONVERSAS_API: e2e.app.server.base,
        SIP_PROXY_PORT: String(port),
        ...opts.proxyEnv,
        ...env,
      });
      return current;
    },
    /** Stops it (the call server out of reach); stopping a stopped proxy does nothing. */
    stop: async () => {
      if (process.env.SHOW_SERVER_LOG) console.log(current?.log());
      await current?.stop();
    },
  };
  // Registered after the suite's hooks: after-hooks run in reverse, so the proxy stops before the app.
  beforeAll(() => proxy.start());
  afterAll(() => proxy.stop());
  return { e2e, proxy };
}
