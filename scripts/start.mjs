/**
 * `npm start`: builds the web client and the sip-proxy, starts the rooms on
 * `partykit dev` (workerd) at http://localhost:1999 with state under
 * .data/partykit (kept across restarts), starts the sip-proxy as a registrar on
 * ws://localhost:5066 (no PBX: registered extensions call each other), seeds the
 * demo company and prints its logins.
 */
import { spawn } from "node:child_process";
import { buildWeb } from "./build-web.mjs";
import { buildSipProxy } from "../sip-proxy/build.mjs";
import { devSecrets } from "./dev-secrets.mjs";
import { seedDemo, DEMO_TENANT } from "./seed.mjs";
import { startServer } from "../test/support/server.mjs";

const port = Number(process.env.PORT ?? 1999);
const sipPort = Number(process.env.SIP_PROXY_PORT ?? 5066);
await Promise.all([buildWeb(), buildSipProxy()]);
const secrets = devSecrets();
const server = await startServer({ port, persist: ".data/partykit", secrets, quiet: true });
const users = await seedDemo(server.base, secrets.CONVERSAS_ADMIN_KEY);

/** @returns {Promise<import("node:child_process").ChildProcess>} */
function startSipProxy() {
  const child = spawn(process.execPath, ["sip-proxy/dist/main.mjs"], {
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      CONVERSAS_SESSION_SECRET: secrets.CONVERSAS_SESSION_SECRET,
      CONVERSAS_API: server.base,
      SIP_PROXY_PORT: String(sipPort),
    },
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      if (out.includes("sip-proxy ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`sip-proxy saiu (${code}):\n${out}`)));
  });
}
const sipProxy = await startSipProxy();

const url = `http://localhost:${port}/?empresa=${DEMO_TENANT}`;
console.log(`\nConversas está no ar: ${url}`);
console.log(`sip-proxy (registrar, sem PBX): ws://localhost:${sipPort}\n`);
console.log(`Empresa: ${DEMO_TENANT}`);
console.table(
  users.map((u) => ({ Login: u.login, Senha: u.password, Nome: u.name, Ramal: u.extension ?? "—", Módulos: u.modules.join("+") })),
);
console.log("Ctrl+C para parar. Estado em .data/partykit (apague a pasta para recomeçar).");

const stop = async () => {
  try {
    process.kill(-(/** @type {number} */ (sipProxy.pid)), "SIGTERM");
  } catch {
    /* already gone */
  }
  await server.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
