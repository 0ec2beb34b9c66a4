/**
 * The administration's seam to the first screen's stores (as softphone-host.ts
 * is the softphone's): who is signed in, the API helper and the session's token
 * handling, and the way to close the screen when the admin flag goes. Handed
 * over by ui/admin/loader.tsx when the screen's chunk arrives, never imported by
 * the on-demand code: esbuild splits by module, and each first-screen module the
 * chunk imported would move to a chunk of its own, which the first screen then
 * downloads as one more file (issue 17 keeps it at 60 KB).
 */
import type { adminRevoked } from "./admin-access";
import type { bearer, call } from "./api";
import type { apiWithSession, fetchWithSession, session } from "./session";

export type AdminSeam = {
  session: typeof session;
  call: typeof call;
  bearer: typeof bearer;
  apiWithSession: typeof apiWithSession;
  fetchWithSession: typeof fetchWithSession;
  adminRevoked: typeof adminRevoked;
};

/** Filled by ui/admin/loader.tsx before the screen renders. */
export const seam = {} as AdminSeam;
