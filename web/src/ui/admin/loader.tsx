/**
 * The door of "Administração" in the first bundle (issue 18.3: loaded on
 * demand, not in the first screen): the screen, its stores and its words are
 * one dynamic import, fetched when an admin opens it; it gets the first screen's
 * stores and components from here (stores/admin-seam.ts says why).
 */
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { t } from "../../i18n";
import { formatSize } from "../../model/files";
import { adminRevoked, closeAdmin } from "../../stores/admin-access";
import { bearer, call } from "../../stores/api";
import { apiWithSession, fetchWithSession, session } from "../../stores/session";
import { ConfirmDialog } from "../ConfirmDialog";
import { BackIcon } from "../icons";
import { FormDialog, Modal } from "../Modal";
import { TabList, tabPanel } from "../TabList";

type Screen = typeof import("./AdminScreen");
const screen = signal<Screen | null>(null);
const failed = signal(false);
let loading: Promise<Screen | null> | null = null;

/** Fetches the screen's chunk once; null when it could not (offline): a later call tries again. */
export function loadAdmin(): Promise<Screen | null> {
  loading ??= import("./AdminScreen")
    .then((m) => {
      m.connect(
        { session, call, bearer, apiWithSession, fetchWithSession, adminRevoked },
        { Modal, FormDialog, ConfirmDialog, TabList, tabPanel, BackIcon, closeAdmin, formatSize },
      );
      screen.value = m;
      failed.value = false;
      return m;
    })
    .catch(() => {
      loading = null;
      failed.value = true;
      return null;
    });
  return loading;
}

/** The screen, or what is said while its chunk arrives (or why it did not). */
export function AdminHost() {
  useEffect(() => void loadAdmin(), []);
  const S = screen.value;
  if (S) return <S.AdminScreen />;
  return (
    <main class="admin-loading">
      <h1>{t.administration}</h1>
      {failed.value ? (
        <>
          <p role="alert">{t.networkError}</p>
          <button type="button" class="button" onClick={() => void loadAdmin()}>
            {t.tryAgain}
          </button>
          <button type="button" class="button secondary" onClick={closeAdmin}>
            {t.back}
          </button>
        </>
      ) : (
        <p role="status">{t.loading}</p>
      )}
    </main>
  );
}
