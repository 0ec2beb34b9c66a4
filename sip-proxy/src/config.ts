/**
 * The sip-proxy's settings, read from the environment and validated once at
 * start. Defaults make `npm start` work on one machine (no PBX: the proxy is its
 * own registrar); a missing or wrong production setting stops the start with a
 * message naming it, never a half-configured proxy.
 */
import { readFileSync } from "node:fs";
import * as v from "valibot";
import type { Credential } from "./credentials";
import { DEFAULT_EXTENSION_PATTERN, type DialPlan } from "./routing/dial-plan";
import type { AuthBackoff, RateLimits } from "./routing/limits";
import { parseCodecFlags, type MediaPolicy } from "./media/rtpengine";

export type HostPort = { transport: "udp" | "tcp" | "tls"; host: string; port: number };

export type Config = {
  /** The company PBX; null = registrar mode (calls between registered extensions only). */
  pbx: HostPort | null;
  /** The one tenant whose extensions live on the PBX (extensions are only unique within a tenant). */
  pbxTenant: string | null;
  /** The SIP domain of the extensions at the PBX (From, To, Refer-To, Referred-By, P-Asserted-Identity); the PBX host by default. */
  pbxDomain: string | null;
  /** WebSocket port for browsers (subprotocol `sip`). */
  wsPort: number;
  /** Address the proxy binds and advertises (Via, Record-Route, Contact) towards the PBX. */
  sipHost: string;
  /** UDP and TCP port towards the PBX; 0 picks a free one. */
  sipPort: number;
  secrets: Record<string, Credential>;
  rtpengine: HostPort | null;
  /** SRTP and codecs through rtpengine (issue 16.7). */
  media: MediaPolicy;
  sessionSecret: string;
  /** The platform's base URL: session checks and call records. */
  api: string;
  /** Where finished calls are reported; `{tenant}` and `{user}` are filled in. */
  recordsUrl: string;
  maxConcurrentCalls: number;
  maxAttemptsPerMinute: number;
  dialPattern: RegExp;
  /** How dialled numbers are classed for the users' classes of service (PBX mode). */
  dialPlan: DialPlan;
  /** Timer C (RFC 3261 §16.6): an INVITE nobody answers is cancelled after this long. */
  ringTimeoutMs: number;
  /** Requests a minute per user, by kind (issue 16.5). */
  rateLimits: RateLimits;
  /** Repeated PBX refusals of an extension's credentials hold it back. */
  authBackoff: AuthBackoff;
  /** After a BYE the far side refused, how long before the proxy sends its own (and between its tries). */
  teardownMs: number;
  /** On SIGTERM, how long calls in progress may go on before the proxy hangs them up. */
  drainMs: number;
  /** How often each socket's platform session is checked (ended: the socket closes; changed class or credentials apply). */
  sessionCheckMs: number;
  /** PEM certificate chain and key: the browser side is wss:// (issue 16.7). */
  tls: { cert: string; key: string } | null;
  /** SIP over TLS to the PBX: a CA to check its certificate with (else the system's), or no check at all. */
  pbxTls: { ca: string | null; verify: boolean };
  /** Bearer token `GET /metrics` needs; null leaves it open (block it at the TLS terminator). */
  metricsToken: string | null;
  /** Where the registrations held at the PBX are kept, so the next start withdraws them after a crash. */
  stateFile: string;
};

export class ConfigError extends Error {}

const TENANT_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;

function hostPort(name: string, value: string, transports: string[]): HostPort {
  const m = /^(udp|tcp|tls):([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : 0;
  if (!m || !transports.includes(m[1]!) || port < 1 || port > 65535) {
    throw new ConfigError(`${name}="${value}" inválido: use ${transports.map((t) => `${t}:host:porta`).join(" ou ")}`);
  }
  return { transport: m[1] as HostPort["transport"], host: m[2]!, port };
}

function port(name: string, value: string | undefined, fallback: number, allowZero = false): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 65535)
    throw new ConfigError(`${name}="${value}" inválido: porta de 1 a 65535`);
  return n;
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name}="${value}" inválido: inteiro positivo`);
  return n;
}

function codecs(name: string, value: string | undefined) {
  if (!value) return null;
  const flags = parseCodecFlags(value);
  if (!flags)
    throw new ConfigError(
      `${name}="${value}" inválido: use operação=codec,codec;… (transcode, mask, strip, offer, accept, consume, except)`,
    );
  return flags;
}

function readPem(name: string, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(`${name}="${path}" ilegível: ${(e as Error).message}`);
  }
  if (!text.includes("-----BEGIN ")) throw new ConfigError(`${name}="${path}" não é um arquivo PEM`);
  return text;
}

function nonNegative(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name}="${value}" inválido: inteiro, zero ou mais`);
  return n;
}

