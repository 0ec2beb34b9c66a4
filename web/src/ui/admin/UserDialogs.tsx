/**
 * The pop-ups of the users' administration (issue 18.3, 18.7): "Novo usuário",
 * "Redefinir senha", "Credenciais do ramal" (write-only) and the second question
 * of "Apagar dados" (the user's id typed back). Each is a modal <dialog>: focus
 * stays inside, Escape closes it, focus returns to the button that opened it;
 * while a request runs its button says so, and a refusal is shown at its field.
 */
import { useRef, useState } from "preact/hooks";
import type { AdminUser } from "../../../../protocol/http";
import { checkNewPassword, emptyUserForm, type UserField } from "../../model/admin-users";
import { createUser, passwordsOn, resetPassword, setSipCredentials, type Refused } from "../../stores/admin-users";
import { asTyped, AdminFormDialog, FormAlert, focusFirstInvalid, TextField } from "./Field";
import { refusalText, words } from "./strings";
import { problemsOf, UserFields, type FieldProblems } from "./UserFields";

function summary(problems: Partial<Record<string, string>>, labels: Record<string, string>): string | null {
  const wrong = Object.keys(problems).filter((k) => problems[k]);
  return wrong.length ? words.fixFields(wrong.map((k) => labels[k] ?? k)) : null;
}

export function NewUserDialog({ onClose, onCreated }: { onClose(): void; onCreated(user: AdminUser): void }) {
  const [form, setForm] = useState(emptyUserForm);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const body = useRef<HTMLDivElement>(null);

  async function submit() {
    if (busy) return;
    setBusy(true);
    const res = await createUser(form);
    setBusy(false);
    if (res.ok) return onCreated(res.value);
    const next = "errors" in res ? problemsOf(res.errors) : refusedProblems(res);
    setProblems(next);
    setAlert(summary(next, words.fields) ?? ("errors" in res ? null : refusalText(res)));
    focusFirstInvalid(body.current);
  }

  return (
    <AdminFormDialog
      titleId="new-user-title"
      title={words.newUser}
      onSubmit={submit}
      submitLabel={busy ? words.creating : words.create}
      submitDisabled={busy}
      onClose={onClose}
    >
      <div ref={body} class="admin-dialog-body">
        <FormAlert>{alert}</FormAlert>
        <UserFields prefix="new-user" form={form} onChange={setForm} problems={problems} creating passwordsOn={passwordsOn.value} />
      </div>
    </AdminFormDialog>
  );
}

/** A refusal from the server at its field ("taken": the id exists already). */
export function refusedProblems(res: Refused): FieldProblems {
  if (res.error === "taken" && res.field === "id") return { id: words.idTaken };
  if (!res.field || res.network) return {};
  return problemsOf([], { field: res.field as UserField, error: res.error });
}

export function PasswordDialog({ user, onClose, onDone }: { user: AdminUser; onClose(): void; onDone(): void }) {
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [problem, setProblem] = useState<{ field: "password" | "repeat" | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const body = useRef<HTMLDivElement>(null);

  async function submit() {
    if (busy) return;
    const checked = checkNewPassword(password, repeat);
    if (!checked.ok) {
      setProblem({ field: checked.field, text: checked.field === "password" ? words.fieldErrors.password : words.repeatMismatch });
      return focusFirstInvalid(body.current);
    }
    setBusy(true);
    const res = await resetPassword(user, password);
    setBusy(false);
    if (res.ok) return onDone();
    if ("errors" in res) return;
    setProblem({ field: res.field === "password" ? "password" : null, text: refusalText(res) });
    focusFirstInvalid(body.current);
  }

  return (
    <AdminFormDialog
      titleId="password-title"
      title={`${words.resetPassword} — ${user.name}`}
      onSubmit={submit}
      submitLabel={busy ? words.saving : words.resetPassword}
      submitDisabled={busy}
      onClose={onClose}
    >
      <div ref={body} class="admin-dialog-body">
        <TextField
          id="reset-password"
          label={words.newPassword}
          type="password"
          autocomplete="new-password"
          value={password}
          onValue={setPassword}
          error={problem?.field === "password" ? problem.text : null}
          required
        />
        <TextField
          id="reset-repeat"
          label={words.repeatPassword}
          type="password"
          autocomplete="new-password"
          value={repeat}
          onValue={setRepeat}
          error={problem?.field === "repeat" ? problem.text : null}
          required
        />
        <FormAlert>{problem && !problem.field ? problem.text : null}</FormAlert>
      </div>
    </AdminFormDialog>
  );
}

export function SipDialog({ user, onClose, onDone }: { user: AdminUser; onClose(): void; onDone(): void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<{ field: "password" | "username" | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const body = useRef<HTMLDivElement>(null);

  async function submit() {
    if (busy) return;
    if (password === "" || password.length > 200) {
      setProblem({ field: "password", text: words.sipPasswordRequired });
      return focusFirstInvalid(body.current);
    }
    setBusy(true);
    const res = await setSipCredentials(user, username, password);
    setBusy(false);
    // Written once: nothing of it stays in this page.
    setPassword("");
    if (res.ok) return onDone();
    if ("errors" in res) return;
    const field = res.field === "password" || (res.field as string) === "username" ? (res.field as "password" | "username") : null;
    setProblem({ field, text: field ? `${field === "password" ? words.sipPassword : words.sipUser}: ${res.error}` : refusalText(res) });
    focusFirstInvalid(body.current);
  }

  return (
    <AdminFormDialog
      titleId="sip-title"
      title={`${words.sip} — ${user.name}`}
      onSubmit={submit}
      submitLabel={busy ? words.saving : words.save}
      submitDisabled={busy}
      onClose={onClose}
    >
      <div ref={body} class="admin-dialog-body">
        <p class="admin-hint">{words.sipHint}</p>
        <TextField
          id="sip-username"
          label={words.sipUser}
          value={username}
          onValue={setUsername}
          hint={words.sipUserHint}
          error={problem?.field === "username" ? problem.text : null}
          autocomplete="off"
          {...asTyped}
          maxLength={100}
        />
        <TextField
          id="sip-password"
          label={words.sipPassword}
          type="password"
          value={password}
          onValue={setPassword}
          error={problem?.field === "password" ? problem.text : null}
          autocomplete="new-password"
          required
        />
        <FormAlert>{problem && !problem.field ? problem.text : null}</FormAlert>
      </div>
    </AdminFormDialog>
  );
}

/** "Apagar dados", second question: the user's id typed back, as the server's `confirm` asks. */
export function EraseConfirmDialog({ user, onClose, onConfirm }: { user: AdminUser; onClose(): void; onConfirm(): void }) {
  const [typed, setTyped] = useState("");
  const [wrong, setWrong] = useState(false);
  return (
    <AdminFormDialog
      titleId="erase-title"
      title={words.eraseConfirmTitle}
      onSubmit={() => {
        if (typed.trim() !== user.id) return setWrong(true);
        onClose();
        onConfirm();
      }}
      submitLabel={words.erase}
      danger
      onClose={onClose}
    >
      <div class="admin-dialog-body">
        <p>{words.eraseBody}</p>
        <TextField
          id="erase-confirm"
          label={words.eraseConfirmLabel(user.id)}
          value={typed}
          onValue={(v) => {
            setTyped(v);
            setWrong(false);
          }}
          error={wrong ? words.eraseConfirmWrong(user.id) : null}
          autocomplete="off"
          {...asTyped}
          autoFocus
        />
      </div>
    </AdminFormDialog>
  );
}
