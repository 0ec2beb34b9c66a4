/**
 * sip.js's WebSocket transport, signing in with a one-time ticket (issue 12.1):
 * before each connection — the first, and every reconnection after a drop or a
 * proxy restart — it asks `fresh()` for a new address carrying a new ticket
 * (`wss://sip…/?ticket=…`, redeemed once by the proxy, valid ~30 s). The session
 * token never reaches the sip-proxy.
 */
// The web transport's own module: sip.js's package root builds every namespace object, which the
// on-demand softphone does not need (phone.ts loads only the API layer, for the same reason).
import { Transport } from "sip.js/lib/platform/web/transport/transport.js";

/** The transport class to give sip.js's UserAgent (`transportConstructor`). */
export function ticketTransport(fresh: () => Promise<string>): typeof Transport {
  return class TicketTransport extends Transport {
    override async connect(): Promise<void> {
      (this as unknown as { configuration: { server: string } }).configuration.server = await fresh();
      return super.connect();
    }
  };
}

/** The proxy's address with a ticket: `url` as the platform served it, `?ticket=` added. */
export function ticketUrl(url: string, ticket: string): string {
  const u = new URL(url);
  u.searchParams.set("ticket", ticket);
  return u.toString();
}
