/**
 * "Auditoria" (issue 18.4): the company's trail, newest first — when, what,
 * who (and as what), to whom, from where, success or failure, and its small
 * facts — with filters applied by "Filtrar", and "Carregar mais" for older events.
 */
import { useRef, useState } from "preact/hooks";
import type { AuditEvent } from "../../../../protocol/admin";
import { AUDIT_ACTIONS, AUDIT_FAMILIES, emptyAuditForm, type AuditField, type AuditForm, type AuditWhat } from "../../model/audit-filter";
import { applyAuditFilters, auditFilters, auditList, moreAudit } from "../../stores/admin-audit";
import { formFields, FormAlert, focusFirstInvalid, SelectField, TextField } from "./Field";
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

/** A group of the "Ação" selector's choices: families of actions (`prefix:…`) or single ones (`action:…`). */
function Choices<K extends string>({
  label,
  kind,
  keys,
  names,
}: {
  label: string;
  kind: "prefix" | "action";
  keys: readonly K[];
  names: Record<K, string>;
}) {
  return (
    <optgroup label={label}>
      {keys.map((k) => (
        <option key={k} value={`${kind}:${k}`}>
          {names[k]}
        </option>
      ))}
    </optgroup>
  );
}

function Filters() {
  const [form, setForm] = useState<AuditForm>(auditFilters.value);
  const [problem, setProblem] = useState<{ field: AuditField; text: string } | null>(null);
  const ref = useRef<HTMLFormElement>(null);
  const labels = { ...words.auditFieldLabels, ok: words.auditOk };
  const { set, text } = formFields(form, setForm, labels, problem ? { [problem.field]: problem.text } : {}, (key) => `audit-${key}`);

  function apply(next: AuditForm) {
    const res = applyAuditFilters(next);
    if (res.ok) return setProblem(null);
    setProblem({ field: res.field, text: words.auditProblems[res.problem](words.auditFieldLabels[res.field]) });
    focusFirstInvalid(ref.current);
  }

  function clear() {
    const empty = emptyAuditForm();
    setForm(empty);
    apply(empty);
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
          aria-invalid={problem?.field === "what" ? true : undefined}
        >
          <option value="">{words.auditAll}</option>
          <Choices label={words.auditFamiliesGroup} kind="prefix" keys={AUDIT_FAMILIES} names={words.auditFamilies} />
          <Choices label={words.auditActionsGroup} kind="action" keys={AUDIT_ACTIONS} names={words.auditActions} />
        </select>
      </div>
      <TextField {...text("actor")} hint={words.auditActorHint} />
      <TextField {...text("target")} hint={words.auditTargetHint} />
      <SelectField<AuditForm["ok"]>
        id="audit-ok"
        label={words.auditOk}
        value={form.ok}
        options={words.auditOkChoices}
        onValue={set("ok")}
      />
      <TextField {...text("since")} type="date" />
      <TextField {...text("until")} type="date" />
      <div class="admin-actions">
        <button type="submit" class="button">
          {words.filter}
        </button>
        <button type="button" class="button secondary" onClick={clear}>
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
