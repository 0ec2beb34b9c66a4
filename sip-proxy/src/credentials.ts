/**
 * Where the proxy finds the PBX credentials of an extension, to answer the PBX's
 * digest challenges on the browser's behalf (browsers never hold them): first
 * the ones an admin set on the platform (issue 16.6: sealed at rest there, handed
 * to this proxy with the caller when their ticket is redeemed and refreshed with
 * every session check, so adding an agent needs no restart), else
 * `SIP_SECRETS_FILE`, read at start, as the alternative.
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

/** The platform's credentials for the caller, else the fallback's (the secrets file). */
export class PlatformCredentials implements CredentialSource {
  constructor(private readonly fallback: CredentialSource) {}

  async forCaller(caller: Caller): Promise<Credential | null> {
    return caller.credentials ?? this.fallback.forCaller(caller);
  }
}
