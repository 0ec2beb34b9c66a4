/**
 * Real SIP peers for the SIP tests, started on 127.0.0.1 by the tests themselves
 * from config files written into a temporary folder: Kamailio as the company PBX
 * stand-in (registrar, record-routing proxy, digest on REGISTER and INVITE with
 * plaintext passwords in the script) and baresip as a desk phone that answers by
 * itself. Each is started in its own process group and only that group is ever
 * signalled.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "./support";
import { tempDir } from "../../tools/dev/runtime.mjs";
import { freePort } from "../../tools/dev/process.mjs";

export type Peer = { port: number; log(): string; stop(): Promise<void> };

function run(
  cmd: string,
  args: string[],
  cwd: string,
): { child: ChildProcess; failed(): string | null; log(): string; stop(): Promise<void> } {
  const child = spawn(cmd, args, { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let spawnError: string | null = null;
  // A missing program fails the test at once with its name, not after a time-out.
  child.on("error", (e) => (spawnError = `${cmd}: ${e.message} (apt-get install ${cmd})`));
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => child.once("exit", r));
  return {
    child,
    failed: () => spawnError ?? (child.exitCode !== null ? `${cmd} exited ${child.exitCode}:\n${out}` : null),
    log: () => out,
    async stop() {
      if (spawnError || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
      await exited;
    },
  };
}

/** Where Debian put Kamailio's modules (the multiarch folder depends on the machine). */
function kamailioModules(): string {
  const candidates = readdirSync("/usr/lib")
    .map((d) => `/usr/lib/${d}/kamailio/modules`)
    .concat("/usr/lib/kamailio/modules");
  const found = candidates.find((d) => existsSync(`${d}/tm.so`));
  if (!found) throw new Error("kamailio modules not found (apt-get install kamailio)");
  return found;
}

export type KamailioOptions = {
  port: number;
  /** Extension → plaintext password; REGISTER and INVITE from others get 403. */
  users: Record<string, string>;
  /** Digest algorithm of the challenge (RFC 8760): "MD5" (default) or "SHA-256". */
  algorithm?: "MD5" | "SHA-256";
  /** A challenge header put above kamailio's own, in the order a PBX states its preference. */
  extraChallenge?: string;
};

/**
 * Kamailio as the PBX: registrar (usrloc in memory), digest with `pv_auth_check`
 * against the passwords in `users`, Record-Route on INVITEs, and in-dialog
 * requests only through `loose_route()` — one without its route set gets 404, as
 * from an SBC that record-routes. Every request and reply is logged ("kam: …").
 */
