/**
 * The fields of a user (issue 18.3), for "Novo usuário" and for editing: name,
 * login, e-mail, department, extension, class of service (once there is an
 * extension), modules, active and admin; the id and the password only when
 * creating. Dumb: the form's state and its errors come from the caller.
 */
import type { FieldErrors, UserField, UserForm } from "../../model/admin-users";
import { asTyped, CheckField, formFields, SelectField, TextField } from "./Field";
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
  creating = false,
  passwordsOn,
  self,
}: {
  /** Unique on the page: the controls' ids start with it. */
  prefix: string;
  form: UserForm;
  onChange(form: UserForm): void;
  problems: FieldProblems;
  /** A new user (the id and the first password are asked); else an existing one's record. */
  creating?: boolean;
  passwordsOn: boolean;
  /** The signed-in admin's own record: they cannot lock themselves out here. */
  self?: boolean;
}) {
  const id = (f: string) => `${prefix}-${f}`;
  const { set, text, check } = formFields(form, onChange, words.fields, problems, id);
  return (
    <div class="admin-grid">
      {creating && <TextField {...text("id")} hint={words.idHint} {...asTyped} required />}
      <TextField {...text("name")} required />
      <TextField {...text("login")} {...asTyped} required />
      <TextField {...text("email")} type="email" required />
      <TextField {...text("department")} />
      <TextField {...text("extension")} hint={words.extensionHint} inputMode="numeric" />
      {form.extension.trim() !== "" && (
        <SelectField
          id={id("callClass")}
          label={words.fields.callClass}
          value={form.callClass}
          options={words.callClasses}
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
      <CheckField {...check("enabled")} disabled={self} />
      <CheckField {...check("admin")} hint={self ? words.selfHint : words.adminHint} disabled={self} />
      {creating && passwordsOn && (
        <TextField {...text("password")} type="password" hint={words.passwordHintNew} autocomplete="new-password" />
      )}
    </div>
  );
}
