/**
 * One user in "Administração" (issue 18.3, 18.5, 18.7): the edit form ("Salvar"
 * sends only what changed) and the actions on their access — "Desativar" /
 * "Ativar", "Redefinir senha" (only while the company signs in with passwords),
 * "Encerrar sessões", "Credenciais do ramal", "Exportar dados" and "Apagar
 * dados", asked twice. Every outcome is said in the status line under the actions.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { AdminUser } from "../../../../protocol/http";
import { formFromUser } from "../../model/admin-users";
import { exportUser } from "../../stores/admin-export";
import { endSessions, eraseUser, passwordsOn, removeSipCredentials, saveUser, selectUser, setEnabled } from "../../stores/admin-users";
import { seam } from "../../stores/admin-seam";
import { CloseIcon } from "../icon-frame";
import { parts } from "./parts";
import { Done, FormAlert, focusFirstInvalid } from "./Field";
import { refusalText, words } from "./strings";
import { EraseConfirmDialog, PasswordDialog, refusedProblems, SipDialog } from "./UserDialogs";
import { problemsOf, UserFields, type FieldProblems } from "./UserFields";

type Open = null | "password" | "sip" | "sip-remove" | "sessions" | "erase-1" | "erase-2";
type Outcome = { ok: boolean; text: string } | null;
type Result = { ok: true } | { ok: false; error?: string; network?: boolean; status?: number };

/** A refusal in words: the server's message, or the network's. */
const failText = (res: { ok: false; error?: string; network?: boolean; status?: number }) =>
  res.error !== undefined ? refusalText({ ...res, error: res.error }) : words.network;

