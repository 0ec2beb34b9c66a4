/**
 * Helpers for the attachment tests (R9): a server started with extra settings
 * (a small upload limit), uploads over the chat rooms' HTTP routes, downloads
 * through the short-lived signed links a member asks for (no session token in
 * any address), and a look into the R2 bucket the runtime persists on disk, so a
 * test can tell that a refused or deleted file left nothing behind.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { http, type Http } from "./clients";
import { startTestServer, type TestServer } from "./server";

/** A test server with `vars` added to its settings. */
export function startTestServerWith(vars: Record<string, string>): Promise<TestServer> {
  return startTestServer({ vars });
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

/** Signed links to files of a chat, as a member asks for them (`POST …/files/links`). */
export async function fileLinks(base: string, roomId: string, token: string | null, fileIds: string[]): Promise<Http> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return http(`${base}/parties/chat/${roomId}/files/links`, { method: "POST", headers, body: JSON.stringify({ fileIds }) });
}

/**
 * Downloads a file as `token`'s user would: asks for its signed link, then GETs it.
 * A refused link request answers with its status; a file the user may not have gets 404.
 */
export async function fetchFile(
  base: string,
  roomId: string,
  fileId: string,
  token: string | null,
  opts: { download?: boolean; init?: RequestInit } = {},
): Promise<{ status: number; headers: Headers; bytes: Buffer; url?: string }> {
  const links = await fileLinks(base, roomId, token, [fileId]);
  if (links.status !== 200) return { status: links.status, headers: new Headers(), bytes: Buffer.alloc(0) };
  const path = links.body.links[fileId] as string | undefined;
  if (!path) return { status: 404, headers: new Headers(), bytes: Buffer.alloc(0) };
  const url = `${base}${path}${opts.download ? "&download=1" : ""}`;
  return { ...(await download(url, opts.init)), url };
}

/** GETs a file; `bytes` only when the server answered 200. */
export async function download(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Sizes of the blobs in the R2 bucket the runtime persists (miniflare: <persist>/v3/r2/<bucket>/blobs/). */
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