export async function startKamailio(o: KamailioOptions): Promise<Peer> {
  const dir = tempDir("kamailio-");
  const passwords = Object.entries(o.users)
    .map(([ext, pw]) => `  if ($fU == "${ext}") $var(pw) = "${pw}";`)
    .join("\n");
  // auth_challenge answers REGISTER 401 (WWW-Authenticate) and anything else 407 (Proxy-Authenticate); so does this.
  const extra = (o.extraChallenge ?? "").replace(/"/g, '\\"');
  const challenge = o.extraChallenge
    ? `auth_get_www_authenticate("$fd", "1", "$var(hdr)");
    if (is_method("REGISTER")) {
      append_to_reply("WWW-Authenticate: ${extra}\\r\\n$var(hdr)");
      send_reply("401", "Unauthorized");
    } else {
      $var(hdr) = $(var(hdr){s.replace,WWW-Authenticate,Proxy-Authenticate});
      append_to_reply("Proxy-Authenticate: ${extra}\\r\\n$var(hdr)");
      send_reply("407", "Proxy Authentication Required");
    }`
    : `auth_challenge("$fd", "1");`;
  writeFileSync(
    join(dir, "kamailio.cfg"),
    `#!KAMAILIO
debug=2
log_stderror=yes
children=2
tcp_children=1
listen=udp:127.0.0.1:${o.port}
listen=tcp:127.0.0.1:${o.port}
mpath="${kamailioModules()}/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "auth.so"
loadmodule "kex.so"
loadmodule "corex.so"
modparam("usrloc", "db_mode", 0)
modparam("auth", "algorithm", "${o.algorithm === "SHA-256" ? "SHA-256" : ""}")
request_route {
  xlog("L_INFO", "kam: $rm $ru from $si:$sp cseq=$cs expires=$hdr(Expires) contact=$hdr(Contact) route=$hdr(Route) auth=$hdr(Authorization)\\n");
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  if (has_totag()) {
    if (loose_route()) { route(RELAY); exit; }
    if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
    xlog("L_INFO", "kam: in-dialog $rm without its route set: 404\\n");
    sl_send_reply("404", "Not here");
    exit;
  }
  if (is_method("CANCEL")) { if (t_check_trans()) route(RELAY); exit; }
  t_check_trans();
  route(AUTH);
  remove_hf("Route");
  if (is_method("INVITE")) record_route();
  if (is_method("REGISTER")) { if (!save("location")) sl_reply_error(); exit; }
  if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
  route(RELAY);
}
route[AUTH] {
  if (!is_method("REGISTER|INVITE")) return;
  $var(pw) = "";
${passwords}
  if ($var(pw) == "") { sl_send_reply("403", "Forbidden"); exit; }
  if (!pv_auth_check("$fd", "$var(pw)", "0", "1")) {
    xlog("L_INFO", "kam: challenge $rm from $fU\\n");
    ${challenge}
    exit;
  }
  xlog("L_INFO", "kam: authenticated $rm from $fU\\n");
  consume_credentials();
}
route[RELAY] { if (!t_relay()) sl_reply_error(); exit; }
onreply_route { xlog("L_INFO", "kam: reply $rs $rr for $rm cseq=$cs\\n"); }
`,
  );
  const p = run("kamailio", ["-DD", "-E", "-m", "32", "-M", "4", "-f", "kamailio.cfg", "-P", join(dir, "kamailio.pid"), "-Y", dir], dir);
  await waitFor("kamailio listening", () => p.log().includes("SO_RCVBUF is finally") || p.failed(), 10_000);
  if (p.failed()) throw new Error(p.failed()!);
  return { port: o.port, log: p.log, stop: p.stop };
}

/**
 * A port for baresip: it listens on `sip_listen` (UDP and TCP) and also takes the
 * next port for SIP/TLS, which this baresip cannot be told not to, so both must be free.
 */
export function baresipPort(): Promise<number> {
  return freePort(2);
}

export type BaresipOptions = {
  /** From `baresipPort()`: the next port is taken too. */
  port: number;
  extension: string;
  password: string;
  /** The registrar (the PBX) as host:port. */
  registrar: string;
  /** `srtp-mand`: only calls with SDES-SRTP (RTP/SAVP with a=crypto) are answered. */
  mediaenc?: string;
};

/** baresip as a desk phone: registers `extension` at the PBX and answers every call by itself. */
export async function startBaresip(o: BaresipOptions): Promise<Peer & { registered(): boolean }> {
  const dir = tempDir("baresip-");
  writeFileSync(
    join(dir, "config"),
    [
      "poll_method epoll",
      `sip_listen 127.0.0.1:${o.port}`,
      "audio_player aufile,/dev/null",
      "audio_source ausine,440",
      // ausine only makes 48 kHz; baresip resamples to the codec.
      "ausrc_srate 48000",
      "auplay_srate 48000",
      "ausrc_channels 2",
      "auplay_channels 2",
      "audio_alert aufile,/dev/null",
      "module_path /usr/lib/baresip/modules",
      "module g711.so",
      "module ausine.so",
      "module aufile.so",
      "module srtp.so",
      "module_app account.so",
      "module_app menu.so",
      "",
    ].join("\n"),
  );
  const params = [`auth_pass=${o.password}`, "answermode=auto", "regint=300", "audio_codecs=PCMU,PCMA"];
  if (o.mediaenc) params.push(`mediaenc=${o.mediaenc}`);
  writeFileSync(join(dir, "accounts"), `<sip:${o.extension}@${o.registrar}>;${params.join(";")}\n`);
  const p = run("baresip", ["-f", dir], dir);
  const registered = () => /200 OK .*\[1 binding\]/.test(p.log());
  await waitFor("baresip registered", () => registered() || p.failed(), 10_000);
  if (p.failed()) throw new Error(p.failed()!);
  return { port: o.port, log: p.log, stop: p.stop, registered };
}