const SecretsFile = v.record(
  v.pipe(v.string(), v.regex(/^[0-9]{2,8}$/, "ramal deve ter de 2 a 8 dígitos")),
  v.union([
    v.pipe(v.string(), v.minLength(1)),
    v.object({ username: v.optional(v.pipe(v.string(), v.minLength(1))), password: v.pipe(v.string(), v.minLength(1)) }),
  ]),
);

/** `{ "2001": "secret" }` or `{ "2001": { "username": "2001", "password": "secret" } }`. */
export function parseSecrets(name: string, text: string): Record<string, Credential> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigError(`${name}: JSON inválido`);
  }
  const r = v.safeParse(SecretsFile, data);
  if (!r.success) throw new ConfigError(`${name}: ${v.getDotPath(r.issues[0]) ?? "(raiz)"}: ${r.issues[0].message}`);
  const out: Record<string, Credential> = {};
  for (const [ext, c] of Object.entries(r.output)) {
    out[ext] = typeof c === "string" ? { username: ext, password: c } : { username: c.username ?? ext, password: c.password };
  }
  return out;
}

export function readConfig(env: Record<string, string | undefined>): Config {
  const pbx = env.SIP_PBX ? hostPort("SIP_PBX", env.SIP_PBX, ["udp", "tcp", "tls"]) : null;
  const pbxTenant = env.SIP_PBX_TENANT || null;
  if (pbx && !pbxTenant) throw new ConfigError("SIP_PBX_TENANT é obrigatório quando SIP_PBX está definido (a empresa dos ramais do PBX)");
  if (pbxTenant && !TENANT_RE.test(pbxTenant)) throw new ConfigError(`SIP_PBX_TENANT="${pbxTenant}" inválido`);

  const sessionSecret = env.CONVERSAS_SESSION_SECRET ?? "";
  if (sessionSecret.length < 16)
    throw new ConfigError("CONVERSAS_SESSION_SECRET ausente ou curto demais (mínimo 16 caracteres; o mesmo das salas)");

  const api = (env.CONVERSAS_API || "http://127.0.0.1:1999").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/\s]+$/.test(api)) throw new ConfigError(`CONVERSAS_API="${api}" inválido: use http(s)://host:porta`);

  let secrets: Record<string, Credential> = {};
  if (env.SIP_SECRETS_FILE) {
    let text: string;
    try {
      text = readFileSync(env.SIP_SECRETS_FILE, "utf8");
    } catch (e) {
      throw new ConfigError(`SIP_SECRETS_FILE="${env.SIP_SECRETS_FILE}" ilegível: ${(e as Error).message}`);
    }
    secrets = parseSecrets("SIP_SECRETS_FILE", text);
  }

  const sipHost = env.SIP_PROXY_HOST || "127.0.0.1";
  if (!/^[A-Za-z0-9.-]+$/.test(sipHost)) throw new ConfigError(`SIP_PROXY_HOST="${sipHost}" inválido`);

  let dialPattern = /^[0-9+*#]{2,20}$/;
  if (env.SIP_DIAL_PATTERN) {
    try {
      dialPattern = new RegExp(env.SIP_DIAL_PATTERN);
    } catch {
      throw new ConfigError(`SIP_DIAL_PATTERN="${env.SIP_DIAL_PATTERN}" não é uma expressão regular válida`);
    }
  }

  let extension = DEFAULT_EXTENSION_PATTERN;
  if (env.SIP_EXTENSION_PATTERN) {
    try {
      extension = new RegExp(env.SIP_EXTENSION_PATTERN);
    } catch {
      throw new ConfigError(`SIP_EXTENSION_PATTERN="${env.SIP_EXTENSION_PATTERN}" não é uma expressão regular válida`);
    }
  }
  const areaCode = env.SIP_AREA_CODE || null;
  if (areaCode && !/^[1-9][1-9]$/.test(areaCode)) throw new ConfigError(`SIP_AREA_CODE="${areaCode}" inválido: o DDD da empresa, 11 a 99`);

  const pbxDomain = pbx ? env.SIP_PBX_DOMAIN || pbx.host.replace(/^\[|\]$/g, "") : null;
  if (pbxDomain && !/^[A-Za-z0-9.:-]+$/.test(pbxDomain)) throw new ConfigError(`SIP_PBX_DOMAIN="${pbxDomain}" inválido`);

  let tls: Config["tls"] = null;
  if (env.SIP_TLS_CERT || env.SIP_TLS_KEY) {
    if (!env.SIP_TLS_CERT || !env.SIP_TLS_KEY) throw new ConfigError("SIP_TLS_CERT e SIP_TLS_KEY vão juntos (certificado e chave em PEM)");
    tls = { cert: readPem("SIP_TLS_CERT", env.SIP_TLS_CERT), key: readPem("SIP_TLS_KEY", env.SIP_TLS_KEY) };
  }

  const srtp = env.SIP_PBX_SRTP || "off";
  if (srtp !== "off" && srtp !== "sdes") throw new ConfigError(`SIP_PBX_SRTP="${srtp}" inválido: off ou sdes`);
  if ((srtp === "sdes" || env.RTPENGINE_PBX_CODECS || env.RTPENGINE_BROWSER_CODECS) && !env.RTPENGINE)
    throw new ConfigError("SIP_PBX_SRTP e RTPENGINE_*_CODECS precisam de RTPENGINE (a mídia passa por ele)");
  if (pbx?.transport === "tls" && !tls)
    throw new ConfigError("SIP_PBX=tls:… precisa de SIP_TLS_CERT e SIP_TLS_KEY (o PBX também abre conexões TLS para o proxy)");
  const pbxTls = {
    ca: env.SIP_PBX_CA ? readPem("SIP_PBX_CA", env.SIP_PBX_CA) : null,
    verify: env.SIP_PBX_TLS_VERIFY !== "0",
  };

  return {
    pbx,
    pbxTenant,
    pbxDomain,
    tls,
    pbxTls,
    metricsToken: env.SIP_METRICS_TOKEN || null,
    wsPort: port("SIP_PROXY_PORT", env.SIP_PROXY_PORT, 5066, true),
    sipHost,
    sipPort: port("SIP_PROXY_SIP_PORT", env.SIP_PROXY_SIP_PORT, pbx ? 5070 : 0, true),
    secrets,
    rtpengine: env.RTPENGINE ? hostPort("RTPENGINE", env.RTPENGINE, ["udp"]) : null,
    media: {
      pbxSrtp: srtp === "sdes",
      pbxCodecs: codecs("RTPENGINE_PBX_CODECS", env.RTPENGINE_PBX_CODECS),
      browserCodecs: codecs("RTPENGINE_BROWSER_CODECS", env.RTPENGINE_BROWSER_CODECS),
    },
    sessionSecret,
    api,
    recordsUrl: env.CALL_RECORDS_URL || `${api}/api/tenants/{tenant}/users/{user}/call-records`,
    maxConcurrentCalls: positive("SIP_MAX_CONCURRENT_CALLS", env.SIP_MAX_CONCURRENT_CALLS, 2),
    maxAttemptsPerMinute: positive("SIP_MAX_ATTEMPTS_PER_MINUTE", env.SIP_MAX_ATTEMPTS_PER_MINUTE, 20),
    dialPattern,
    dialPlan: { extension, areaCode },
    ringTimeoutMs: positive("SIP_RING_TIMEOUT", env.SIP_RING_TIMEOUT, 180) * 1000,
    rateLimits: {
      register: positive("SIP_MAX_REGISTERS_PER_MINUTE", env.SIP_MAX_REGISTERS_PER_MINUTE, 20),
      options: positive("SIP_MAX_OPTIONS_PER_MINUTE", env.SIP_MAX_OPTIONS_PER_MINUTE, 60),
      "in-dialog": positive("SIP_MAX_IN_DIALOG_PER_MINUTE", env.SIP_MAX_IN_DIALOG_PER_MINUTE, 300),
    },
    authBackoff: {
      failures: positive("SIP_AUTH_FAILURES", env.SIP_AUTH_FAILURES, 3),
      windowMs: 5 * 60_000,
      blockMs: positive("SIP_AUTH_BLOCK_SECONDS", env.SIP_AUTH_BLOCK_SECONDS, 300) * 1000,
    },
    teardownMs: positive("SIP_TEARDOWN_SECONDS", env.SIP_TEARDOWN_SECONDS, 5) * 1000,
    drainMs: nonNegative("SIP_DRAIN_SECONDS", env.SIP_DRAIN_SECONDS, 30) * 1000,
    sessionCheckMs: positive("SIP_SESSION_CHECK_SECONDS", env.SIP_SESSION_CHECK_SECONDS, 30) * 1000,
    stateFile: env.SIP_STATE_FILE || ".data/sip-proxy-state.json",
  };
}
