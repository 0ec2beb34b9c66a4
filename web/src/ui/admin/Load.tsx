/**
 * What the administration's sections show around what they load: "Carregando…",
 * a failed load with "Tentar de novo", and a table of results with its loading
 * and empty lines.
 */
import type { ReadonlySignal } from "@preact/signals";
import type { ComponentChildren, VNode } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Loaded } from "../../stores/admin-company";
import { Done } from "./Field";
import { refusalText, words } from "./strings";

/** A load's error as the screen says it ("network" is the stores' word for no answer). */
export const loadError = (error: string) => refusalText({ error, network: error === "network" });

/** A load that failed: what could not be loaded and why, and a button to ask again. */
export function LoadFailed({ what, error, retry, class: cls }: { what: string; error: string; retry(): void; class?: string }) {
  return (
    <div class={cls}>
      <p role="alert">
        {what} {loadError(error)}
      </p>
      <button type="button" class="button secondary" onClick={retry}>
        {words.tryAgain}
      </button>
    </div>
  );
}

/**
 * A setting's section: "Carregando…", its failure (`what`, then why, and "Tentar
 * de novo"), or `Editor` with the stored value.
 */
export function settingSection<T>(
  state: ReadonlySignal<Loaded<T>>,
  what: string,
  retry: () => unknown,
  Editor: (p: { stored: T }) => VNode,
) {
  return function SettingSection() {
    const s = state.value;
    if (s.status === "loading")
      return (
        <p class="muted" role="status">
          {words.loading}
        </p>
      );
    if (s.status === "error") return <LoadFailed what={what} error={s.error} retry={() => void retry()} />;
    return <Editor stored={s.value} />;
  };
}

/** A setting form's "Salvar" ("Salvando…" while `busy`) and, once saved, `saved` said politely. */
export function SaveSetting({ busy, saved }: { busy: boolean; saved: string | false }) {
  return (
    <>
      {saved && <Done>{saved}</Done>}
      <div class="admin-actions">
        <button type="submit" class="button" disabled={busy}>
          {busy ? words.saving : words.save}
        </button>
      </div>
    </>
  );
}

/** A setting's form, filled from the stored value and again whenever that changes. */
export function useStoredForm<T, F>(stored: T, formOf: (stored: T) => F) {
  const [form, setForm] = useState<F>(() => formOf(stored));
  useEffect(() => setForm(formOf(stored)), [stored]);
  return [form, setForm] as const;
}

/** A list's table (`columns` are its headings), busy while loading, with a line for "none" once `empty`. */
export function AdminTable({
  caption,
  columns,
  loading,
  empty,
  none,
  children,
}: {
  caption: string;
  columns: string[];
  loading: boolean;
  empty: boolean;
  none: string;
  children: ComponentChildren;
}) {
  return (
    <div class="admin-table-wrap" aria-busy={loading}>
      <table class="admin-table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
      {loading && (
        <p class="muted admin-empty" role="status">
          {words.loading}
        </p>
      )}
      {empty && <p class="muted admin-empty">{none}</p>}
    </div>
  );
}
