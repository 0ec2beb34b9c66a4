/**
 * Exports (issue 18.5): one user's data or one chat as a zip, downloaded with
 * the admin's token (an address alone would not carry it), streamed with its
 * progress, then handed to the browser as a file. Each download can be
 * cancelled; a broken stream is an error, never a short archive saved.
 */
import { signal } from "@preact/signals";
import { fileNameFrom } from "../model/export";
import { download } from "./admin-api";

export type ExportJob = {
  id: number;
  kind: "user" | "chat";
  /** Whose data or which chat (an id), as the list shows it. */
  subject: string;
  state: "running" | "done" | "error" | "cancelled";
  received: number;
  total: number | null;
  fileName: string | null;
  /** "network", "broken" or the server's message. */
  error: string | null;
};

export const exportJobs = signal<ExportJob[]>([]);

const controllers = new Map<number, AbortController>();
let nextId = 1;

function update(id: number, change: Partial<ExportJob>): void {
  exportJobs.value = exportJobs.peek().map((j) => (j.id === id ? { ...j, ...change } : j));
}

/** Hands a finished archive to the browser as a download. */
function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has taken the bytes by the time a task runs again.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

async function run(kind: ExportJob["kind"], subject: string, path: string, fallbackName: string): Promise<ExportJob> {
  const id = nextId++;
  const controller = new AbortController();
  controllers.set(id, controller);
  const job: ExportJob = { id, kind, subject, state: "running", received: 0, total: null, fileName: null, error: null };
  exportJobs.value = [job, ...exportJobs.peek()];
  let last = 0;
  const res = await download(
    path,
    (received, total) => {
      // A re-render per chunk would be wasted work: a few updates a second are plenty.
      const now = performance.now();
      if (now - last > 100) {
        last = now;
        update(id, { received, total });
      }
    },
    controller.signal,
  );
  controllers.delete(id);
  if (res.ok) {
    const fileName = fileNameFrom(res.disposition, fallbackName);
    update(id, { state: "done", received: res.blob.size, fileName });
    save(res.blob, fileName);
  } else if (res.error === "abort") update(id, { state: "cancelled" });
  else update(id, { state: "error", error: res.error });
  return exportJobs.peek().find((j) => j.id === id)!;
}

export const exportUser = (userId: string) => run("user", userId, `/export/users/${encodeURIComponent(userId)}`, `usuario-${userId}.zip`);

export const exportChat = (chatId: string, withFiles = true) =>
  run("chat", chatId, `/export/chats/${encodeURIComponent(chatId)}${withFiles ? "" : "?files=0"}`, `conversa-${chatId}.zip`);

export function cancelExport(id: number): void {
  controllers.get(id)?.abort();
}

/** Leaving the screen (or the session) stops what is still downloading. */
export function leaveExports(): void {
  for (const c of controllers.values()) c.abort();
  controllers.clear();
  exportJobs.value = [];
}
