/**
 * What every browser test starts with: Debian's Chromium (never a downloaded
 * browser) with the flags this offline machine needs, and the app — a fresh web
 * build served by `partykit dev` from a frozen copy of the code (edits or rebuilds
 * elsewhere in the tree must not restart it mid-test) with the demo company seeded.
 */
import { chromium, type Browser } from "playwright-core";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { buildWeb } from "../../scripts/build-web.mjs";
import { seedDemo } from "../../scripts/seed.mjs";
import { ROOT } from "../support/server.mjs";
import { snapshotServer } from "../support/snapshot.mjs";

const BASE_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A fake microphone and camera, granted without a prompt, and media that may autoplay. */
export const MEDIA_ARGS = [
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--autoplay-policy=no-user-gesture-required",
];

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: [...BASE_ARGS, ...extraArgs] });
}

export type FrozenApp = {
  server: Awaited<ReturnType<Awaited<ReturnType<typeof snapshotServer>>["startServer"]>>;
  code: Awaited<ReturnType<typeof snapshotServer>>;
};

export async function startFrozenApp(label: string): Promise<FrozenApp> {
  await buildWeb();
  const code = await snapshotServer(label);
  cpSync(join(ROOT, "web", "dist"), join(code.dir, "web", "dist"), { recursive: true });
  const server = await code.startServer({ quiet: true });
  await seedDemo(server.base, server.adminKey);
  return { server, code };
}
