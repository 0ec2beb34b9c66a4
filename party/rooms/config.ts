/**
 * The rooms' configuration, read from the runtime's environment and validated
 * once per isolate. `npm start` generates dev secrets (scripts/dev-secrets.mjs);
 * a deployment that lacks one fails loudly on the first request, naming it.
 */
export type RoomConfig = {
  sessionSecret: string;
  adminKey: string;
  maxTextLength: number;
  /** Largest file a chat room accepts (R9); env CONVERSAS_MAX_UPLOAD_BYTES, 25 MiB by default. */
  maxUploadBytes: number;
  /** Largest share webhook body (R30); env CONVERSAS_MAX_SHARE_BYTES, 2 MiB by default. */
  maxShareBytes: number;
  /** How long a sign-in link lives (R31); env CONVERSAS_LINK_TTL_MS, 2 minutes by default. */
  linkTtlMs: number;
  /** How long an upload no message uses is kept (R9); env CONVERSAS_UPLOAD_TTL_MS, a day by default. */
  uploadTtlMs: number;
};

export const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

function uploadLimit(raw: unknown): number {
  if (raw === undefined || raw === "") return DEFAULT_MAX_UPLOAD_BYTES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1024 * 1024 * 1024) {
    throw new Error("CONVERSAS_MAX_UPLOAD_BYTES deve ser um inteiro de 1 a 1073741824 (bytes)");
  }
  return n;
}

export const DEFAULT_MAX_SHARE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_LINK_TTL_MS = 2 * 60 * 1000;
export const DEFAULT_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

/** A positive integer setting, or its default when unset. */
function intSetting(name: string, raw: unknown, fallback: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} deve ser um inteiro de 1 a ${max}`);
  return n;
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
    maxTextLength: 4000,
    maxUploadBytes: uploadLimit(env.CONVERSAS_MAX_UPLOAD_BYTES),
    maxShareBytes: intSetting("CONVERSAS_MAX_SHARE_BYTES", env.CONVERSAS_MAX_SHARE_BYTES, DEFAULT_MAX_SHARE_BYTES, 64 * 1024 * 1024),
    linkTtlMs: intSetting("CONVERSAS_LINK_TTL_MS", env.CONVERSAS_LINK_TTL_MS, DEFAULT_LINK_TTL_MS, 24 * 60 * 60 * 1000),
    uploadTtlMs: intSetting("CONVERSAS_UPLOAD_TTL_MS", env.CONVERSAS_UPLOAD_TTL_MS, DEFAULT_UPLOAD_TTL_MS, 30 * 24 * 60 * 60 * 1000),
  };
  cached = { env, config };
  return config;
}
