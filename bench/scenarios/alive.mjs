/**
 * Scenario: issue 5's "alive" parts on the real server. Search (R12): one user in
 * C groups of M messages each, filled with pipelined sends of pt-BR sentences
 * (a Zipf-weighted vocabulary, so common words are in thousands of messages and
 * the tail in few, plus planted rare codes); then `search.query` on the app's
 * hub socket → `search.results`: the first query after filling, the first after
 * a server restart (cold: the runtime just started; opening the app starts the
 * hub, the user's room and — for the list's snapshot — the chats, and the first
 * query starts the company's search index), warm queries of mixed kinds, and
 * second pages. Every page is checked against a count made here from the sent
 * texts. Presence (R5): W watchers with the app open (hub sockets); a user opens
 * the app → every watcher has `presence.update` on-line; `presence.leave` +
 * close → every watcher has it off-line (this includes the 400 ms leave grace).
 * The same fan-out to W peers is measured on the raw `ws` baseline (all peers on
 * one path) for the ratios.
 */
import { Peer, nextClientId, openChat, openMany, openSocket } from "../client.mjs";
import { fmt, printTable } from "../report.mjs";
import { importMessages } from "../importer.mjs";
import { ratio, summarize } from "../stats.mjs";

/** LEAVE_GRACE_MS in party/domain/presence.ts: a tab that says it leaves goes off-line after this. */
export const LEAVE_GRACE_MS = 400;

/**
 * Roughly by frequency in contact-center chat: the rank is the position, and a
 * word is drawn with weight 1/rank, so the first ones are in most messages.
 */
const VOCABULARY = `
de que não para com uma por mais como mas cliente pedido hoje você ele isso está pode
atendimento ainda bom dia obrigado favor quando também sobre agora depois pelo pela muito tudo
boleto pagamento fatura sistema protocolo contrato equipe reunião retorno ligação
entrega prazo valor conta cadastro senha acesso chamado problema resolvido aguardando
verificar enviar confirmar preciso consegue alguém amanhã semana mês tarde manhã noite
relatório planilha documento arquivo anexo email telefone ramal fila supervisor gerente
coordenador analista operador escala turno pausa almoço treinamento feedback meta indicador
reclamação cancelamento renovação desconto promoção oferta plano serviço produto estoque
transportadora rastreio nota fiscal cobrança vencimento atraso multa juros parcela cartão
crédito débito transferência pix estorno reembolso troca devolução garantia assistência
técnico visita instalação endereço cep bairro cidade estado número complemento referência
whatsapp webchat mensagem áudio imagem vídeo link site aplicativo portal login usuário
perfil permissão configuração atualização versão erro falha lentidão instabilidade
servidor rede internet conexão queda sinal operadora portabilidade linha chip recarga
saldo consumo franquia dados pacote roaming minutos ligações ilimitado velocidade
modem roteador wifi cabo fibra técnica agendamento reagendar confirmação cancelar
urgente prioridade crítico importante pendente concluído andamento aberto fechado escalado
segunda terça quarta quinta sexta sábado domingo feriado janeiro fevereiro março abril
maio junho julho agosto setembro outubro novembro dezembro trimestre semestre anual
pesquisa satisfação nota avaliação elogio sugestão ouvidoria procon jurídico financeiro
comercial marketing vendas suporte qualidade auditoria monitoria calibração script roteiro
abordagem argumentação objeção negociação acordo proposta orçamento aprovação assinatura
biometria selfie validação identidade fraude segurança bloqueio desbloqueio liberação
migração integração implantação homologação produção teste ambiente backup manutenção
janela indisponível normalizado monitorando incidente causa solução contorno paliativo
pessoal galera turma time colegas lembrete aviso comunicado convite aniversário parabéns
café reuniãozinha alinhamento daily checkpoint pauta ata apresentação slides gráfico
dashboard painel tempo médio espera abandono ocupação produtividade absenteísmo turnover
contratação desligamento férias atestado banco horas ponto folga plantão hora extra
`
  .split(/\s+/)
  .filter(Boolean);

