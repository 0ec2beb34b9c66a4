/**
 * `npm start`: builds the web client and the sip-proxy, starts the rooms on
 * `wrangler dev` (the workerd that wrangler ships; the working tree itself, so an
 * edit reloads) at http://localhost:1999 with state under .data/wrangler (kept
 * across restarts), starts the sip-proxy as a registrar on ws://localhost:5066
 * (no PBX: registered extensions call each other), seeds the demo company and
 * prints its logins. Settings and secrets reach wrangler in an env file, never
 * on a command line `ps` would show.
 */
import { spawn } from "node:child_process";
import { buildWeb } from "./build-web.mjs";
import { buildSipProxy } from "../sip-proxy/build.mjs";
import { devSecrets } from "./dev-secrets.mjs";
import { seedDemo, DEMO_TENANT } from "./seed.mjs";
import { removeTempDirs, startServer } from "../tools/dev/runtime.mjs";

const port = Number(process.env.PORT ?? 1999);
const sipPort = Number(process.env.SIP_PROXY_PORT ?? 5066);
await Promise.all([buildWeb(), buildSipProxy()]);
const secrets = devSecrets();
const sipUrl = process.env.CONVERSAS_SIP_URL ?? `ws://localhost:${sipPort}`;
const server = await startServer({
  port,
  persist: ".data/wrangler",
  secrets,
  vars: { CONVERSAS_SIP_URL: sipUrl },
  quiet: true,
  inspector: true,
});
const users = await seedDemo(server.base, secrets.CONVERSAS_ADMIN_KEY);

/** @returns {Promise<{ child: import("node:child_process").ChildProcess, mode: string }>} */
function startSipProxy() {
  const child = spawn(process.execPath, ["sip-proxy/dist/main.mjs"], {
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      CONVERSAS_SESSION_SECRET: secrets.CONVERSAS_SESSION_SECRET,
      CONVERSAS_API: server.base,
      SIP_PROXY_PORT: String(sipPort),
      // Ctrl+C on a developer's machine stops at once instead of waiting out live calls (production: 30 s).
      SIP_DRAIN_SECONDS: process.env.SIP_DRAIN_SECONDS ?? "0",
    },
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      if (out.includes("sip-proxy ready"))
        resolve({ child, mode: process.env.SIP_PBX ? `PBX ${process.env.SIP_PBX}` : "registrar, sem PBX" });
    });
    child.once("exit", (code) => reject(new Error(`sip-proxy saiu (${code}):\n${out}`)));
  });
}
const sip = await startSipProxy();

const url = `http://localhost:${port}/?empresa=${DEMO_TENANT}`;
console.log(`\nConversas está no ar: ${url}`);
console.log(`sip-proxy (${sip.mode}): ${sipUrl}\n`);
console.log(`Empresa: ${DEMO_TENANT}`);
console.table(
  users.map((u) => ({ Login: u.login, Senha: u.password, Nome: u.name, Ramal: u.extension ?? "—", Módulos: u.modules.join("+") })),
);
console.log("Ctrl+C para parar. Estado em .data/wrangler (apague a pasta para recomeçar).");

const stop = async () => {
  try {
    process.kill(-(/** @type {number} */ (sip.child.pid)), "SIGTERM");
  } catch {
    /* already gone */
  }
  await server.stop();
  removeTempDirs();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
