import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { eventsLogged } from '../../functions/shared/ports/tenant-log-store.ts';
import { signToken } from '../../infra/local/jwt.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { benchRuntime } from './bench-runtime.ts';
import { send } from './http.ts';
import { percentiles } from './stats.ts';

/** Write requests per second at the peak scenario's 10x (its mix is half writes: 100 req/s x 50%). */
export const peakWritesPerSecond = 50;

export interface SubscriptionFigures {
  name: string;
  matched: number;
  delivered: number;
  duplicates: number;
  gaps: number;
  lag: { p50: number; p99: number; max: number };
}

export interface PhaseFigures {
  name: string;
  offeredPerSecond: number;
  seconds: number;
  writes: number;
  errors: number;
  /** Changes logged in the phase. */
  events: number;
  /** After the last write's answer: until the tenant log held every event, and until every receiver had every delivery. */
  loggedMs: number;
  drainedMs: number;
  deliveriesPerSecond: number;
  subscriptions: SubscriptionFigures[];
}

export interface WebhookFigures {
  phases: PhaseFigures[];
  replay: { deliveries: number; ms: number; perSecond: number };
}

/**
 * Webhook deliveries on the local runtime (one engine, receivers on 127.0.0.1, all on the same 2
 * cores): three subscriptions of one tenant (every event; TicketOpened only; a pattern for urgent
 * tickets) while tickets are opened and answered open-loop at the peak's 10x; then a replay of
 * the whole log to the first, for the sender's throughput on its own.
 */
export async function webhookBench(endpoint: string, seconds = 30): Promise<WebhookFigures> {
  const { runtime, secret } = await benchRuntime(endpoint, 'bench-webhooks');
  const receivers: WebhookReceiver[] = [];
  try {
    const { url } = runtime.endpoints[0]!;
    const token = await signToken(secret, { tenant: 'bench-hooks', roles: ['integrator'], sub: 'bench' });
    const filters = {
      'every event': ['TicketOpened', 'MessageAdded', 'StatusChanged', 'TicketAssigned', 'PriorityChanged', 'TagsSet', 'SlaTargetsSet'],
      'TicketOpened only': ['TicketOpened'],
      'pattern: urgent opened': { 'detail-type': ['TicketOpened'], detail: { priority: ['urgent'] } },
    };
    const subscriptions: Array<{ name: string; id: string; receiver: WebhookReceiver }> = [];
    for (const [name, events] of Object.entries(filters)) {
      const receiver = await new WebhookReceiver().start();
      receivers.push(receiver);
      const created = await send(`${url}/v1/webhooks`, 'POST', token, { url: receiver.url, events });
      if (created.status !== 201) throw new Error(`POST /v1/webhooks answered ${created.status}: ${created.body}`);
      const body = JSON.parse(created.body) as { id: string; signingSecret: string };
      receiver.secrets.push(body.signingSecret);
      receiver.answer = () => ({ status: 204 });
      subscriptions.push({ name, id: body.id, receiver });
    }

    const phases: PhaseFigures[] = [];
    for (const [name, perSecond, phaseSeconds] of [
      ['steady (1x)', peakWritesPerSecond / 10, seconds],
      ['peak (10x)', peakWritesPerSecond, seconds],
    ] as const) {
      for (const { receiver } of subscriptions) receiver.accepted.length = 0;
      const after = (await allChanges(url, token)).at(-1)?.seq ?? 0;
      const load = await writeOpenLoop(url, token, perSecond, phaseSeconds);
      // What each subscription must get: the phase's changes, once the tenant log holds them all.
      await allLogged(runtime.endpoints[0]!.deps);
      const loggedMs = Date.now() - load.lastAnswer;
      const changes = (await allChanges(url, token)).filter((change) => change.seq > after);
      const want = subscriptions.map((s) => expectedOf(s.name, changes, filters));
      const deadline = Date.now() + 600_000;
      while (subscriptions.some((s, i) => distinct(s.receiver) < want[i]!.length) && Date.now() < deadline)
        await new Promise((wait) => setTimeout(wait, 50));
      const drainedMs = Date.now() - load.lastAnswer;
      phases.push({
        name,
        offeredPerSecond: perSecond,
        seconds: phaseSeconds,
        writes: load.writes,
        errors: load.errors,
        events: changes.length,
        loggedMs,
        drainedMs,
        deliveriesPerSecond:
          (subscriptions.reduce((sum, s) => sum + distinct(s.receiver), 0) / (load.lastAnswer - load.started + drainedMs)) * 1000,
        subscriptions: subscriptions.map(({ name: subscription, receiver }, i) => figuresOf(subscription, receiver, want[i]!)),
      });
    }

    // The sender on its own: the whole log again to the first subscription.
    const first = subscriptions[0]!;
    const before = first.receiver.accepted.length;
    const replayStarted = Date.now();
    await send(`${url}/v1/webhooks/${first.id}/replay`, 'POST', token, { fromSeq: 1 });
    const want = expectedOf(first.name, await allChanges(url, token), filters).length;
    while (first.receiver.accepted.length - before < want && Date.now() - replayStarted < 300_000)
      await new Promise((wait) => setTimeout(wait, 20));
    const replayMs = Date.now() - replayStarted;
    const replayed = first.receiver.accepted.length - before;
    return { phases, replay: { deliveries: replayed, ms: replayMs, perSecond: (replayed / replayMs) * 1000 } };
  } finally {
    await Promise.all(receivers.map((receiver) => receiver.stop()));
    await runtime.stop();
  }
}