/** Starts each chat's last message (no vowels: no piece of a vocabulary word matches it). */
const SENTINEL = "xqzj";

/** Codes planted in a known number of messages: the "rare word" queries. */
const RARE = ["zq7kvx", "tk4821b", "ornitorrinco", "xilogravura", "ptc90311", "quindim", "ybr2209", "jabuticabal"];
/** Queries no message contains. */
const ABSENT = ["kwyjibo", "zzqxv", "fnord", "blorptz", "qxzw"];

/** Seeded PRNG (mulberry32), so every run sends the same texts. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Same folding and matching rule as party/domain/search.ts, to count the expected hits from the sent texts. */
const fold = (/** @type {string} */ s) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
const termsOf = (/** @type {string} */ q) => [
  ...new Set(
    fold(q)
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean),
  ),
];

/**
 * Draws words of VOCABULARY by Zipf weight (the r-th word 1/r as likely as the first).
 * @param {() => number} random  @returns {() => string}
 */
function wordDrawer(random) {
  const cumulative = [];
  let sum = 0;
  for (let r = 0; r < VOCABULARY.length; r++) cumulative.push((sum += 1 / (r + 1)));
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (/** @type {number} */ (cumulative[mid]) < x) lo = mid + 1;
      else hi = mid;
    }
    return /** @type {string} */ (VOCABULARY[lo]);
  };
}

/**
 * An endless source of seeded pt-BR sentences (6–16 words by Zipf weight), for
 * logs too big to hold their texts in memory (the issue-13 chat).
 * @param {number} seed  @returns {() => string}
 */
export function sentenceMaker(seed) {
  const random = rng(seed);
  const draw = wordDrawer(random);
  return () => {
    const text = Array.from({ length: 6 + Math.floor(random() * 11) }, draw).join(" ");
    return text.charAt(0).toUpperCase() + text.slice(1) + ".";
  };
}

/**
 * The C×M texts: 6–16 words drawn by Zipf weight, a rare code planted at evenly
 * spread positions (each in `rareEach` messages), and a sentence-like capital.
 * @param {number} chats  @param {number} perChat
 */
export function makeCorpus(chats, perChat) {
  const random = rng(20261125);
  const draw = wordDrawer(random);
  const total = chats * perChat;
  const rareEach = Math.max(2, Math.round(total / 4000));
  /** @type {Map<number, string>} message number → planted code */
  const planted = new Map();
  RARE.forEach((code, k) => {
    for (let j = 0; j < rareEach; j++) planted.set(Math.floor(((j + (k + 1) / (RARE.length + 1)) * total) / rareEach), code);
  });
  /** @type {string[][]} */
  const texts = [];
  for (let c = 0; c < chats; c++) {
    const list = [];
    for (let i = 0; i < perChat; i++) {
      const words = Array.from({ length: 6 + Math.floor(random() * 11) }, draw);
      const code = planted.get(c * perChat + i);
      if (code) words.splice(Math.floor(random() * words.length), 0, code);
      const text = words.join(" ");
      list.push(text.charAt(0).toUpperCase() + text.slice(1) + (random() < 0.3 ? "?" : "."));
    }
    texts.push(list);
  }
  return { texts, rareEach, folded: texts.flat().map(fold) };
}

/**
 * The mixed queries, `count` of them, cycling through the kinds.
 * @param {number} count
 * @returns {{ kind: string, q: string }[]}
 */
