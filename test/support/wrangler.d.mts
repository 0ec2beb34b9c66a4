/** Types for test/support/wrangler.mjs, so TypeScript tests can start `wrangler dev`. */
export declare const WRANGLER_BIN: string;
export declare const OFFLINE_ENV: NodeJS.ProcessEnv;
export type WranglerServer = {
  port: number;
  base: string;
  wsBase: string;
  persist: string;
  secrets: Record<string, string>;
  adminKey: string;
  log(): string;
  stop(): Promise<void>;
};
export declare function startWrangler(opts?: {
  port?: number;
  persist?: string;
  secrets?: Record<string, string>;
  quiet?: boolean;
}): Promise<WranglerServer>;
