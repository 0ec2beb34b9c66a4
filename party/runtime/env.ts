/** The Worker's environment: one Durable Object binding per party (wrangler.toml), R2, the web client and the settings. */
import type { PartyName } from "../../protocol/ids";

/** Durable Object binding per party; wrangler.toml binds each room class under its own name. */
export const BINDINGS = {
  hub: "Hub",
  chat: "Chat",
  drafts: "Drafts",
  directory: "Directory",
  user: "User",
  search: "Search",
  guard: "Guard",
  tenant: "Tenant",
  audit: "Audit",
} as const satisfies Record<PartyName, string>;

export type Env = { [K in (typeof BINDINGS)[PartyName]]: DurableObjectNamespace } & {
  FILES?: R2Bucket;
  ASSETS?: Fetcher;
  [setting: string]: unknown;
};
