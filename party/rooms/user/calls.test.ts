/**
 * The user room's call log over an in-memory storage with Durable Object list
 * semantics: a retried report stores once, and paging through any filter and
 * search returns exactly what a from-scratch sort and filter of all records gives.
 */
import { describe, expect, it } from "vitest";
import type { CallHistoryEntry, CallRecord, CallFilter, CallsServerFrame } from "../../protocol";
import { historyEntry, matches } from "../domain/calls";
import { CallLog } from "./call-log";
import type { RoomHost, Storage } from "./host";

function memoryStorage(): Storage & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const s = {
    data,
    async get(key: string) {
      return data.get(key);
    },
    async put(key: string | Record<string, unknown>, value?: unknown) {
      if (typeof key === "string") data.set(key, structuredClone(value));
      else for (const [k, v] of Object.entries(key)) data.set(k, structuredClone(v));
    },
    async delete(key: string) {
      return data.delete(key);
    },
    async list(o: { prefix?: string; start?: string; end?: string; reverse?: boolean; limit?: number } = {}) {
      let keys = [...data.keys()].sort();
      keys = keys.filter((k) => (!o.prefix || k.startsWith(o.prefix)) && (!o.start || k >= o.start) && (!o.end || k < o.end));
      if (o.reverse) keys.reverse();
      if (o.limit) keys = keys.slice(0, o.limit);
      return new Map(keys.map((k) => [k, structuredClone(data.get(k))]));
    },
  };
  return s as unknown as Storage & { data: Map<string, unknown> };
}

const NAMES = [
  { id: "bruno", name: "Bruno Lima" },
  { id: "carla", name: "Carla Dias" },
  { id: "joao", name: "João Pereira" },
];

function hostFor(storage: Storage): RoomHost {
  return {
    id: "demo.ana",
    storage,
    config: {} as RoomHost["config"],
    files: null,
    sockets: () => [],
    waitUntil: () => undefined,
    call: async () => new Response(JSON.stringify({ users: NAMES }), { headers: { "content-type": "application/json" } }),
  };
}

const post = (record: unknown) => new Request("http://x/calls", { method: "POST", body: JSON.stringify(record) });

function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function randomRecord(rand: () => number, i: number): CallRecord {
  const pick = Math.floor(rand() * 5);
  const other = pick < 3 ? { userId: NAMES[pick]!.id, number: `200${pick}` } : { userId: null, number: `+55113000${pick}${i % 10}` };
  const out = rand() < 0.5;
  const answered = rand() < 0.6;
  const endedAt = 1_700_000_000_000 + Math.floor(rand() * 50) * 1000;
  return {
    callId: `call-${i}@h`,
    tenant: "demo",
    caller: out ? { userId: "ana", number: "2001" } : other,
    callee: out ? other : { userId: "ana", number: "2001" },
    parties: [{ userId: "ana", direction: out ? "outbound" : "inbound" }],
    answered,
    startedAt: endedAt - 5000,
    answeredAt: answered ? endedAt - 4000 : null,
    endedAt,
    endReason: answered ? "caller-hangup" : "cancelled",
  };
}

describe("call log", () => {
  it("R27: a retried report is stored once; a record for someone else is refused", async () => {
    const storage = memoryStorage();
    const log = new CallLog(hostFor(storage), "demo", "ana");
    const r = randomRecord(rng(1), 1);
    const first = await log.store(post(r));
    const again = await log.store(post(r));
    expect(await first.response.json()).toEqual({ ok: true, stored: true });
    expect(first.entry?.callId).toBe(r.callId);
    expect(await again.response.json()).toEqual({ ok: true, stored: false });
    expect(again.entry).toBeNull();
    const other = await log.store(post({ ...r, callId: "x", parties: [{ userId: "bruno", direction: "inbound" }] }));
    expect(other.response.status).toBe(400);
    const broken = await log.store(post({ ...r, callId: 5 }));
    expect(broken.response.status).toBe(400);
    expect([...storage.data.keys()].filter((k) => k.startsWith("call:"))).toHaveLength(1);
  });

  it("R27, R28: paging any filter and search equals sorting and filtering all records from scratch", async () => {
    const rand = rng(7);
    const storage = memoryStorage();
    const log = new CallLog(hostFor(storage), "demo", "ana");
    const records: CallRecord[] = [];
    for (let i = 0; i < 300; i++) {
      const r = randomRecord(rand, i);
      records.push(r);
      await log.store(post(r));
      if (rand() < 0.1) await log.store(post(r));
    }
    const nameOf = (id: string) => NAMES.find((n) => n.id === id)?.name;
    const all = records.map((r) => historyEntry(r, "ana")!).sort((a, b) => b.endedAt - a.endedAt || (a.callId < b.callId ? 1 : -1));
    const filters: CallFilter[] = ["all", "answered", "initiated", "missed"];
    for (const query of ["", "carla", "joão", "3000", "zz"]) {
      for (const filter of filters) {
        const want = all.filter((e) => matches(e, filter, query, nameOf));
        const got: CallHistoryEntry[] = [];
        let before: string | undefined;
        const limit = 1 + Math.floor(rand() * 40);
        for (let pages = 0; pages < 400; pages++) {
          const page = (await log.page(filter, query, before, limit, 1_700_000_100_000)) as Extract<
            CallsServerFrame,
            { type: "calls.page" }
          >;
          expect(page.entries.length).toBeLessThanOrEqual(limit);
          expect(page.frequent !== undefined).toBe(before === undefined);
          got.push(...page.entries);
          if (!page.next) break;
          before = page.next;
        }
        expect(got.map((e) => e.callId)).toEqual(want.map((e) => e.callId));
      }
    }
  });
});
