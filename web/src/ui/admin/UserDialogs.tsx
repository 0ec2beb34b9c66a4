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

/** What a one-request dialog says went wrong: at a field, or (field null) under the fields. */
type Problem<F extends string> = { field: F | null; text: string } | null;

/** The state of "Redefinir senha" and "Credenciais do ramal": one request at a time, and what went wrong. */
function useUserRequest<F extends string>() {
  const [problem, setProblem] = useState<Problem<F>>(null);
  const [busy, setBusy] = useState(false);
  const body = useRef<HTMLDivElement>(null);
  return {
    problem,
    busy,
    body,
    errorAt: (field: F) => (problem?.field === field ? problem.text : null),
    /** Says what is wrong, and the keyboard goes to the first field in error. */
    refuse(next: Problem<F>) {
      setProblem(next);
      focusFirstInvalid(body.current);
    },
    /** The request, its button saying so while it runs. */
    async send<R>(request: () => Promise<R>): Promise<R> {
      setBusy(true);
      const res = await request();
      setBusy(false);
      return res;
    },
  };
}

/** A password being set (required; the browser may offer to make one up, never fills in a saved one). */
const NewPasswordField = (p: { id: string; label: string; value: string; onValue(value: string): void; error: string | null }) => (
  <TextField {...p} type="password" autocomplete="new-password" required />
);

/**
 * The frame of "Redefinir senha" and "Credenciais do ramal": its title with the
 * user's name, the button saying "Salvando…" while the request runs, and a
 * refusal that belongs to no field under the fields.
 */
function UserRequestDialog({
  titleId,
  title,
  user,
  submitLabel,
  request: { busy, body, problem },
  onSubmit,
  onClose,
  children,
}: {
  titleId: string;
  title: string;
  user: AdminUser;
  submitLabel: string;
  request: { busy: boolean; body: Ref<HTMLDivElement>; problem: Problem<string> };
  onSubmit(): void;
  onClose(): void;
  children: ComponentChildren;
}) {
  return (
    <AdminFormDialog
      titleId={titleId}
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

type UserDialogProps = { user: AdminUser; onClose(): void; onDone(): void };

export function PasswordDialog({ user, onClose, onDone }: UserDialogProps) {
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const request = useUserRequest<"password" | "repeat">();

  async function submit() {
    if (request.busy) return;
    const checked = checkNewPassword(password, repeat);
    if (!checked.ok)
      return request.refuse({
        field: checked.field,
        text: checked.field === "password" ? words.fieldErrors.password : words.repeatMismatch,
      });
    const res = await request.send(() => resetPassword(user, password));
    if (res.ok) return onDone();
    if ("errors" in res) return;
    request.refuse({ field: res.field === "password" ? "password" : null, text: refusalText(res) });
  }

  return (
    <UserRequestDialog
      titleId="password-title"
      title={words.resetPassword}
      user={user}
      submitLabel={words.resetPassword}
      {...{ request, onClose }}
      onSubmit={submit}
    >
      <NewPasswordField
        id="reset-password"
        label={words.newPassword}
        value={password}
        onValue={setPassword}
        error={request.errorAt("password")}
      />
      <NewPasswordField
        id="reset-repeat"
        label={words.repeatPassword}
        value={repeat}
        onValue={setRepeat}
        error={request.errorAt("repeat")}
      />
    </UserRequestDialog>
  );
}

export function SipDialog({ user, onClose, onDone }: UserDialogProps) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const request = useUserRequest<"password" | "username">();

  async function submit() {
    if (request.busy) return;
    if (password === "" || password.length > 200) return request.refuse({ field: "password", text: words.sipPasswordRequired });
    const res = await request.send(() => setSipCredentials(user, username, password));
    // Written once: nothing of it stays in this page.
    setPassword("");
    if (res.ok) return onDone();
    if ("errors" in res) return;
    const field = res.field === "password" || (res.field as string) === "username" ? (res.field as "password" | "username") : null;
    request.refuse({ field, text: field ? `${field === "password" ? words.sipPassword : words.sipUser}: ${res.error}` : refusalText(res) });
  }

  return (
    <UserRequestDialog
      titleId="sip-title"
      title={words.sip}
      user={user}
      submitLabel={words.save}
      {...{ request, onClose }}
      onSubmit={submit}
    >
      <p class="admin-hint">{words.sipHint}</p>
      <TextField
        id="sip-username"
        label={words.sipUser}
        value={username}
        onValue={setUsername}
        hint={words.sipUserHint}
        error={request.errorAt("username")}
        autocomplete="off"
        {...asTyped}
        maxLength={100}
      />
      <NewPasswordField
        id="sip-password"
        label={words.sipPassword}
        value={password}
        onValue={setPassword}
        error={request.errorAt("password")}
      />
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