export function makeQueries(count) {
  const long = VOCABULARY.filter((w) => w.length >= 9);
  const common = VOCABULARY.slice(8, 70).filter((w) => w.length >= 4);
  /** @type {Record<string, (i: number) => string>} */
  const kinds = {
    common: (i) => /** @type {string} */ (common[(i * 7) % common.length]),
    rare: (i) => /** @type {string} */ (RARE[i % RARE.length]),
    // A piece from inside a long word ("endim" of "atendimento"): the substring match, not the word start.
    substring: (i) => {
      const w = /** @type {string} */ (long[(i * 5) % long.length]);
      return w.slice(2, 7);
    },
    twoWords: (i) => `${common[(i * 3) % common.length]} ${common[(i * 11 + 5) % common.length]}`,
    none: (i) => /** @type {string} */ (ABSENT[i % ABSENT.length]),
  };
  const names = Object.keys(kinds);
  return Array.from({ length: count }, (_, i) => {
    const kind = /** @type {string} */ (names[i % names.length]);
    return { kind, q: /** @type {(i: number) => string} */ (kinds[kind])(Math.floor(i / names.length)) };
  });
}

/** @param {string[]} folded  @param {string} q  @returns {number} messages holding every query word */
function expectedHits(folded, q) {
  const terms = termsOf(q);
  let n = 0;
  for (const t of folded) if (terms.every((term) => t.includes(term))) n++;
  return n;
}

/**
 * One search round trip on the user's socket.
 * @param {Peer} peer  @param {string} q  @param {number} offset  @param {number} timeoutMs
 */
async function searchOnce(peer, q, offset, timeoutMs) {
  const got = peer.waitFor(
    (f) => f.type === "search.results" && f.q === q && f.offset === offset,
    timeoutMs,
    `search.results ${q}@${offset}`,
  );
  const t0 = performance.now();
  peer.send({ type: "search.query", q, offset });
  const frame = await got;
  return { ms: performance.now() - t0, hits: /** @type {unknown[]} */ (frame.hits).length, hasMore: Boolean(frame.hasMore) };
}

/**
 * Polls the search until every chat's sentinel is found (one per chat: the page
 * at offset chats − 1 has a hit), so the index has every chat whole.
 * @param {Peer} peer  @param {number} chats  @param {number} timeoutMs  @returns {Promise<number>} when it was found
 */
