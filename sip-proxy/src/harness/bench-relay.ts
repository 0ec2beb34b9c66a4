/**
 * Bench harness only, never shipped (the production bundle is built from
 * src/main.ts and does not contain this file): the real proxy, configured from
 * the environment as usual, except that INVITEs from the PBX side are relayed to
 * `BENCH_RELAY=udp:host:port` instead of a browser. So `bench/scenarios/sip.mjs`
 * can put the whole SIP path (parse, transactions, call table, Via/Record-Route
 * rewriting, serialise) between two UDP peers and time it.
 */
import { readConfig } from "../config";
import { startService } from "../service";
import { routeInvite, firstContactUri, type InviteFacts, type InviteRoute } from "../routing/route-invite";
import * as sip from "../sip/message";
import { jsonLog } from "../log";

const m = /^udp:([0-9.]+):(\d+)$/.exec(process.env.BENCH_RELAY ?? "");
if (!m) {
  console.error("bench relay: BENCH_RELAY=udp:host:port is required");
  process.exit(2);
}
const [host, port] = [m[1]!, Number(m[2])];

function relay(f: InviteFacts): InviteRoute {
  if (f.from.kind === "ws" || !f.pbx) return routeInvite(f);
  const dialled = sip.uriFacts(f.req.uri)?.user ?? "";
  const leg = (peer: InviteFacts["from"], number: string, party: string, contact: string | null) => ({
    peer,
    user: null,
    number,
    party,
    contact,
    cseq: 0,
  });
  return {
    kind: "route",
    tenant: f.pbx.tenant,
    uri: `sip:${dialled}@${host}:${port}`,
    a: leg(f.from, sip.userOf(f.req, "From") ?? "", sip.header(f.req, "From")!, firstContactUri(f.req)),
    b: leg({ kind: "net", transport: "udp", host, port }, dialled, sip.header(f.req, "To")!, null),
  };
}

const service = await startService(readConfig(process.env), { log: jsonLog(), routeInvite: relay });
console.log(`sip-proxy ready ws=${service.wsPort} sip=${service.sipPort} mode=bench-relay`);
process.on("SIGTERM", () => void service.stop().then(() => process.exit(0)));
