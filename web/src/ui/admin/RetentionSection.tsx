/**
 * "Retenção" (issue 18.6): keep everything, or delete messages and files older
 * than a number of days. A setting that deletes what the current one keeps is
 * asked first (it cannot be undone).
 */
import { useRef, useState } from "preact/hooks";
import { checkRetention, retentionForm, retentionShortens } from "../../model/admin-settings";
import { loadRetention, retention, saveRetention } from "../../stores/admin-company";
import { parts } from "./parts";
import { focusFirstInvalid } from "./Field";
import { SaveSetting, settingSection, useStoredForm } from "./Load";
import { refusalText, words } from "./strings";

export const RetentionSection = settingSection(retention, words.retentionError, loadRetention, RetentionEditor);

function RetentionEditor({ stored: current }: { stored: number | null }) {
  const [form, setForm] = useStoredForm(current, retentionForm);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const ref = useRef<HTMLFormElement>(null);

  async function store(days: number | null) {
    setBusy(true);
    const res = await saveRetention(days);
    setBusy(false);
    if (res.ok) return setDone(true);
    setError(res.field === "retentionDays" ? words.daysError : refusalText(res));
  }

  function submit(e: Event) {
    e.preventDefault();
    setDone(false);
    const checked = checkRetention(form);
    if (!checked.ok) {
      setError(words.daysError);
      return focusFirstInvalid(ref.current);
    }
    setError(null);
    if (retentionShortens(current, checked.retentionDays)) setAsking(checked.retentionDays);
    else void store(checked.retentionDays);
  }

  return (
    <form ref={ref} class="admin-retention" onSubmit={submit} noValidate aria-labelledby="retention-title">
      <h2 id="retention-title">{words.retentionTitle}</h2>
      <p class="muted">{words.retentionNow(current)}</p>
      <fieldset class="admin-fieldset">
        <legend class="visually-hidden">{words.retentionTitle}</legend>
        <div class="admin-check">
          <input
            type="radio"
            id="retention-forever"
            name="retention"
            checked={form.keepForever}
            onChange={() => setForm({ ...form, keepForever: true })}
          />
          <label for="retention-forever">{words.keepForever}</label>
        </div>
        <div class="admin-check">
          <input
            type="radio"
            id="retention-limit"
            name="retention"
            checked={!form.keepForever}
            onChange={() => setForm({ ...form, keepForever: false })}
          />
          <label for="retention-limit">{words.keepDays}</label>
        </div>
        <div class="admin-field narrow">
          <label for="retention-days">{words.days}</label>
          <input
            id="retention-days"
            type="number"
            inputMode="numeric"
            min={1}
            max={36500}
            value={form.days}
            disabled={form.keepForever}
            onInput={(e) => setForm({ ...form, days: e.currentTarget.value })}
            aria-invalid={error === words.daysError ? true : undefined}
            aria-describedby={error ? "retention-error" : undefined}
          />
        </div>
      </fieldset>
      {error && (
        <p id="retention-error" class="form-error" role="alert">
          {error}
        </p>
      )}
      <SaveSetting busy={busy} saved={done && words.retentionSaved} />
      {asking !== null && (
        <parts.ConfirmDialog
          title={words.retentionQuestion(asking)}
          confirm={words.retentionConfirm}
          onConfirm={() => void store(asking)}
          onClose={() => setAsking(null)}
        >
          <p>{words.retentionBody}</p>
        </parts.ConfirmDialog>
      )}
    </form>
  );
}