export function UserDetail({ user }: { user: AdminUser }) {
  const [form, setForm] = useState(() => formFromUser(user));
  const [problems, setProblems] = useState<FieldProblems>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const self = seam.session.value?.user.id === user.id;

  // Another user opened: their own form, and focus on their name so the keyboard is where the eyes are.
  useEffect(() => {
    setForm(formFromUser(user));
    setProblems({});
    setAlert(null);
    setOutcome(null);
    heading.current?.focus();
  }, [user.id]);
  // "Desativar" / "Ativar" changed the stored user: the form follows, so a later "Salvar" does not undo it.
  useEffect(() => setForm((f) => ({ ...f, enabled: user.enabled })), [user.enabled]);

  async function act(label: string, run: () => Promise<Result>, done: string) {
    setBusy(label);
    setOutcome(null);
    const res = await run();
    setBusy(null);
    setOutcome(res.ok ? { ok: true, text: done } : { ok: false, text: failText(res) });
  }

  /** A dialog's "done": it closes, and what it did is said under the buttons. */
  const closeWith = (text: string) => () => {
    setOpen(null);
    setOutcome({ ok: true, text });
  };

  async function save(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy("save");
    setOutcome(null);
    const res = await saveUser(user, form);
    setBusy(null);
    if (res.ok) {
      setProblems({});
      setAlert(null);
      setForm(formFromUser(res.value));
      setOutcome({ ok: true, text: res.value === user ? words.nothingChanged : words.saved });
      return;
    }
    const next = "errors" in res ? problemsOf(res.errors) : refusedProblems(res);
    setProblems(next);
    const wrong = Object.keys(next) as (keyof typeof words.fields)[];
    setAlert(wrong.length ? words.fixFields(wrong.map((k) => words.fields[k])) : "errors" in res ? null : refusalText(res));
    focusFirstInvalid(formRef.current);
  }

  const gone = user.erased;
  return (
    <section class="admin-detail" aria-labelledby="user-detail-title">
      <header class="admin-detail-head">
        <h2 id="user-detail-title" ref={heading} tabIndex={-1}>
          {user.name}
        </h2>
        <button type="button" class="icon-button" aria-label={words.closeDetail} title={words.closeDetail} onClick={() => selectUser(null)}>
          <CloseIcon />
        </button>
      </header>
      <p class="muted small">
        {user.id} · {user.enabled ? words.active : words.inactive}
        {user.admin ? ` · ${words.adminBadge}` : ""}
        {!user.localLogin && !gone ? ` · ${words.noLocalPassword}` : ""}
      </p>
      {gone ? (
        <p class="admin-note">{words.erasedNote}</p>
      ) : (
        <form ref={formRef} onSubmit={save} aria-label={words.editUser} noValidate>
          <UserFields prefix="edit-user" form={form} onChange={setForm} problems={problems} passwordsOn={passwordsOn.value} self={self} />
          <FormAlert>{alert}</FormAlert>
          <div class="admin-actions">
            <button type="submit" class="button" disabled={!!busy}>
              {busy === "save" ? words.saving : words.save}
            </button>
          </div>
        </form>
      )}

      <h3>{words.access}</h3>
      <div class="admin-actions wrap">
        {!gone && !self && (
          <button
            type="button"
            class="button secondary"
            disabled={!!busy}
            onClick={() =>
              act(
                "enabled",
                () => setEnabled(user, !user.enabled),
                user.enabled ? words.disabledNow(user.name) : words.enabledNow(user.name),
              )
            }
          >
            {user.enabled ? words.disable : words.enable}
          </button>
        )}
        {!gone && passwordsOn.value && (
          <button type="button" class="button secondary" disabled={!!busy} onClick={() => setOpen("password")}>
            {words.resetPassword}
          </button>
        )}
        {!gone && (
          <button type="button" class="button secondary" disabled={!!busy} onClick={() => setOpen("sessions")}>
            {words.endSessions}
          </button>
        )}
        {!gone && (
          <button type="button" class="button secondary" disabled={!!busy} onClick={() => setOpen("sip")}>
            {words.sip}
          </button>
        )}
        <button type="button" class="button secondary" disabled={!!busy} onClick={() => void exportUser(user.id)}>
          {words.exportUser}
        </button>
        {!gone && !self && (
          <button type="button" class="button danger" disabled={!!busy} onClick={() => setOpen("erase-1")}>
            {words.erase}
          </button>
        )}
      </div>
      {busy && busy !== "save" && busy !== "erase" && (
        <p class="muted" role="status">
          {words.working}
        </p>
      )}
      {busy === "erase" && (
        <p class="admin-progress" role="status">
          <progress aria-label={words.erasing} /> {words.erasing}
        </p>
      )}
      {outcome && (outcome.ok ? <Done>{outcome.text}</Done> : <FormAlert>{outcome.text}</FormAlert>)}

      {open === "password" && <PasswordDialog user={user} onClose={() => setOpen(null)} onDone={closeWith(words.passwordReset)} />}
      {open === "sip" && <SipDialog user={user} onClose={() => setOpen(null)} onDone={closeWith(words.sipSaved)} />}
      {open === "sessions" && (
        <parts.ConfirmDialog
          title={words.endSessionsQuestion(user.name)}
          confirm={words.endSessions}
          onConfirm={() => void act("sessions", () => endSessions(user), words.sessionsEnded)}
          onClose={() => setOpen(null)}
        >
          <p>{words.endSessionsBody}</p>
        </parts.ConfirmDialog>
      )}
      {open === "erase-1" && (
        <parts.ConfirmDialog
          title={words.eraseQuestion(user.name)}
          confirm={words.eraseContinue}
          onConfirm={() => setOpen("erase-2")}
          onClose={() => setOpen(null)}
        >
          <p>{words.eraseBody}</p>
        </parts.ConfirmDialog>
      )}
      {open === "erase-2" && (
        <EraseConfirmDialog
          user={user}
          onClose={() => setOpen(null)}
          onConfirm={() =>
            void (async () => {
              setBusy("erase");
              setOutcome(null);
              const res = await eraseUser(user);
              setBusy(null);
              setOutcome(
                res.ok
                  ? { ok: true, text: words.erasedDone(res.value.messages, res.value.files, res.value.calls) }
                  : { ok: false, text: failText(res) },
              );
            })()
          }
        />
      )}
      <SipRemove
        user={user}
        open={open === "sip-remove"}
        onOpen={() => setOpen("sip-remove")}
        onClose={() => setOpen(null)}
        onDone={(o) => setOutcome(o)}
      />
    </section>
  );
}

/** "Remover credenciais": a button under the actions and its question (the credentials are never shown, only replaced or removed). */
function SipRemove({
  user,
  open,
  onOpen,
  onClose,
  onDone,
}: {
  user: AdminUser;
  open: boolean;
  onOpen(): void;
  onClose(): void;
  onDone(o: Outcome): void;
}) {
  if (user.erased) return null;
  return (
    <>
      <button type="button" class="link admin-sip-remove" onClick={onOpen}>
        {words.sipRemove}
      </button>
      {open && (
        <parts.ConfirmDialog
          title={words.sipRemoveQuestion}
          confirm={words.sipRemove}
          onConfirm={() =>
            void removeSipCredentials(user).then((res) =>
              onDone(res.ok ? { ok: true, text: words.sipRemoved } : { ok: false, text: failText(res) }),
            )
          }
          onClose={onClose}
        >
          <p>{words.sipRemoveBody}</p>
        </parts.ConfirmDialog>
      )}
    </>
  );
}
