/**
 * "Auditoria" (issue 18.4): the company's trail, newest first — when, what,
 * who (and as what), to whom, from where, success or failure, and its small
 * facts — with filters applied by "Filtrar", and "Carregar mais" for older events.
 */
import { useRef, useState } from "preact/hooks";
import type { AuditEvent } from "../../../../protocol/admin";
import { AUDIT_ACTIONS, AUDIT_FAMILIES, emptyAuditForm, type AuditField, type AuditForm, type AuditWhat } from "../../model/audit-filter";
import { applyAuditFilters, auditFilters, auditList, moreAudit } from "../../stores/admin-audit";
import { FormAlert, focusFirstInvalid, SelectField, TextField } from "./Field";
import { AdminTable, loadError } from "./Load";
import { words } from "./strings";

const when = new Intl.DateTimeFormat("pt-BR", { dateStyle: "short", timeStyle: "medium" });

function detailText(detail: AuditEvent["detail"]): string {
  if (!detail) return "";
  return Object.entries(detail)
    .map(([k, v]) => `${words.detailKeys[k] ?? k}: ${v === null ? "—" : v === true ? words.yes : v === false ? words.no : String(v)}`)
    .join(", ");
}

function EventRow({ e }: { e: AuditEvent }) {
  return (
    <tr class={e.ok ? undefined : "failed"}>
      <td>
        <time dateTime={new Date(e.at).toISOString()}>{when.format(e.at)}</time>
      </td>
      <td>{words.auditActions[e.action] ?? e.action}</td>
      <td>
        {e.actor || "—"} <span class="muted small">({words.actorKinds[e.actorKind] ?? e.actorKind})</span>
      </td>
      <td>{e.target || "—"}</td>
      <td>{e.address || "—"}</td>
      <td>{e.ok ? words.okYes : words.okNo}</td>
      <td class="small">{detailText(e.detail)}</td>
    </tr>
  );
}

function Filters() {
  const [form, setForm] = useState<AuditForm>(auditFilters.value);
  const [problem, setProblem] = useState<{ field: AuditField; text: string } | null>(null);
  const ref = useRef<HTMLFormElement>(null);
  const set =
    <K extends keyof AuditForm>(key: K) =>
    (value: AuditForm[K]) =>
      setForm({ ...form, [key]: value });
  const err = (f: AuditField) => (problem?.field === f ? problem.text : null);

  function apply(next: AuditForm) {
    const res = applyAuditFilters(next);
    if (res.ok) return setProblem(null);
    setProblem({ field: res.field, text: words.auditProblems[res.problem](words.auditFieldLabels[res.field]) });
    focusFirstInvalid(ref.current);
  }

  return (
    <form
      ref={ref}
      class="admin-filters"
      aria-label={words.auditTab}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        apply(form);
      }}
    >
      <div class="admin-field">
        <label for="audit-what">{words.auditWhat}</label>
        <select
          id="audit-what"
          value={form.what}
          onChange={(e) => set("what")(e.currentTarget.value as AuditWhat)}
          aria-invalid={err("what") ? true : undefined}
        >
          <option value="">{words.auditAll}</option>
          <optgroup label={words.auditFamiliesGroup}>
            {AUDIT_FAMILIES.map((f) => (
              <option key={f} value={`prefix:${f}`}>
                {words.auditFamilies[f]}
              </option>
            ))}
          </optgroup>
          <optgroup label={words.auditActionsGroup}>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={`action:${a}`}>
                {words.auditActions[a]}
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <TextField
        id="audit-actor"
        label={words.auditActor}
        value={form.actor}
        onValue={set("actor")}
        hint={words.auditActorHint}
        error={err("actor")}
      />
      <TextField
        id="audit-target"
        label={words.auditTarget}
        value={form.target}
        onValue={set("target")}
        hint={words.auditTargetHint}
        error={err("target")}
      />
      <SelectField<AuditForm["ok"]>
        id="audit-ok"
        label={words.auditOk}
        value={form.ok}
        options={[
          { value: "", label: words.auditOkAll },
          { value: "true", label: words.auditOkTrue },
          { value: "false", label: words.auditOkFalse },
        ]}
        onValue={set("ok")}
      />
      <TextField id="audit-since" type="date" label={words.auditSince} value={form.since} onValue={set("since")} error={err("since")} />
      <TextField id="audit-until" type="date" label={words.auditUntil} value={form.until} onValue={set("until")} error={err("until")} />
      <div class="admin-actions">
        <button type="submit" class="button">
          {words.filter}
        </button>
        <button
          type="button"
          class="button secondary"
          onClick={() => {
            const empty = emptyAuditForm();
            setForm(empty);
            apply(empty);
          }}
        >
          {words.clearFilters}
        </button>
      </div>
      <FormAlert>{problem?.text ?? null}</FormAlert>
    </form>
  );
}

export function AuditSection() {
  const list = auditList.value;
  return (
    <div class="admin-audit">
      <Filters />
      {list.status === "error" && list.events.length === 0 ? (
        <p role="alert">
          {words.auditError} {loadError(list.error ?? "")}
        </p>
      ) : (
        <AdminTable
          caption={words.auditTable}
          columns={[
            words.auditWhen,
            words.auditWhat,
            words.auditActor,
            words.auditTarget,
            words.auditAddress,
            words.auditOk,
            words.auditDetail,
          ]}
          loading={list.status === "loading"}
          empty={list.status === "ready" && list.events.length === 0}
          none={words.auditNone}
        >
          {list.events.map((e) => (
            <EventRow key={e.id} e={e} />
          ))}
        </AdminTable>
      )}
      {list.status === "error" && list.events.length > 0 && <FormAlert>{loadError(list.error ?? "")}</FormAlert>}
      {list.next !== null && (
        <button type="button" class="button secondary" disabled={list.more} onClick={moreAudit}>
          {list.more ? words.loading : words.loadMore}
        </button>
      )}
    </div>
  );
}
