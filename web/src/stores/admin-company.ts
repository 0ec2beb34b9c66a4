/**
 * The company's settings in "Administração": "Retenção" (issue 18.6, `GET`/`PUT
 * …/settings`) and the sign-in with the company's identity provider (issue 18.1,
 * `GET …/sso/config`, `PUT …/sso`; the client secret is write-only and never
 * comes back).
 */
import { signal } from "@preact/signals";
import type { SsoBody, SsoView } from "../../../protocol/admin";
import type { SsoField } from "../model/admin-settings";
import { adminApi } from "./admin-api";

export type Loaded<T> = { status: "loading" } | { status: "error"; error: string } | { status: "ready"; value: T };

export const retention = signal<Loaded<number | null>>({ status: "loading" });
/** null: not configured yet. */
export const ssoConfig = signal<Loaded<SsoView | null>>({ status: "loading" });

export type Saved<T> = { ok: true; value: T } | { ok: false; error: string; field: SsoField | "retentionDays" | null; network: boolean };

const failed = (res: { status: number; error: string; field?: string }) => ({
  ok: false as const,
  error: res.error,
  field: (res.field ?? null) as SsoField | "retentionDays" | null,
  network: res.status === 0,
});

export async function loadRetention(): Promise<void> {
  retention.value = { status: "loading" };
  const res = await adminApi.settings();
  retention.value = res.ok
    ? { status: "ready", value: res.value.retentionDays }
    : { status: "error", error: res.status === 0 ? "network" : res.error };
}

export async function saveRetention(retentionDays: number | null): Promise<Saved<number | null>> {
  const res = await adminApi.putSettings({ retentionDays });
  if (!res.ok) return failed(res);
  retention.value = { status: "ready", value: res.value.retentionDays };
  return { ok: true, value: res.value.retentionDays };
}

export async function loadSso(): Promise<void> {
  ssoConfig.value = { status: "loading" };
  const res = await adminApi.ssoConfig();
  if (res.ok) ssoConfig.value = { status: "ready", value: res.value };
  else if (res.status === 404) ssoConfig.value = { status: "ready", value: null };
  else ssoConfig.value = { status: "error", error: res.status === 0 ? "network" : res.error };
}

/** Saves the SSO settings (the server reads the provider's discovery document first: a provider that does not answer is refused on `issuer`). */
export async function saveSso(body: SsoBody): Promise<Saved<SsoView>> {
  const res = await adminApi.putSso(body);
  if (!res.ok) return failed(res);
  ssoConfig.value = { status: "ready", value: res.value };
  return { ok: true, value: res.value };
}
