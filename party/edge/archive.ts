/**
 * Data leaving and coming back (issue 18.5 export, 18.9 backups): one user's
 * data or one chat as a zip streamed while it is read (zip.ts), the company's
 * backup manifest, and the restore routes `npm run restore` calls. The archive
 * format (README "Exportação") is the same for an export and a backup folder:
 *
 *   chat archive   manifest.json, chat.json (head: kind, members, group, cursors,
 *                  where a retained log starts), messages.json (the log, oldest first),
 *                  files.json (records, each with its path here and a signed link that
 *                  works for a day), shares.json, files/<fileId>, transcripts/<shareId>.json
 *   user archive   manifest.json, profile.json, calls.json (call records),
 *                  messages/<chatId>.json (the user's own messages), files.json (their files)
 */
import * as v from "valibot";
import { EXPORT_VERSION, type ExportManifest } from "../../protocol/admin";
import { CallRecord } from "../../protocol/calls";
import { chatRoomId, isChatId, userRoomId } from "../../protocol/ids";
import { FileRow, ShareRow, UserBackup } from "../../protocol/internal";
import { b64url, hmacSha256 } from "../domain/crypto";
import { EXPORT_LINK_TTL_MS, exportLinkMessage, fileKey } from "../domain/files";
import type { CallRoom } from "../runtime/host";
import { log } from "../runtime/log";
import { errorResponse, json, readBytes, refusalResponse } from "../runtime/respond";
import { transcriptKey } from "../rooms/chat/share";
import { audit } from "./company";
import { T, U, jsonBody, type ApiRoute, type Ctx } from "./route";

/** A restore request's body at most (a page of users, calls or a chat's head and file records). */
const RESTORE_MAX_BYTES = 16 * 1024 * 1024;
import { ZipStream } from "./zip";

const PAGE = 500;
const C = "(?<chatId>[^/]+)";

/** Every chat of the company: those registered with its room, and every user's list (chats older than the register). */
export async function companyChats(call: CallRoom, tenant: string): Promise<string[]> {
  const found = new Set<string>();
  for (let after = ""; ;) {
    const res = await call("tenant.chats", tenant, { after, limit: 5000 });
    if (!res.ok) throw new Error(`tenant.chats: ${res.message}`);
    for (const c of res.value.chatIds) found.add(c);
    if (!res.value.next) break;
    after = res.value.next;
  }
  for (let offset = 0; ; offset += 200) {
    const page = await call("directory.list", tenant, { q: "", offset, limit: 200 });
    if (!page.ok) throw new Error(`directory.list: ${page.message}`);
    const lists = await Promise.all(page.value.users.map((u) => call("user.chatIds", userRoomId(tenant, u.id), {})));
    for (const l of lists) if (l.ok) for (const c of l.value.chatIds) found.add(c);
    if (offset + 200 >= page.value.total) break;
  }
  return [...found].filter(isChatId).sort();
}

function files(ctx: Ctx) {
  const bucket = ctx.env.FILES as R2Bucket | undefined;
  return {
    get: async (key: string) => (bucket ? ((await bucket.get(key)) as R2ObjectBody | null) : null),
    put: async (key: string, body: Uint8Array, contentType: string) => {
      if (!bucket) throw new Error("sem armazenamento de arquivos");
      await bucket.put(key, body, { httpMetadata: { contentType } });
    },
  };
}

function manifest(kind: "user" | "chat", tenant: string, id: string): ExportManifest {
  return { format: "conversas-export", version: EXPORT_VERSION, kind, tenant, id, exportedAt: Date.now() };
}

function download(zip: ZipStream, name: string): Response {
  return new Response(zip.readable, {
    status: 200,
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "private, no-store",
    },
  });
}

/** Runs the archive's writer after the answer has started; a failure ends the download with an error, never a short archive. */
function stream(ctx: Ctx, zip: ZipStream, write: () => Promise<void>): void {
  ctx.waitUntil(
    write()
      .then(() => zip.end())
      .catch((err) => {
        log("error", "export_failed", { requestId: ctx.trace.requestId, tenant: ctx.params.tenant, error: String(err) });
        zip.abort(err);
      }),
  );
}

