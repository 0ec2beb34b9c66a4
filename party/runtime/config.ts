/**
 * The rooms' configuration, read from the runtime's environment and validated
 * once per isolate. `npm start` generates dev secrets (tools/dev/secrets.mjs);
 * a deployment that lacks one fails loudly on the first request, naming it.
 */
export type RoomConfig = {
  sessionSecret: string;
  adminKey: string;
  /** Largest file a chat room accepts (R9); env CONVERSAS_MAX_UPLOAD_BYTES, 25 MiB by default. */
  maxUploadBytes: number;
  /** Largest share webhook body (R30); env CONVERSAS_MAX_SHARE_BYTES, 2 MiB by default. */
  maxShareBytes: number;
  /** How long a sign-in link lives (R31); env CONVERSAS_LINK_TTL_MS, 2 minutes by default. */
  linkTtlMs: number;
  /** How long an upload no message uses is kept (R9); env CONVERSAS_UPLOAD_TTL_MS, a day by default. */
  uploadTtlMs: number;
  /** How many hub rooms share a company's open apps (by user); env CONVERSAS_HUB_SHARDS, 1 by default. */
  hubShards: number;
  /** The address people open (sign-in links are built from it); env CONVERSAS_PUBLIC_URL, else the request's origin. */
  publicUrl: string | null;
  /** Origins allowed to embed the app and drive its softphone (R26); env CONVERSAS_EMBED_ORIGINS, comma-separated; none by default. */
  embedOrigins: string[];
  /** The browser's SIP-over-WebSocket address (R29); env CONVERSAS_SIP_URL; unset: no softphone. */
  sipUrl: string | null;
  /** WebRTC ICE servers for the softphone (JSON array of RTCIceServer); env CONVERSAS_ICE_SERVERS. */
  iceServers: unknown[];
  /** How long an access token lives (≤ 1 h); env CONVERSAS_ACCESS_TTL_MS, 30 minutes by default. */
  accessTtlMs: number;
  /** A session not used for this long ends; env CONVERSAS_SESSION_IDLE_MS, 30 days by default. */
  sessionIdleMs: number;
  /**
   * Per person and room (issue 12.7): frames that write (send, delete, forward,
   * group changes) and frames that read, as "burst/perSecond"; env
   * CONVERSAS_RATE_SEND (30/10) and CONVERSAS_RATE_READ (60/20).
   */
  rates: { send: BucketRule; read: BucketRule };
  /** Count every JSON encode for `GET /api/metrics` (diagnostics, the bench); env CONVERSAS_METRICS=1. */
  countEncodes: boolean;
  /** How long a retention "day" lasts (issue 18.6); env CONVERSAS_RETENTION_DAY_MS, a day — shorter only in tests. */
  retentionDayMs: number;
  /** Identity providers at http:// addresses (tests, local development); env CONVERSAS_SSO_ALLOW_HTTP=1. Never in production. */
  ssoAllowHttp: boolean;
};

import type { BucketRule } from "../domain/rate";

export const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
export const DEFAULT_MAX_SHARE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_LINK_TTL_MS = 2 * 60 * 1000;
export const DEFAULT_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_ACCESS_TTL_MS = 30 * 60 * 1000;
export const DEFAULT_SESSION_IDLE_MS = 30 * 24 * 60 * 60 * 1000;

/** A positive integer setting, or its default when unset. */
function intSetting(name: string, raw: unknown, fallback: number, max: number, min = 1): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} deve ser um inteiro de ${min} a ${max}`);
  return n;
}

function urlSetting(name: string, raw: unknown, schemes: RegExp): string | null {
  if (raw === undefined || raw === "") return null;
  const s = String(raw).trim();
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new Error(`${name} deve ser um endereço completo (${schemes.source})`);
  }
  if (!schemes.test(url.protocol)) throw new Error(`${name} deve usar ${schemes.source}`);
  return s.replace(/\/+$/, "");
}

function originsSetting(raw: unknown): string[] {
  if (raw === undefined || raw === "") return [];
  return String(raw)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      let url: URL;
      try {
        url = new URL(s);
      } catch {
        throw new Error(`CONVERSAS_EMBED_ORIGINS: "${s}" não é uma origem (https://host[:porta])`);
      }
      if (url.origin !== s.replace(/\/+$/, "") || !/^https?:$/.test(url.protocol))
        throw new Error(`CONVERSAS_EMBED_ORIGINS: "${s}" deve ser só a origem, como https://atendimento.empresa.com`);
      return url.origin;
    });
}