interface FeedChange {
  seq: number;
  type: string;
  detail: Record<string, unknown>;
}

async function allChanges(url: string, token: string): Promise<FeedChange[]> {
  const items: FeedChange[] = [];
  let cursor = '';
  for (;;) {
    const page = await send(`${url}/v1/changes?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, 'GET', token);
    const body = JSON.parse(page.body) as { items: FeedChange[]; nextCursor: string; endOfStream: boolean };
    items.push(...body.items);
    cursor = body.nextCursor;
    if (body.endOfStream) return items;
  }
}

const distinct = (receiver: WebhookReceiver) => new Set(receiver.accepted.map((r) => r.body.seq)).size;

function expectedOf(name: string, changes: FeedChange[], filters: Record<string, unknown>) {
  const filter = filters[name];
  if (Array.isArray(filter)) return changes.filter((change) => filter.includes(change.type));
  return changes.filter((change) => change.type === 'TicketOpened' && change.detail.priority === 'urgent');
}

/** Open loop: each write starts on schedule whatever the others do; 40% open a ticket (a 25th urgent), 60% answer one. */
async function writeOpenLoop(url: string, token: string, perSecond: number, seconds: number) {
  const tickets: string[] = [];
  let writes = 0;
  let errors = 0;
  let lastAnswer = 0;
  const started = Date.now();
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < perSecond * seconds; i++) {
    await new Promise((done) => setTimeout(done, Math.max(0, started + (i * 1000) / perSecond - Date.now())));
    const write = async () => {
      const opens = tickets.length === 0 || i % 5 < 2;
      const answer = opens
        ? await send(`${url}/v1/tickets`, 'POST', token, {
            subject: `Order ${i}`,
            description: 'Where is it?',
            channel: 'email',
            priority: i % 25 === 0 ? 'urgent' : 'normal',
            requester: { email: `buyer${i}@example.de`, name: 'B', country: 'DE' },
          })
        : await send(`${url}/v1/tickets/${tickets[i % tickets.length]}/messages`, 'POST', token, { body: `Reply ${i}`, from: 'agent' });
      writes += 1;
      lastAnswer = Date.now();
      if (answer.status !== 201) errors += 1;
      else if (opens) tickets.push((JSON.parse(answer.body) as { id: string }).id);
    };
    inFlight.push(write());
  }
  await Promise.all(inFlight);
  return { writes, errors, started, lastAnswer };
}

function figuresOf(name: string, receiver: WebhookReceiver, expected: FeedChange[]): SubscriptionFigures {
  const seen = new Map<number, number>();
  for (const received of receiver.accepted) seen.set(received.body.seq, (seen.get(received.body.seq) ?? 0) + 1);
  const lags = receiver.accepted.map((r) => r.receivedAt - Date.parse(String((r.body.detail as { occurredAt: string }).occurredAt)));
  const { p50, p99, max } = percentiles(lags);
  return {
    name,
    matched: expected.length,
    delivered: seen.size,
    duplicates: receiver.accepted.length - seen.size,
    gaps: expected.filter((change) => !seen.has(change.seq)).length,
    lag: { p50, p99, max },
  };
}

/** Until the tenant logs hold every stored event (the sequencer has caught up). */
async function allLogged(deps: Deps) {
  for (;;) {
    let stored = 0;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await deps.dynamodb.send(
        new ScanCommand({ TableName: deps.config.eventsTable, Select: 'COUNT', ExclusiveStartKey: start }),
      );
      stored += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    if ((await eventsLogged(deps.tenantLog)) >= stored) return;
    await new Promise((wait) => setTimeout(wait, 200));
  }
}
