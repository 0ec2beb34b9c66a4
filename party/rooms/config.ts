/**
 * The rooms' configuration, read from the runtime's environment and validated
 * once per isolate. `npm start` generates dev secrets (scripts/dev-secrets.mjs);
 * a deployment that lacks one fails loudly on the first request, naming it.
 */
export type RoomConfig = {
  sessionSecret: string;
  adminKey: string;
  maxTextLength: number;
};

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
  };
  cached = { env, config };
  return config;
}