function iceSetting(raw: unknown): unknown[] {
  if (raw === undefined || raw === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw));
  } catch {
    throw new Error("CONVERSAS_ICE_SERVERS deve ser JSON: uma lista de RTCIceServer");
  }
  if (!Array.isArray(parsed) || !parsed.every((s) => s && typeof s === "object" && "urls" in s))
    throw new Error("CONVERSAS_ICE_SERVERS deve ser uma lista de objetos com urls");
  return parsed;
}

function rateSetting(name: string, raw: unknown, fallback: BucketRule): BucketRule {
  if (raw === undefined || raw === "") return fallback;
  const m = /^(\d{1,7})\/(\d{1,7})$/.exec(String(raw).trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new Error(`${name} deve ser "rajada/por-segundo", como 30/10`);
  return { burst: Number(m[1]), perSecond: Number(m[2]) };
}

let cached: { env: unknown; config: RoomConfig } | null = null;

export function readConfig(env: Record<string, unknown>): RoomConfig {
  if (cached && cached.env === env) return cached.config;
  const need = (name: string): string => {
    const value = env[name];
    if (typeof value !== "string" || value.length < 16) {
      throw new Error(`configuração ausente ou curta demais: ${name} (pelo menos 16 caracteres)`);
    }
    return value;
  };
  const config: RoomConfig = {
    sessionSecret: need("CONVERSAS_SESSION_SECRET"),
    adminKey: need("CONVERSAS_ADMIN_KEY"),
    maxUploadBytes: intSetting("CONVERSAS_MAX_UPLOAD_BYTES", env.CONVERSAS_MAX_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_BYTES, 1024 * 1024 * 1024),
    maxShareBytes: intSetting("CONVERSAS_MAX_SHARE_BYTES", env.CONVERSAS_MAX_SHARE_BYTES, DEFAULT_MAX_SHARE_BYTES, 64 * 1024 * 1024),
    linkTtlMs: intSetting("CONVERSAS_LINK_TTL_MS", env.CONVERSAS_LINK_TTL_MS, DEFAULT_LINK_TTL_MS, 24 * 60 * 60 * 1000),
    uploadTtlMs: intSetting("CONVERSAS_UPLOAD_TTL_MS", env.CONVERSAS_UPLOAD_TTL_MS, DEFAULT_UPLOAD_TTL_MS, 30 * 24 * 60 * 60 * 1000),
    hubShards: intSetting("CONVERSAS_HUB_SHARDS", env.CONVERSAS_HUB_SHARDS, 1, 64),
    publicUrl: urlSetting("CONVERSAS_PUBLIC_URL", env.CONVERSAS_PUBLIC_URL, /^https?:$/),
    embedOrigins: originsSetting(env.CONVERSAS_EMBED_ORIGINS),
    sipUrl: urlSetting("CONVERSAS_SIP_URL", env.CONVERSAS_SIP_URL, /^wss?:$/),
    iceServers: iceSetting(env.CONVERSAS_ICE_SERVERS),
    accessTtlMs: intSetting("CONVERSAS_ACCESS_TTL_MS", env.CONVERSAS_ACCESS_TTL_MS, DEFAULT_ACCESS_TTL_MS, 60 * 60 * 1000, 1000),
    countEncodes: env.CONVERSAS_METRICS === "1",
    retentionDayMs: intSetting("CONVERSAS_RETENTION_DAY_MS", env.CONVERSAS_RETENTION_DAY_MS, 24 * 60 * 60 * 1000, 24 * 60 * 60 * 1000, 100),
    ssoAllowHttp: env.CONVERSAS_SSO_ALLOW_HTTP === "1",
    rates: {
      send: rateSetting("CONVERSAS_RATE_SEND", env.CONVERSAS_RATE_SEND, { burst: 30, perSecond: 10 }),
      read: rateSetting("CONVERSAS_RATE_READ", env.CONVERSAS_RATE_READ, { burst: 60, perSecond: 20 }),
    },
    sessionIdleMs: intSetting(
      "CONVERSAS_SESSION_IDLE_MS",
      env.CONVERSAS_SESSION_IDLE_MS,
      DEFAULT_SESSION_IDLE_MS,
      365 * 24 * 60 * 60 * 1000,
      1000,
    ),
  };
  cached = { env, config };
  return config;
}
