/**
 * `npm start`: builds the web client, starts the rooms on `partykit dev`
 * (workerd) at http://localhost:1999 with state under .data/partykit (kept
 * across restarts), seeds the demo company and prints its logins.
 */
import { buildWeb } from "./build-web.mjs";
import { devSecrets } from "./dev-secrets.mjs";
import { seedDemo, DEMO_TENANT } from "./seed.mjs";
import { startServer } from "../test/support/server.mjs";

const port = Number(process.env.PORT ?? 1999);
await buildWeb();
const secrets = devSecrets();
const server = await startServer({ port, persist: ".data/partykit", secrets, quiet: true });
const users = await seedDemo(server.base, secrets.CONVERSAS_ADMIN_KEY);

const url = `http://localhost:${port}/?empresa=${DEMO_TENANT}`;
console.log(`\nConversas está no ar: ${url}\n`);
console.log(`Empresa: ${DEMO_TENANT}`);
console.table(
  users.map((u) => ({ Login: u.login, Senha: u.password, Nome: u.name, Ramal: u.extension ?? "—", Módulos: u.modules.join("+") })),
);
console.log("Ctrl+C para parar. Estado em .data/partykit (apague a pasta para recomeçar).");

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
