import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { signToken } from '../../infra/local/jwt.ts';
import { benchRuntime } from './bench-runtime.ts';
import { send } from './http.ts';
import { measure } from './stats.ts';

export interface SearchQueryFigures {
  name: string;
  q: string;
  hits: number;
  p50: number;
  p99: number;
}

export interface SearchFigures {
  tickets: number;
  loadMs: number;
  indexedMs: number;
  entries: number;
  messages: number;
  /** Write units the index spent on those messages: word entries added, and the ticket's own list rewritten (per started KiB). */
  writeUnitsPerMessage: number;
  entriesPerMessage: number;
  queries: SearchQueryFigures[];
}

/** A vocabulary with a long tail, as support text has: a few words everywhere, most rare. */
const vocabulary = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}x`);
const wordAt = (random: number) => vocabulary[Math.floor(vocabulary.length * random ** 3)]!;
const sentence = (random: () => number, words: number) => Array.from({ length: words }, () => wordAt(random())).join(' ');

/** A seeded generator: the same tickets on every run. */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

const sizeOf = (item: Record<string, AttributeValue>) => Buffer.byteLength(JSON.stringify(item));

/**
 * Search on the local runtime over 10,000 tickets: opened over HTTP (a subject of 6 words and a
 * description of 30 from the vocabulary, one unique code word each, some Chinese), indexed by the
 * indexer from the tenant log; then 200 messages to measure what the index writes per message;
 * then each query 200 times at one client.
 */
export async function searchBench(endpoint: string, tickets = 10_000): Promise<SearchFigures> {
  const { runtime, secret } = await benchRuntime(endpoint, 'bench-search');
  try {
    const { url, deps } = runtime.endpoints[0]!;
    const token = await signToken(secret, { tenant: 'bench-search', roles: ['agent'], sub: 'bench' });
    const random = seeded(20261201);
    const ids: string[] = [];
    const started = performance.now();
    await measure(tickets, 16, async (i) => {
      const chinese = i % 10 === 0 ? ' 我想申请退款，订单没有到' : '';
      const reply = await send(`${url}/v1/tickets`, 'POST', token, {
        subject: `${sentence(random, 6)} code${i}`,
        description: `${sentence(random, 30)}${chinese}`,
        channel: 'email',
        requester: { email: `customer${i % 2000}@example.de`, name: 'Anna Schmidt', country: 'DE' },
      });
      if (reply.status !== 201) throw new Error(`POST /v1/tickets answered ${reply.status}: ${reply.body}`);
      ids[i] = (JSON.parse(reply.body) as { id: string }).id;
    });
    const loadMs = Math.round(performance.now() - started);
    await indexed(deps, tickets);
    const indexedMs = Math.round(performance.now() - started - loadMs);

    // Messages to tickets already indexed: what the index writes for each.
    const before = await searchItems(deps);
    const messages = 200;
    for (let i = 0; i < messages; i++) {
      const reply = await send(`${url}/v1/tickets/${ids[i * 37]}/messages`, 'POST', token, { body: sentence(random, 40), from: 'agent' });
      if (reply.status !== 201) throw new Error(`POST messages answered ${reply.status}`);
    }
    await indexed(deps, tickets, messages);
    const after = await searchItems(deps);
    const added = [...after.keys()].filter((key) => !before.has(key)).length;
    const listUnits = [...after]
      .filter(([key, item]) => key.startsWith('t#') && sizeOf(item) !== sizeOf(before.get(key) ?? {}))
      .reduce((sum, [, item]) => sum + Math.ceil(sizeOf(item) / 1024), 0);

    const queries = [
      { name: 'a unique word (1 ticket)', q: 'code4242' },
      { name: 'a common word', q: vocabulary[0]! },
      { name: 'a mid-frequency word', q: vocabulary[400]! },
      { name: 'two words, common and mid', q: `${vocabulary[0]} ${vocabulary[400]}` },
      { name: 'Chinese, no spaces (1,000 tickets)', q: '退款' },
    ];
    const figures: SearchQueryFigures[] = [];
    for (const { name, q } of queries) {
      let hits = 0;
      const latency = await measure(200, 1, async () => {
        const reply = await send(`${url}/v1/search?q=${encodeURIComponent(q)}&limit=25`, 'GET', token);
        if (reply.status !== 200) throw new Error(`GET /v1/search answered ${reply.status}: ${reply.body}`);
        hits = (JSON.parse(reply.body) as { items: unknown[] }).items.length;
      });
      figures.push({ name, q, hits, p50: latency.p50, p99: latency.p99 });
    }
    return {
      tickets,
      loadMs,
      indexedMs,
      entries: [...after.keys()].filter((key) => key.startsWith('w#')).length,
      messages,
      entriesPerMessage: added / messages,
      writeUnitsPerMessage: (added + listUnits) / messages,
      queries: figures,
    };
  } finally {
    await runtime.stop();
  }
}

async function scanItems(deps: Deps, table: string) {
  const items: Array<Record<string, AttributeValue>> = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await deps.dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function searchItems(deps: Deps) {
  const items = await scanItems(deps, deps.config.searchTable!);
  return new Map(items.map((item) => [`${item.pk!.S}|${item.sk!.S}`, item]));
}

/** Until every ticket's list says it is indexed up to its stream (with `messages` more versions among them). */
async function indexed(deps: Deps, tickets: number, messages = 0) {
  const deadline = Date.now() + 30 * 60_000;
  const wanted = tickets + messages * 2;
  for (;;) {
    const lists = (await scanItems(deps, deps.config.searchTable!)).filter((item) => item.pk!.S!.startsWith('t#'));
    const versions = lists.reduce((sum, item) => sum + Number(item.version?.N ?? 0), 0);
    if (lists.length >= tickets && versions >= wanted) return;
    if (Date.now() > deadline) throw new Error(`the index holds ${lists.length} of ${tickets} tickets after 30 minutes`);
    await new Promise((done) => setTimeout(done, 1000));
  }
}