async function chatArchive(ctx: Ctx): Promise<Response> {
  const tenant = ctx.params.tenant!;
  const chatId = ctx.params.chatId!;
  if (!isChatId(chatId)) return errorResponse("invalid_body", "conversa inválida", "chatId");
  const room = chatRoomId(tenant, chatId);
  const head = await ctx.call("chat.exportHead", room, {});
  if (!head.ok) return refusalResponse(head);
  if (!head.value.exists && head.value.lastSeq === 0) return errorResponse("not_found", "Conversa não encontrada.");
  const withBytes = new URL(ctx.req.url).searchParams.get("files") !== "0";
  await audit(ctx, tenant, ctx.actor!, { action: "export.chat", target: chatId, detail: { files: withBytes } });
  const base = ctx.config.publicUrl ?? new URL(ctx.req.url).origin;
  const zip = new ZipStream();
  stream(ctx, zip, async () => {
    await zip.json("manifest.json", manifest("chat", tenant, chatId));
    await zip.json("chat.json", head.value);
    const messages = zip.text("messages.json");
    await messages.write("[");
    for (let after = 0, first = true; ;) {
      const page = await ctx.call("chat.exportPage", room, { after, limit: PAGE });
      if (!page.ok) throw new Error(`chat.exportPage: ${page.message}`);
      for (const m of page.value.messages) {
        await messages.write(`${first ? "" : ","}\n${JSON.stringify(m)}`);
        first = false;
        after = m.seq;
      }
      if (!page.value.hasMore) break;
    }
    await messages.write("\n]");
    await messages.end();
    const records: (v.InferOutput<typeof FileRow> & { path: string; link: string })[] = [];
    let shares: v.InferOutput<typeof ShareRow>[] = [];
    const expiresAt = Date.now() + EXPORT_LINK_TTL_MS;
    for (let after = ""; ;) {
      const page = await ctx.call("chat.exportFiles", room, { after, limit: PAGE });
      if (!page.ok) throw new Error(`chat.exportFiles: ${page.message}`);
      if (!after) shares = page.value.shares;
      for (const f of page.value.files) {
        const id = f.attachment.fileId;
        const sig = b64url(await hmacSha256(ctx.config.sessionSecret, exportLinkMessage(room, id, expiresAt)));
        const link = `${base}/parties/chat/${encodeURIComponent(room)}/files/${id}?x=${expiresAt}&s=${sig}`;
        records.push({ ...f, path: `files/${id}`, link });
      }
      if (!page.value.next) break;
      after = page.value.next;
    }
    await zip.json("files.json", records);
    await zip.json("shares.json", shares);
    if (!withBytes) return;
    for (const r of records) {
      const object = await files(ctx).get(fileKey(tenant, chatId, r.attachment.fileId));
      if (object) await zip.bytes(r.path, object.body);
    }
    for (const shareId of new Set(shares.map((s) => s.shareId))) {
      const object = await files(ctx).get(transcriptKey(tenant, chatId, shareId));
      if (object) await zip.bytes(`transcripts/${shareId}.json`, object.body);
    }
  });
  return download(zip, `conversa-${chatId}.zip`);
}

async function userArchive(ctx: Ctx): Promise<Response> {
  const tenant = ctx.params.tenant!;
  const userId = ctx.params.userId!;
  const found = await ctx.call("directory.admin", tenant, { userId });
  if (!found.ok) return refusalResponse(found);
  if (!found.value.user) return errorResponse("not_found", "usuário não encontrado");
  const profile = found.value.user;
  const chats = await companyChats(ctx.call, tenant);
  await audit(ctx, tenant, ctx.actor!, { action: "export.user", target: userId });
  const zip = new ZipStream();
  stream(ctx, zip, async () => {
    await zip.json("manifest.json", manifest("user", tenant, userId));
    await zip.json("profile.json", profile);
    const calls = zip.text("calls.json");
    await calls.write("[");
    for (let after: string | undefined, first = true; ;) {
      const page = await ctx.call("user.exportCalls", userRoomId(tenant, userId), { limit: PAGE, ...(after ? { after } : {}) });
      if (!page.ok) throw new Error(`user.exportCalls: ${page.message}`);
      for (const r of page.value.records) {
        await calls.write(`${first ? "" : ","}\n${JSON.stringify(r)}`);
        first = false;
      }
      if (!page.value.next) break;
      after = page.value.next;
    }
    await calls.write("\n]");
    await calls.end();
    const fileList: Record<string, unknown>[] = [];
    for (const chatId of chats) {
      const room = chatRoomId(tenant, chatId);
      let member: ReturnType<ZipStream["text"]> | null = null;
      for (let after = 0; ;) {
        const page = await ctx.call("chat.exportPage", room, { after, limit: PAGE, sender: userId });
        if (!page.ok) throw new Error(`chat.exportPage: ${page.message}`);
        for (const m of page.value.messages) {
          if (!member) {
            member = zip.text(`messages/${chatId}.json`);
            await member.write("[");
          } else await member.write(",");
          await member.write(`\n${JSON.stringify(m)}`);
          if (m.attachment) fileList.push({ chatId, seq: m.seq, createdAt: m.createdAt, ...m.attachment });
          after = m.seq;
        }
        if (!page.value.hasMore) break;
      }
      if (member) {
        await member.write("\n]");
        await member.end();
      }
    }
    await zip.json("files.json", fileList);
  });
  return download(zip, `usuario-${userId}.zip`);
}

const RestoreChatBody = v.object({
  head: v.object({
    kind: v.picklist(["direct", "group"]),
    createdAt: v.number(),
    members: v.array(v.string()),
    base: v.object({ seq: v.number(), ord: v.number() }),
  }),
  files: v.pipe(v.array(FileRow), v.maxLength(1000)),
  shares: v.pipe(v.array(ShareRow), v.maxLength(1000)),
});

