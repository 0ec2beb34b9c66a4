/**
 * "Exportação" (issue 18.5): one chat by its address or id (or the 1:1 chat
 * between two people), with or without its files; and the downloads under way
 * or done — the bytes received, "Cancelar", the file's name once saved — for
 * these and for a user's "Exportar dados".
 */
import { useRef, useState } from "preact/hooks";
import { chatIdFrom, directChatBetween, progressShare } from "../../model/export";
import { cancelExport, exportChat, exportJobs, type ExportJob } from "../../stores/admin-export";
import { CloseIcon } from "../icon-frame";
import { asTyped, CheckField, FormAlert, focusFirstInvalid, formFields, TextField } from "./Field";
import { parts } from "./parts";
import { words } from "./strings";

const what = (job: ExportJob) => (job.kind === "user" ? words.userArchive(job.subject) : words.chatArchive(job.subject));

function JobLine({ job }: { job: ExportJob }) {
  const share = progressShare(job.received, job.total);
  if (job.state === "running")
    return (
      <li class="admin-job">
        <progress aria-label={what(job)} {...(share !== null ? { value: share, max: 1 } : {})} />
        <span>{words.downloading(what(job), parts.formatSize(job.received, true))}</span>
        <button
          type="button"
          class="icon-button small"
          aria-label={words.cancelDownload(what(job))}
          title={words.cancel}
          onClick={() => cancelExport(job.id)}
        >
          <CloseIcon size={16} />
        </button>
      </li>
    );
  if (job.state === "done")
    return <li class="admin-job done">{words.downloaded(job.fileName ?? what(job), parts.formatSize(job.received, true))}</li>;
  if (job.state === "cancelled") return <li class="admin-job">{words.downloadCancelled(what(job))}</li>;
  const why = job.error === "network" ? words.network : job.error === "broken" ? words.downloadBroken : (job.error ?? "");
  return <li class="admin-job failed">{words.downloadFailed(what(job), why)}</li>;
}

/** The downloads of this visit to the screen, newest first; read out as they change. */
export function ExportJobs() {
  const jobs = exportJobs.value;
  if (jobs.length === 0) return null;
  return (
    <section class="admin-jobs" aria-labelledby="admin-jobs-title">
      <h2 id="admin-jobs-title" class="admin-jobs-title">
        {words.downloads}
      </h2>
      <div role="status">
        <ul>
          {jobs.map((j) => (
            <JobLine key={j.id} job={j} />
          ))}
        </ul>
      </div>
    </section>
  );
}

type ExportForm = { chat: string; a: string; b: string; withFiles: boolean };

const LABELS = {
  chat: words.exportChatField,
  a: words.exportDirectA,
  b: words.exportDirectB,
  withFiles: words.exportWithFiles,
} satisfies Record<keyof ExportForm, string>;

export function ExportSection() {
  const [form, setForm] = useState<ExportForm>({ chat: "", a: "", b: "", withFiles: true });
  // A pair that names no chat is said at the first person's field.
  const [problem, setProblem] = useState<{ field: "chat" | "a"; text: string } | null>(null);
  const ref = useRef<HTMLFormElement>(null);
  const problems = problem ? { [problem.field]: problem.text } : {};
  const { text, check } = formFields(form, setForm, LABELS, problems, (key) => `export-${key}`);

  function submit(e: Event) {
    e.preventDefault();
    const { chat, a, b } = form;
    const typed = chat.trim();
    const chatId = typed ? chatIdFrom(typed) : directChatBetween(a, b);
    if (!chatId) {
      setProblem(
        typed || (!a.trim() && !b.trim()) ? { field: "chat", text: words.exportChatWrong } : { field: "a", text: words.exportDirectWrong },
      );
      return focusFirstInvalid(ref.current);
    }
    setProblem(null);
    void exportChat(chatId, form.withFiles);
  }

  return (
    <div class="admin-export">
      <p class="admin-hint">{words.exportHint}</p>
      <form ref={ref} onSubmit={submit} noValidate aria-labelledby="export-chat-title">
        <h2 id="export-chat-title">{words.exportChatTitle}</h2>
        <TextField {...text("chat")} hint={words.exportChatHint} {...asTyped} />
        <fieldset class="admin-fieldset">
          <legend>{words.exportDirectTitle}</legend>
          <div class="admin-grid">
            <TextField {...text("a")} {...asTyped} />
            <TextField {...text("b")} {...asTyped} />
          </div>
        </fieldset>
        <CheckField {...check("withFiles", "export-files")} />
        <FormAlert>{problem?.text ?? null}</FormAlert>
        <div class="admin-actions">
          <button type="submit" class="button">
            {words.exportChat}
          </button>
        </div>
      </form>
      <h2>{words.exportUserTitle}</h2>
      <p class="admin-hint">{words.exportUserHint}</p>
    </div>
  );
}
