/**
 * The sip-proxy process: reads its configuration (stopping with a message that
 * names a bad setting) and starts the service. Prints one
 * `sip-proxy ready ws=<port> sip=<port> mode=<mode>` line once listening, which
 * `npm start` and the tests wait for.
 */
import { readConfig, ConfigError, type Config } from "./config";
import { startService } from "./service";
import { jsonLog } from "./log";

const log = jsonLog();

async function main(config: Config): Promise<void> {
  const service = await startService(config, { log, trace: process.env.SIP_TRACE === "1" });
  const mode = config.pbx ? `pbx=${config.pbx.transport}:${config.pbx.host}:${config.pbx.port}` : "registrar";
  console.log(`sip-proxy ready ws=${service.wsPort} sip=${service.sipPort} mode=${mode}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log("shutting down", { signal });
    service.shutdown().then(
      () => process.exit(0),
      (e) => {
        log("shutdown failed", { level: "error", error: (e as Error).stack });
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

let config: Config;
try {
  config = readConfig(process.env);
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`sip-proxy: configuração inválida: ${e.message}`);
    process.exit(2);
  }
  throw e;
}
main(config).catch((e) => {
  console.error(`sip-proxy: não iniciou: ${(e as Error).message}`);
  process.exit(1);
});