export const ARCHIVE_ROUTES: ApiRoute[] = [
  { method: "GET", path: new RegExp(`^/api/tenants/${T}/export/chats/${C}$`), access: "company", handle: chatArchive },
  { method: "GET", path: new RegExp(`^/api/tenants/${T}/export/users/${U}$`), access: "company", handle: userArchive },
  {
    method: "GET",
    path: new RegExp(`^/api/tenants/${T}/backup$`),
    access: "platform",
    // What `npm run backup` starts from: the company, its users (with password hashes) and its chats.
    handle: async (ctx) => {
      const tenant = ctx.params.tenant!;
      const [company, users] = await Promise.all([ctx.call("tenant.get", tenant, {}), ctx.call("directory.backup", tenant, {})]);
      if (!company.ok) return refusalResponse(company);
      if (!users.ok) return refusalResponse(users);
      const chats = await companyChats(ctx.call, tenant);
      await audit(ctx, tenant, ctx.actor!, {
        action: "backup.manifest",
        target: tenant,
        detail: { users: users.value.users.length, chats: chats.length },
      });
      const sso = company.value.sso ? { ...company.value.sso, secretSealed: null } : null;
      return json({
        format: "conversas-backup",
        version: EXPORT_VERSION,
        tenant,
        exportedAt: Date.now(),
        company: company.value.company,
        settings: company.value.settings,
        sso,
        users: users.value.users,
        chats,
      });
    },
  },
  {
    method: "POST",
    path: new RegExp(`^/api/tenants/${T}/restore/users$`),
    access: "platform",
    handle: async (ctx) => {
      const parsed = await jsonBody(ctx, v.object({ users: v.pipe(v.array(UserBackup), v.maxLength(5000)) }), RESTORE_MAX_BYTES);
      if (!parsed.ok) return parsed.response;
      const res = await ctx.call("directory.restore", ctx.params.tenant!, parsed.value);
      if (!res.ok) return refusalResponse(res);
      await audit(ctx, ctx.params.tenant!, ctx.actor!, { action: "restore", target: "users", detail: { users: res.value.restored } });
      return json(res.value);
    },
  },
  {
    method: "POST",
    path: new RegExp(`^/api/tenants/${T}/restore/users/${U}/calls$`),
    access: "platform",
    handle: async (ctx) => {
      const parsed = await jsonBody(ctx, v.object({ records: v.pipe(v.array(CallRecord), v.maxLength(1000)) }), RESTORE_MAX_BYTES);
      if (!parsed.ok) return parsed.response;
      const res = await ctx.call("user.importCalls", userRoomId(ctx.params.tenant!, ctx.params.userId!), parsed.value);
      return res.ok ? json(res.value) : refusalResponse(res);
    },
  },
  {
    method: "POST",
    path: new RegExp(`^/api/tenants/${T}/restore/chats/${C}$`),
    access: "platform",
    // A chat's head and its files' records; the log itself goes through …/chats/{c}/import.
    handle: async (ctx) => {
      const chatId = ctx.params.chatId!;
      if (!isChatId(chatId)) return errorResponse("invalid_body", "conversa inválida", "chatId");
      const parsed = await jsonBody(ctx, RestoreChatBody, RESTORE_MAX_BYTES);
      if (!parsed.ok) return parsed.response;
      const { head, files: rows, shares } = parsed.value;
      const room = chatRoomId(ctx.params.tenant!, chatId);
      const made = await ctx.call("chat.restoreHead", room, {
        ...(head.kind === "direct" ? { direct: { members: head.members, createdAt: head.createdAt } } : {}),
        base: head.base,
      });
      if (!made.ok) return refusalResponse(made);
      const stored = await ctx.call("chat.restoreFiles", room, { files: rows, shares });
      if (!stored.ok) return refusalResponse(stored);
      return json({ lastSeq: made.value.lastSeq, ...stored.value });
    },
  },
  {
    method: "PUT",
    path: new RegExp(`^/api/tenants/${T}/restore/chats/${C}/(?<kind>files|transcripts)/(?<objectId>[A-Za-z0-9._:-]{1,100})$`),
    access: "platform",
    handle: async (ctx) => {
      const { tenant, chatId, kind, objectId } = ctx.params as Record<string, string>;
      if (!isChatId(chatId!)) return errorResponse("invalid_body", "conversa inválida", "chatId");
      const bytes = await readBytes(ctx.req, 1024 * 1024 * 1024);
      if (!bytes) return errorResponse("too_large", "arquivo grande demais");
      const key = kind === "files" ? fileKey(tenant!, chatId!, objectId!) : transcriptKey(tenant!, chatId!, objectId!);
      await files(ctx).put(key, bytes, ctx.req.headers.get("content-type") ?? "application/octet-stream");
      return new Response(null, { status: 204 });
    },
  },
];
