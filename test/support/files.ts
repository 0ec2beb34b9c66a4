/**
 * Helpers for the attachment tests (R9): a frozen server started with extra
 * variables (a small upload limit), uploads and downloads over the chat rooms'
 * HTTP routes, and a look into the R2 bucket `partykit dev` persists on disk, so
 * a test can tell that a refused or deleted file left nothing behind.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { frozenServerCode, type TestServer } from "./frozen";
import { http, type Http } from "./clients";

/** One quiet server from a frozen copy, with `vars` added to its secrets. */
export async function startTestServerWith(vars: Record<string, string>): Promise<TestServer> {
  const code = await frozenServerCode();
  const server = await code.startServer({
    quiet: true,
    secrets: {
      CONVERSAS_SESSION_SECRET: randomBytes(24).toString("base64url"),
      CONVERSAS_ADMIN_KEY: randomBytes(24).toString("base64url"),
      ...vars,
    },
  });
  const stop = server.stop.bind(server);
  return {
    ...server,
    async stop() {
      await stop();
      code.remove();
    },
  };
}

export type Upload = Http;

/** POSTs bytes to a chat room's /files, as the web client does. */
export async function upload(
  base: string,
  roomId: string,
  token: string | null,
  bytes: Uint8Array,
  name: string,
  contentType = "application/octet-stream",
): Promise<Upload> {
  const headers: Record<string, string> = { "content-type": contentType, "x-file-name": encodeURIComponent(name) };
  if (token) headers.authorization = `Bearer ${token}`;
  return http(`${base}/parties/chat/${roomId}/files`, { method: "POST", headers, body: bytes as Uint8Array<ArrayBuffer> });
}

export function fileUrl(base: string, roomId: string, fileId: string, token?: string, download = false): string {
  const q = new URLSearchParams();
  if (token) q.set("token", token);
  if (download) q.set("download", "1");
  const qs = q.toString();
  return `${base}/parties/chat/${roomId}/files/${fileId}${qs ? `?${qs}` : ""}`;
}

/** GETs a file; `bytes` only when the server answered 200. */
export async function download(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Sizes of the blobs in the R2 bucket that `partykit dev` persists (miniflare: <persist>/r2/<bucket>/blobs/). */
export function r2Blobs(persist: string): number[] {
  const sizes: number[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (/[/\\]r2[/\\].*[/\\]blobs[/\\]/.test(path)) sizes.push(st.size);
    }
  };
  walk(persist);
  return sizes;
}

/** Bytes that differ in every test, so a download can be matched to its upload. */
export function someBytes(size: number, head = ""): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  bytes.set(randomBytes(size));
  if (head) bytes.set(new TextEncoder().encode(head));
  return bytes;
}
