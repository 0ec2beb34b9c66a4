/**
 * The fields of a user (issue 18.3), for "Novo usuário" and for editing: name,
 * login, e-mail, department, extension, class of service (once there is an
 * extension), modules, active and admin; the id and the password only when
 * creating. Dumb: the form's state and its errors come from the caller.
 */
import { CALL_CLASSES, type FieldErrors, type UserField, type UserForm } from "../../model/admin-users";
import { CheckField, SelectField, TextField } from "./Field";
import { words } from "./strings";

export type FieldProblems = Partial<Record<UserField, string>>;

/** The form's wrong fields in words; a server's message for its field wins. */
export function problemsOf(errors: FieldErrors, server?: { field: UserField | null; error: string }): FieldProblems {
  const out: FieldProblems = {};
  for (const f of errors) out[f] = words.fieldErrors[f];
  if (server?.field) out[server.field] = `${words.fields[server.field]}: ${server.error}`;
  return out;
}

export function UserFields({
  prefix,
  form,
  onChange,
  problems,
  creating,
  passwordsOn,
  self,
}: {
  /** Unique on the page: the controls' ids start with it. */
  prefix: string;
  form: UserForm;
  onChange(form: UserForm): void;
  problems: FieldProblems;
  creating: boolean;
  passwordsOn: boolean;
  /** The signed-in admin's own record: they cannot lock themselves out here. */
  self?: boolean;
}) {
  const set =
    <K extends keyof UserForm>(key: K) =>
    (value: UserForm[K]) =>
      onChange({ ...form, [key]: value });
  const id = (f: string) => `${prefix}-${f}`;
  return (
    <div class="admin-grid">
      {creating && (
        <TextField
          id={id("id")}
          label={words.fields.id}
          value={form.id}
          onValue={set("id")}
          hint={words.idHint}
          error={problems.id}
          autoCapitalize="none"
          spellcheck={false}
          required
        />
      )}
      <TextField id={id("name")} label={words.fields.name} value={form.name} onValue={set("name")} error={problems.name} required />
      <TextField
        id={id("login")}
        label={words.fields.login}
        value={form.login}
        onValue={set("login")}
        error={problems.login}
        autoCapitalize="none"
        spellcheck={false}
        required
      />
      <TextField
        id={id("email")}
        label={words.fields.email}
        type="email"
        value={form.email}
        onValue={set("email")}
        error={problems.email}
        required
      />
      <TextField
        id={id("department")}
        label={words.fields.department}
        value={form.department}
        onValue={set("department")}
        error={problems.department}
      />
      <TextField
        id={id("extension")}
        label={words.fields.extension}
        value={form.extension}
        onValue={set("extension")}
        hint={words.extensionHint}
        error={problems.extension}
        inputMode="numeric"
      />
      {form.extension.trim() !== "" && (
        <SelectField
          id={id("callClass")}
          label={words.fields.callClass}
          value={form.callClass}
          options={CALL_CLASSES.map((c) => ({ value: c, label: words.callClasses[c] }))}
          onValue={set("callClass")}
          error={problems.callClass}
        />
      )}
      <fieldset class="admin-fieldset" aria-describedby={`${id("modules")}-hint`}>
        <legend>{words.fields.modules}</legend>
        <CheckField id={id("conversas")} label={words.conversasModule} checked disabled onChecked={() => {}} />
        <CheckField id={id("atendimento")} label={words.fields.atendimento} checked={form.atendimento} onChecked={set("atendimento")} />
        <p id={`${id("modules")}-hint`} class="admin-hint">
          {words.modulesHint}
        </p>
        {problems.modules && <p class="admin-field-error">{problems.modules}</p>}
      </fieldset>
      <CheckField
        id={id("enabled")}
        label={words.fields.enabled}
        checked={form.enabled}
        onChecked={set("enabled")}
        disabled={self}
        error={problems.enabled}
      />
      <CheckField
        id={id("admin")}
        label={words.fields.admin}
        checked={form.admin}
        onChecked={set("admin")}
        hint={self ? words.selfHint : words.adminHint}
        disabled={self}
        error={problems.admin}
      />
      {creating && passwordsOn && (
        <TextField
          id={id("password")}
          label={words.fields.password}
          type="password"
          value={form.password}
          onValue={set("password")}
          hint={words.passwordHintNew}
          error={problems.password}
          autocomplete="new-password"
        />
      )}
    </div>
  );
}
