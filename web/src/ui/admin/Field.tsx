/**
 * The administration's form controls: a visible label tied to its control, an
 * optional hint, and the field's error beside it (`aria-invalid`, described by
 * the error), so a wrong field is named where it is and read out with it. Also
 * the alert that sums up what to fix, and the status line of a finished action.
 */
import type { ComponentChildren } from "preact";
import { parts, type AdminParts } from "./parts";

const described = (id: string, hint?: ComponentChildren, error?: string | null) =>
  [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;

function Extras({ id, hint, error }: { id: string; hint?: ComponentChildren; error?: string | null }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} class="admin-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="admin-field-error">
          {error}
        </p>
      )}
    </>
  );
}

type InputProps = {
  id: string;
  type?: "text" | "email" | "password" | "search" | "number" | "date" | "url";
  autocomplete?: string;
  autoCapitalize?: "none" | "off";
  spellcheck?: boolean;
  required?: boolean;
  inputMode?: "numeric" | "text" | "email" | "url";
  maxLength?: number;
  autoFocus?: boolean;
  readOnly?: boolean;
  placeholder?: string;
  min?: number;
  max?: number;
  label: string;
  value: string;
  onValue(value: string): void;
  hint?: ComponentChildren;
  error?: string | null;
};

/** `required` is said (aria-required), not enforced by the browser: the form's own check names the field in pt-BR. */
export function TextField({ id, label, value, onValue, hint, error, required, ...rest }: InputProps) {
  return (
    <div class="admin-field">
      <label for={id}>{label}</label>
      <input
        // preact types <input> as a union on `type`; these are plain attributes.
        {...(rest as Record<string, unknown>)}
        id={id}
        name={id}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-required={required ? true : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={described(id, hint, error)}
      />
      <Extras id={id} hint={hint} error={error} />
    </div>
  );
}

export function CheckField({
  id,
  label,
  checked,
  onChecked,
  hint,
  error,
  disabled,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChecked(checked: boolean): void;
  hint?: ComponentChildren;
  error?: string | null;
  disabled?: boolean;
}) {
  return (
    <div class="admin-check">
      <input
        type="checkbox"
        id={id}
        name={id}
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChecked(e.currentTarget.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described(id, hint, error)}
      />
      <label for={id}>{label}</label>
      <Extras id={id} hint={hint} error={error} />
    </div>
  );
}

export function SelectField<V extends string>({
  id,
  label,
  value,
  options,
  onValue,
  hint,
  error,
}: {
  id: string;
  label: string;
  value: V;
  /** Each choice's words by its value, in the order shown. */
  options: Record<V, string>;
  onValue(value: V): void;
  hint?: ComponentChildren;
  error?: string | null;
}) {
  return (
    <div class="admin-field">
      <label for={id}>{label}</label>
      <select
        id={id}
        name={id}
        value={value}
        onChange={(e) => onValue(e.currentTarget.value as V)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described(id, hint, error)}
      >
        {(Object.entries(options) as [V, string][]).map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
      <Extras id={id} hint={hint} error={error} />
    </div>
  );
}

/** For what is typed as it is, not as words (ids, logins, addresses): no capital letter put first, no spelling check. */
export const asTyped = { autoCapitalize: "none", spellcheck: false } as const;

type KeysWith<F, V> = { [K in keyof F]: F[K] extends V ? K : never }[keyof F];

/**
 * What a form's fields share — id, label, value and its setter, error — for
 * `<TextField {...text("login")} />` and `<CheckField {...check("enabled")} />`:
 * the label and error by the field's key, the id `idOf(key)` unless given.
 */
export function formFields<F extends object>(
  form: F,
  onChange: (form: F) => void,
  labels: Record<keyof F, string>,
  problems: Partial<Record<keyof F, string>>,
  idOf: (key: string) => string,
) {
  const set =
    <K extends keyof F>(key: K) =>
    (value: F[K]) =>
      onChange({ ...form, [key]: value });
  const named = (key: keyof F & string, id: string) => ({ id, label: labels[key], error: problems[key] });
  return {
    set,
    text: (key: KeysWith<F, string> & string, id = idOf(key)) => ({
      ...named(key, id),
      value: form[key] as string,
      onValue: set(key) as (value: string) => void,
    }),
    check: (key: KeysWith<F, boolean> & string, id = idOf(key)) => ({
      ...named(key, id),
      checked: form[key] as boolean,
      onChecked: set(key) as (checked: boolean) => void,
    }),
  };
}

/** What to fix, said at once (role="alert") when a form is refused. */
export function FormAlert({ children }: { children: ComponentChildren }) {
  return children ? (
    <p class="form-error" role="alert">
      {children}
    </p>
  ) : null;
}

/** A finished action's outcome, read out politely. */
export function Done({ children }: { children: ComponentChildren }) {
  return (
    <p class="admin-done" role="status">
      {children}
    </p>
  );
}

/** Puts focus on the first control marked wrong inside `root` (after the render that marks it). */
export function focusFirstInvalid(root: HTMLElement | null): void {
  requestAnimationFrame(() => root?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
}

/**
 * A pop-up with a form, the shared FormDialog (ui/Modal.tsx) without the
 * browser's own validation bubbles (English, one field at a time): the form's
 * check names every wrong field in pt-BR instead.
 */
export const AdminFormDialog = (props: Omit<Parameters<AdminParts["FormDialog"]>[0], "noValidate">) => (
  <parts.FormDialog {...props} noValidate />
);
