/**
 * The pop-ups of the users' administration (issue 18.3, 18.7): "Novo usuário",
 * "Redefinir senha", "Credenciais do ramal" (write-only) and the second question
 * of "Apagar dados" (the user's id typed back). Each is a modal <dialog>: focus
 * stays inside, Escape closes it, focus returns to the button that opened it;
 * while a request runs its button says so, and a refusal is shown at its field.
 */
import type { ComponentChildren, Ref } from "preact";
import { useRef, useState } from "preact/hooks";
import type { AdminUser } from "../../../../protocol/http";
import { checkNewPassword, emptyUserForm, type UserField } from "../../model/admin-users";
import { createUser, passwordsOn, resetPassword, setSipCredentials, type Outcome, type Refused } from "../../stores/admin-users";
import { asTyped, AdminFormDialog, FormAlert, focusFirstInvalid, formFields, TextField } from "./Field";
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

type UserDialogProps = { user: AdminUser; onClose(): void; onDone(): void };

/** What a one-request dialog says went wrong: at a field, or (field null) under the fields. */
type Problem<F extends string> = { field: F | null; text: string } | null;

/**
 * The state of "Redefinir senha" and "Credenciais do ramal": one request at a
 * time (its button says so while it runs), and what went wrong, the keyboard
 * taken to the first field in error.
 */
function useUserRequest<F extends string>() {
  const [problem, setProblem] = useState<Problem<F>>(null);
  const [busy, setBusy] = useState(false);
  const body = useRef<HTMLDivElement>(null);
  const refuse = (next: Problem<F>) => {
    setProblem(next);
    focusFirstInvalid(body.current);
  };
  return {
    problem,
    busy,
    body,
    /** The refusal at its field, for formFields. */
    problems: (problem?.field ? { [problem.field]: problem.text } : {}) as Partial<Record<F, string>>,
    /** Unless the form is `wrong` already, the request; then `onDone`, or the server's refusal as `refused` reads it. */
    async submit(wrong: Problem<F>, request: () => Promise<Outcome<null>>, refused: (res: Refused) => Problem<F>, onDone: () => void) {
      if (busy) return;
      if (wrong) return refuse(wrong);
      setBusy(true);
      const res = await request();
      setBusy(false);
      if (res.ok) return onDone();
      if (!("errors" in res)) refuse(refused(res));
    },
  };
}

/** A password being set (required; the browser may offer to make one up, never fills in a saved one). */
const NewPasswordField = (p: { id: string; label: string; value: string; onValue(value: string): void; error?: string }) => (
  <TextField {...p} type="password" autocomplete="new-password" required />
);

/**
 * The frame of "Redefinir senha" and "Credenciais do ramal": its title with the
 * user's name, the button saying "Salvando…" while the request runs, and a
 * refusal that belongs to no field under the fields.
 */
function UserRequestDialog({
  id,
  title,
  user,
  submitLabel,
  request: { busy, body, problem },
  onSubmit,
  onClose,
  children,
}: UserDialogProps & {
  /** Its title's id is `${id}-title`. */
  id: string;
  title: string;
  submitLabel: string;
  request: { busy: boolean; body: Ref<HTMLDivElement>; problem: Problem<string> };
  onSubmit(): void;
  children: ComponentChildren;
}) {
  return (
    <AdminFormDialog
      titleId={`${id}-title`}
      title={`${title} — ${user.name}`}
      onSubmit={onSubmit}
      submitLabel={busy ? words.saving : submitLabel}
      submitDisabled={busy}
      onClose={onClose}
    >
      <div ref={body} class="admin-dialog-body">
        {children}
        <FormAlert>{problem && !problem.field ? problem.text : null}</FormAlert>
      </div>
    </AdminFormDialog>
  );
}

export function PasswordDialog(props: UserDialogProps) {
  const { user, onDone } = props;
  const [form, setForm] = useState({ password: "", repeat: "" });
  const request = useUserRequest<"password" | "repeat">();
  const labels = { password: words.newPassword, repeat: words.repeatPassword };
  const { text } = formFields(form, setForm, labels, request.problems, (key) => `reset-${key}`);

  function submit() {
    const checked = checkNewPassword(form.password, form.repeat);
    const wrong = checked.ok
      ? null
      : { field: checked.field, text: checked.field === "password" ? words.fieldErrors.password : words.repeatMismatch };
    void request.submit(
      wrong,
      () => resetPassword(user, form.password),
      (res) => ({ field: res.field === "password" ? "password" : null, text: refusalText(res) }),
      onDone,
    );
  }

  return (
    <UserRequestDialog
      {...props}
      id="password"
      title={words.resetPassword}
      submitLabel={words.resetPassword}
      request={request}
      onSubmit={submit}
    >
      <NewPasswordField {...text("password")} />
      <NewPasswordField {...text("repeat")} />
    </UserRequestDialog>
  );
}

export function SipDialog(props: UserDialogProps) {
  const { user, onDone } = props;
  const [form, setForm] = useState({ username: "", password: "" });
  const request = useUserRequest<"password" | "username">();
  const { text } = formFields(
    form,
    setForm,
    { username: words.sipUser, password: words.sipPassword },
    request.problems,
    (key) => `sip-${key}`,
  );

  function submit() {
    const { username, password } = form;
    void request.submit(
      password === "" || password.length > 200 ? { field: "password", text: words.sipPasswordRequired } : null,
      // Written once: nothing of it stays in this page.
      () => setSipCredentials(user, username, password).finally(() => setForm((f) => ({ ...f, password: "" }))),
      (res) => {
        const field = res.field === "password" || (res.field as string) === "username" ? (res.field as "password" | "username") : null;
        return { field, text: field ? `${field === "password" ? words.sipPassword : words.sipUser}: ${res.error}` : refusalText(res) };
      },
      onDone,
    );
  }

  return (
    <UserRequestDialog {...props} id="sip" title={words.sip} submitLabel={words.save} request={request} onSubmit={submit}>
      <p class="admin-hint">{words.sipHint}</p>
      <TextField {...text("username")} hint={words.sipUserHint} autocomplete="off" {...asTyped} maxLength={100} />
      <NewPasswordField {...text("password")} />
    </UserRequestDialog>
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