async function untilIndexed(peer, chats, timeoutMs) {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    const r = await searchOnce(peer, SENTINEL, chats - 1, timeoutMs);
    if (r.hits >= 1) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the search index did not have all ${chats} chats within ${timeoutMs} ms`);
}

/**
 * Waits until the user's conversation list shows each chat's last message
 * (`lastSeqs`: chatId → seq). Search asks only the chats in the list, and the
 * chats' pushes to the list run behind the acks of a fast fill.
 * @param {Peer} peer  @param {import("../client.mjs").Frame} snapshot  @param {Map<string, number>} lastSeqs  @param {number} timeoutMs
 */
async function untilListCurrent(peer, snapshot, lastSeqs, timeoutMs) {
  const behind = new Map(lastSeqs);
  /** @param {any} c  a conversation summary */
  const see = (c) => {
    if ((c.lastMessage?.seq ?? 0) >= (behind.get(c.chatId) ?? Infinity)) behind.delete(c.chatId);
  };
  snapshot.conversations.forEach(see);
  if (behind.size === 0) return;
  await peer.waitFor(
    (f) => {
      if (f.type === "inbox.update") see(f.conversation);
      return behind.size === 0;
    },
    timeoutMs,
    `${behind.size} chats current in the conversation list`,
  );
}

/**
 * @typedef {{ chats: number, perChat: number, fillChatsAtOnce: number, warmQueries: number,
 *   pageReps: number, watchers: number, presenceReps: number, timeoutMs: number, closeGraceMs: number }} AliveParams
 * @typedef {import("../conversas.mjs").Target} Target
 * @typedef {{ base: string, wsBase: string, adminKey?: string }} Server
 */

/**
 * The search half. `restart` stops the server and starts it again on the same
 * state (same secrets: tokens stay valid) and points `target` at it; without it
 * there is no cold figure.
 * @param {Target} target  @param {AliveParams} p  @param {(() => Promise<Server>) | null} restart
 */
async function measureSearch(target, p, restart) {
  await target.users(["alive-searcher", "alive-peer"]);
  /** @type {string[]} */
  const chatIds = [];
  for (let i = 0; i < p.chats; i += 10)
    chatIds.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(10, p.chats - i) }, (_, k) => target.createGroup("alive-searcher", ["alive-peer"], `Busca ${i + k}`)),
      )),
    );
  const corpus = makeCorpus(p.chats, p.perChat);
  // Each chat ends with a sentinel no query matches: once every chat's is found, the index has every chat whole.
  const texts = corpus.texts.map((list, c) => [...list, `${SENTINEL}${c}k controle`]);
  const folded = texts.flat().map(fold);
  const fillStart = performance.now();
  let next = 0;
  /** @type {Map<string, number>} */
  const lastSeqs = new Map();
  const filler = async () => {
    while (next < chatIds.length) {
      const c = next++;
      const chatId = /** @type {string} */ (chatIds[c]);
      const list = /** @type {string[]} */ (texts[c]);
      const done = await importMessages(target.server, target.tenant, chatId, {
        count: list.length,
        text: (i) => /** @type {string} */ (list[i]),
        senders: ["alive-searcher", "alive-peer"],
      });
      lastSeqs.set(chatId, done.lastSeq);
    }
  };
  await Promise.all(Array.from({ length: p.fillChatsAtOnce }, filler));
  const fillEnd = performance.now();
  const fillSeconds = (fillEnd - fillStart) / 1000;
  const total = p.chats * p.perChat;

  const queries = makeQueries(p.warmQueries);
  const firstQ = /** @type {{ q: string }} */ (queries[0]).q;
  let user = await openSocket(await target.app("alive-searcher"), "inbox.snapshot", p.timeoutMs);
  await untilListCurrent(user.peer, user.first, lastSeqs, Math.max(p.timeoutMs, total));
  const listLagMs = performance.now() - fillEnd;
  const indexLagMs = (await untilIndexed(user.peer, p.chats, Math.max(p.timeoutMs, total))) - fillEnd;
  const afterFill = await searchOnce(user.peer, firstQ, 0, p.timeoutMs * 4);
  /** @type {{ openMs: number, ms: number, secondMs: number } | null} */
  let cold = null;
  if (restart) {
    user.peer.send({ type: "presence.leave" });
    await user.peer.close(p.closeGraceMs);
    target.moveTo(await restart());
    user = await openSocket(await target.app("alive-searcher"), "inbox.snapshot", p.timeoutMs);
    const first = await searchOnce(user.peer, firstQ, 0, p.timeoutMs * 4);
    const second = await searchOnce(user.peer, firstQ, 0, p.timeoutMs);
    cold = { openMs: user.ms, ms: first.ms, secondMs: second.ms };
  }
  /** @type {Map<string, number>} */
  const expected = new Map();
  const expect = (/** @type {string} */ q) => {
    if (!expected.has(q)) expected.set(q, expectedHits(folded, q));
    return /** @type {number} */ (expected.get(q));
  };
  /** @type {string[]} */
  const mismatches = [];
  /** @param {string} q  @param {number} offset  @param {{ hits: number, hasMore: boolean }} r */
  const check = (q, offset, r) => {
    const n = expect(q);
    const want = Math.max(0, Math.min(20, n - offset));
    if (r.hits !== want || r.hasMore !== n > offset + 20)
      mismatches.push(`"${q}"@${offset}: ${r.hits} hits, hasMore ${r.hasMore}; the log has ${n} matching`);
  };
  check(firstQ, 0, afterFill);
  /** @type {Record<string, number[]>} */
  const byKind = {};
  /** @type {number[]} */
  const warm = [];
  /** @type {{ kind: string, q: string, ms: number, matching: number, returned: number }[]} */
  const runs = [];
  for (const { kind, q } of queries) {
    const r = await searchOnce(user.peer, q, 0, p.timeoutMs);
    check(q, 0, r);
    warm.push(r.ms);
    (byKind[kind] ??= []).push(r.ms);
    runs.push({ kind, q, ms: Math.round(r.ms * 1000) / 1000, matching: expect(q), returned: r.hits });
  }
  /** @type {number[]} */
  const page2 = [];
  const common = queries.filter((x) => x.kind === "common");
  for (let i = 0; i < p.pageReps; i++) {
    const q = /** @type {{ q: string }} */ (common[i % common.length]).q;
    const r = await searchOnce(user.peer, q, 20, p.timeoutMs);
    check(q, 20, r);
    page2.push(r.ms);
  }
  user.peer.send({ type: "presence.leave" });
  await user.peer.close(p.closeGraceMs);
  /** @type {Record<string, { ms: ReturnType<typeof summarize>, matching: ReturnType<typeof summarize> }>} */
  const kinds = {};
  for (const [kind, ms] of Object.entries(byKind))
    kinds[kind] = { ms: summarize(ms), matching: summarize(runs.filter((r) => r.kind === kind).map((r) => r.matching)) };
  return {
    search: {
      chats: p.chats,
      messages: total,
      rareEach: corpus.rareEach,
      fill: { seconds: Math.round(fillSeconds * 1000) / 1000, msgsPerSec: Math.round(total / fillSeconds) },
      /** From the last ack to the user's list showing every chat's last message (the unread pushes draining). */
      listCurrentAfterFillMs: Math.round(listLagMs),
      /** From the last import to the company's index having every chat's last message. */
      indexCurrentAfterFillMs: Math.round(indexLagMs),
      firstAfterFillMs: Math.round(afterFill.ms * 1000) / 1000,
      firstQuery: firstQ,
      cold,
      warmMs: summarize(warm),
      kinds,
      secondPageMs: summarize(page2),
      mismatches,
      checkedPages: 1 + runs.length + page2.length,
      queries: runs,
    },
  };
}

/**
 * Sends one baseline message and resolves with each other peer's delay.
 * @param {Peer} sender  @param {Peer[]} others  @param {number} timeoutMs
 */
function baselineBroadcast(sender, others, timeoutMs) {
  const clientId = nextClientId();
  const t0 = performance.now();
  const arrivals = others.map((o) =>
    o
      .waitFor((f) => f.type === "message.new" && f.message.clientId === clientId, timeoutMs, `message.new ${clientId}`)
      .then(() => performance.now() - t0),
  );
  sender.send({ type: "message.send", clientId, text: "presence" });
  return Promise.all(arrivals);
}

/**
 * The presence half, and the same fan-out on the baseline.
 * @param {Target} target  @param {string} baselineWsBase  @param {AliveParams} p
 */
async function measurePresence(target, baselineWsBase, p) {
  const watcherIds = Array.from({ length: p.watchers }, (_, i) => `alive-w${String(i).padStart(3, "0")}`);
  await target.users(["alive-subject", ...watcherIds]);
  const watchers = await openMany(await Promise.all(watcherIds.map((w) => target.presence(w))), "presence.snapshot", p.timeoutMs);
  const subjectUrl = await target.app("alive-subject");
  /** Each watcher's delay until it has the subject `online`, from `t0ref.t` (set right after subscribing). @param {boolean} online  @param {{ t: number }} t0ref */
  const seenBy = (online, t0ref) =>
    watchers.map((w) =>
      w
        .waitFor(
          (f) => f.type === "presence.update" && f.userId === "alive-subject" && f.online === online,
          p.timeoutMs,
          `presence ${online}`,
        )
        .then(() => performance.now() - t0ref.t),
    );
  /** @type {number[]} */ const onEach = [];
  /** @type {number[]} */ const onLast = [];
  /** @type {number[]} */ const offEach = [];
  /** @type {number[]} */ const offLast = [];
  /** @type {number[]} */ const openMs = [];
  let firstOnlineLastMs = NaN;
  try {
    // Rep 0 starts the user's room: reported on its own, not in the percentiles.
    for (let rep = 0; rep <= p.presenceReps; rep++) {
      const on = { t: 0 };
      const onlineSeen = seenBy(true, on);
      on.t = performance.now();
      const subject = await openSocket(subjectUrl, "inbox.snapshot", p.timeoutMs);
      const onDelays = await Promise.all(onlineSeen);
      const off = { t: 0 };
      const offlineSeen = seenBy(false, off);
      off.t = performance.now();
      subject.peer.send({ type: "presence.leave" });
      await subject.peer.close(p.closeGraceMs);
      const offDelays = await Promise.all(offlineSeen);
      if (rep === 0) {
        firstOnlineLastMs = Math.max(...onDelays);
        continue;
      }
      openMs.push(subject.ms);
      onEach.push(...onDelays);
      onLast.push(Math.max(...onDelays));
      offEach.push(...offDelays);
      offLast.push(Math.max(...offDelays));
    }
  } finally {
    await Promise.all(watchers.map((w) => w.close(p.closeGraceMs)));
  }
  const basePeers = await openMany(
    Array.from({ length: p.watchers + 1 }, () => `${baselineWsBase}/parties/directory/presence-baseline`),
    "chat.ready",
    p.timeoutMs,
  );
  /** @type {number[]} */ const baseEach = [];
  /** @type {number[]} */ const baseLast = [];
  try {
    const [sender, ...others] = basePeers;
    for (let rep = 0; rep <= p.presenceReps; rep++) {
      const delays = await baselineBroadcast(/** @type {Peer} */ (sender), others, p.timeoutMs);
      if (rep === 0) continue;
      baseEach.push(...delays);
      baseLast.push(Math.max(...delays));
    }
  } finally {
    await Promise.all(basePeers.map((x) => x.close(p.closeGraceMs)));
  }
  return {
    watchers: p.watchers,
    reps: p.presenceReps,
    firstOnlineToLastWatcherMs: Math.round(firstOnlineLastMs * 1000) / 1000,
    subjectOpenMs: summarize(openMs),
    onlineEachMs: summarize(onEach),
    onlineLastMs: summarize(onLast),
    offlineEachMs: summarize(offEach),
    offlineLastMs: summarize(offLast),
    offlineFanoutEachMs: summarize(offEach.map((x) => x - LEAVE_GRACE_MS)),
    offlineFanoutLastMs: summarize(offLast.map((x) => x - LEAVE_GRACE_MS)),
    baseline: { eachMs: summarize(baseEach), lastMs: summarize(baseLast) },
  };
}

/**
 * The whole phase: search (with a restart for the cold figure when `restart` is
 * given), then presence on the server as it is afterwards.
 * @param {Target} target  @param {string} baselineWsBase  @param {AliveParams} p
 * @param {(() => Promise<Server>) | null} restart
 */
export async function runAliveBench(target, baselineWsBase, p, restart) {
  const s = await measureSearch(target, p, restart);
  const presence = await measurePresence(target, baselineWsBase, p);
  return { search: s.search, presence };
}

/**
 * The ratios to the baseline that go into the results' `ratios`.
 * @param {Awaited<ReturnType<typeof runAliveBench>>} alive  @param {number} baselineRoundTripP50  send→ack on the ws baseline
 */
export function aliveRatios(alive, baselineRoundTripP50) {
  const pr = alive.presence;
  return {
    searchP50xBaselineRoundTrip: ratio(alive.search.warmMs.p50, baselineRoundTripP50),
    presenceOnlineEachP50xBaseline: ratio(pr.onlineEachMs.p50, pr.baseline.eachMs.p50),
    presenceOnlineLastP50xBaseline: ratio(pr.onlineLastMs.p50, pr.baseline.lastMs.p50),
    presenceOfflineFanoutLastP50xBaseline: ratio(pr.offlineFanoutLastMs.p50, pr.baseline.lastMs.p50),
  };
}

/**
 * Prints the search and presence tables.
 * @param {Awaited<ReturnType<typeof runAliveBench>>} alive  @param {number} baselineRoundTripP50  @param {AliveParams} p
 */
export function printAliveTables(alive, baselineRoundTripP50, p) {
  const s = alive.search;
  const r = aliveRatios(alive, baselineRoundTripP50);
  const row = (/** @type {string} */ label, /** @type {import("../stats.mjs").Summary} */ x, /** @type {string} */ note) => [
    label,
    fmt(x.p50),
    fmt(x.p95),
    fmt(x.max),
    note,
  ];
  const matching = (/** @type {import("../stats.mjs").Summary} */ m) =>
    `messages matching: ${m.min.toLocaleString("en-US")}–${m.max.toLocaleString("en-US")} (median ${m.p50.toLocaleString("en-US")})`;
  printTable(
    `Search (R12): one user in ${s.chats} groups × ${p.perChat} messages (${s.messages.toLocaleString("en-US")}), send→search.results`,
    [
      ["", "p50 ms", "p95 ms", "max ms", ""],
      [
        "fill (import API)",
        `${fmt(s.fill.seconds)} s`,
        "",
        "",
        `${fmt(s.fill.msgsPerSec)} msgs/s, ${p.fillChatsAtOnce} chats at a time; list current ${fmt(s.listCurrentAfterFillMs)} ms, index ${fmt(s.indexCurrentAfterFillMs)} ms after the last import`,
      ],
      ["first search after filling", fmt(s.firstAfterFillMs), "", "", `"${s.firstQuery}": the index is warm from the fill`],
      ...(s.cold
        ? [
            [
              "after a restart: open app→inbox.snapshot",
              fmt(s.cold.openMs),
              "",
              "",
              "hub, user room and (for the snapshot) the chats start",
            ],
            [
              "after a restart: first search (cold)",
              fmt(s.cold.ms),
              "",
              "",
              `the company's index starts (target ≤ 150 ms); next ${fmt(s.cold.secondMs)} ms`,
            ],
          ]
        : []),
      row(
        `${s.warmMs.n} warm queries, mixed`,
        s.warmMs,
        `×${fmt(r.searchP50xBaselineRoundTrip)} baseline round trip (${fmt(baselineRoundTripP50)} ms)`,
      ),
      ...Object.entries(s.kinds).map(([kind, k]) => row(`  ${kind} (${k.ms.n})`, k.ms, matching(k.matching))),
      row(`second page (offset 20, ${s.secondPageMs.n})`, s.secondPageMs, ""),
      [
        "pages checked against the sent texts",
        String(s.checkedPages),
        "",
        "",
        s.mismatches.length ? `${s.mismatches.length} WRONG: ${s.mismatches[0]}` : "all right (hits, hasMore)",
      ],
    ],
  );
  const pr = alive.presence;
  const b = pr.baseline;
  printTable(`Presence (R5): ${pr.watchers} watchers on the hub, ${pr.reps} on-line/off-line cycles of one user`, [
    ["", "p50 ms", "p95 ms", "max ms", "ws baseline p50 (broadcast)", "vs baseline"],
    [...row("open→on-line at each watcher", pr.onlineEachMs, fmt(b.eachMs.p50)), `×${fmt(r.presenceOnlineEachP50xBaseline)}`],
    [...row("open→on-line at the last watcher", pr.onlineLastMs, fmt(b.lastMs.p50)), `×${fmt(r.presenceOnlineLastP50xBaseline)}`],
    [...row("leave→off-line at each (incl. 400 ms)", pr.offlineEachMs, ""), ""],
    [...row("leave→off-line at the last (incl. 400 ms)", pr.offlineLastMs, ""), ""],
    [
      ...row("  fan-out (minus 400 ms), last watcher", pr.offlineFanoutLastMs, fmt(b.lastMs.p50)),
      `×${fmt(r.presenceOfflineFanoutLastP50xBaseline)}`,
    ],
    [...row("user socket open→inbox.snapshot", pr.subjectOpenMs, ""), ""],
    ["first on-line (room starting), last watcher", fmt(pr.firstOnlineToLastWatcherMs), "", "", "", ""],
  ]);
}
