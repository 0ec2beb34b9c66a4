/**
 * Where the proxy finds the PBX credentials of an extension, to answer the PBX's
 * digest challenges on the browser's behalf (browsers never hold them). One
 * interface, so a source fetched from the platform (issue 16.6) replaces the
 * secrets file in one place; today it is `SIP_SECRETS_FILE`, read at start.
 */
import type { Caller } from "./session";

export type Credential = { username: string; password: string };

export interface CredentialSource {
  /** The credentials for this user's extension, or null when there are none. */
  forCaller(caller: Caller): Promise<Credential | null>;
}

/** Credentials by extension, from `SIP_SECRETS_FILE` (validated by config.ts). */
export class FileCredentials implements CredentialSource {
  constructor(private readonly byExtension: Record<string, Credential>) {}

  async forCaller(caller: Caller): Promise<Credential | null> {
    return (caller.extension && this.byExtension[caller.extension]) || null;
  }
}
