import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Role } from '../../domain/access.ts';
import { projectionOf } from '../../functions/projector/projections.ts';
import { rebuildViews } from '../../functions/projector/rebuild.ts';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { type Engine, freePort, startEngine } from '../../infra/local/engine.ts';
import { signToken } from '../../infra/local/jwt.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { type FaultCounts, type FaultRates, Faults } from './faults.ts';
import { capturingLogger } from './logs.ts';
import { auditVerify, call, loggedEvents, scanItems } from './runtime.ts';

export interface FaultScenarioOptions {
  clients: number;
  durationMs: number;
  /** Stop each client after this many tickets even before durationMs (tests: a fixed amount of work, whatever the machine's speed). */
  ticketsPerClient?: number;
  /** When the engine is stopped and started again on its port and data (ms into the run); none if unset. */
  restartAtMs?: number;
  rates: FaultRates;
  /** Data-subject access requests filed during the run (each must be fulfilled exactly once). */
  dsars: number;
}

export interface FaultReport {
  requests: number;
  /** Requests that still failed after the client's retries (Retry-After on 503, or a dropped connection). */
  errors: number;
  /** Answers by status, retries included. */
  statuses: Record<string, number>;
  faults: FaultCounts;
  restartMs: number | null;
  tickets: number;
  messages: number;
  events: number;
  /** Acknowledged tickets or messages missing from the event store. */
  lost: number;
  /** Tickets, messages, breaches or fulfilments recorded more than once. */
  duplicated: number;
  /** Views that differ from a rebuild from zero. */
  viewsDifferingFromRebuild: number;
  slaBreaches: number;
  dsarsFulfilled: number;
  /** Asynchronous deliveries given up on (the local bus's and scheduler's dead letters): none should be. */
  deadLetters: number;
  auditVerifyExit: number;
  unhandledErrors: number;
  settleMs: number;
}

const tenant = 'chaos';

/**
 * Mixed ticket traffic against the local runtime while DynamoDB throttles, cancels transactions,
 * loses answers and restarts, and every asynchronous consumer gets duplicated, reordered or
 * half-handled deliveries; then the clock jumps past every SLA timer. Afterwards the store is
 * counted against what clients were told: nothing lost, nothing twice, views equal to a rebuild.
 */
export async function runFaultScenario(options: FaultScenarioOptions): Promise<FaultReport> {
  const dataDir = mkdtempSync(join(tmpdir(), 'meridian-faults-'));
  const port = await freePort();
  let engine: Engine = await startEngine({ dataDir: join(dataDir, 'dynamodb'), port });
  const faults = new Faults(options.rates);
  const secret = randomBytes(32);
  const logs: string[] = [];
  let clockOffsetMs = 0;
  const runtime: LocalRuntime = await startLocalRuntime({
    regions: ['eu-central-1'],
    port: 0,
    dataDir,
    dynamodbEndpoint: engine.endpoint,
    jwtSecret: secret,
    ephemeralKeys: true,
    logger: capturingLogger(logs),
    clock: () => new Date(Date.now() + clockOffsetMs),
    schedulerTickMs: 200,
    // Load from a handful of tokens, far above a person's rate: the limiter counts, it does not refuse.
    rateLimits: { tenantPerMinute: 10_000_000, tokenPerMinute: 10_000_000 },
    hooks: faults.hooks,
  });
  const { url, deps, scheduler, bus } = runtime.endpoints[0]!;
  try {
    const client = new RetryingClient(url, (roles) => signToken(secret, { tenant, roles, sub: `${roles[0]}-1` }));
    await setUp(client);
    const acknowledged = { tickets: new Map<string, number>(), dsars: [] as string[] };
    let restartMs: number | null = null;
    const restart =
      options.restartAtMs === undefined
        ? Promise.resolve()
        : sleep(options.restartAtMs).then(async () => {
            const started = Date.now();
            await engine.stop();
            engine = await startEngine({ dataDir: join(dataDir, 'dynamodb'), port });
            restartMs = Date.now() - started;
          });
    const until = Date.now() + options.durationMs;
    await Promise.all([
      restart,
      ...Array.from({ length: options.clients }, (_, c) =>
        supportAgentLoop(client, c, until, options.ticketsPerClient ?? Infinity, acknowledged.tickets),
      ),
      fileDsars(client, options.dsars, options.durationMs, acknowledged.dsars),
    ]);
    faults.calm();

    // Past every first-reply target: each timer fires (some twice) and breaches its ticket once.
    const settleStarted = Date.now();
    clockOffsetMs = 2 * 60 * 60 * 1000;
    await settle(deps, bus, () => scheduler.pending().some((s) => s.target === 'sla-checker'));
    const settleMs = Date.now() - settleStarted;

    const store = await countStore(deps);
    const expectedMessages = [...acknowledged.tickets.values()].reduce((sum, n) => sum + n, 0);
    const lost =
      [...acknowledged.tickets.keys()].filter((id) => !store.tickets.has(id)).length +
      [...acknowledged.tickets].reduce((sum, [id, n]) => sum + Math.max(0, n - (store.tickets.get(id)?.messages ?? 0)), 0);
    const duplicated =
      [...store.tickets.keys()].filter((id) => !acknowledged.tickets.has(id)).length +
      [...store.tickets].reduce(
        (sum, [id, t]) => sum + Math.max(0, t.messages - (acknowledged.tickets.get(id) ?? 0)) + Math.max(0, t.breaches - 1),
        0,
      ) +
      acknowledged.dsars.reduce((sum, id) => sum + Math.max(0, (store.dsarsFulfilled.get(id) ?? 0) - 1), 0);
    const viewsDifferingFromRebuild = await compareWithRebuild(deps);
    const auditVerifyExit = (await auditVerify({ dataDir, dynamodbEndpoint: engine.endpoint }, deps)).code;
    return {
      requests: client.requests,
      errors: client.errors,
      statuses: client.statuses,
      faults: faults.counts,
      restartMs,
      tickets: acknowledged.tickets.size,
      messages: expectedMessages,
      events: store.events,
      lost: lost + acknowledged.dsars.filter((id) => !store.dsarsFulfilled.has(id)).length,
      duplicated,
      viewsDifferingFromRebuild,
      slaBreaches: [...store.tickets.values()].reduce((sum, t) => sum + t.breaches, 0),
      dsarsFulfilled: [...store.dsarsFulfilled.values()].reduce((sum, n) => sum + n, 0),
      deadLetters: bus.deadLetters.length + scheduler.deadLetters.length,
      auditVerifyExit,
      unhandledErrors: logs.filter((line) => line.includes('"unhandled error"')).length,
      settleMs,
    };
  } finally {
    await runtime.stop();
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A 24x7 one-minute first-reply policy: every ticket of the run has a timer, due within the run or soon after. */
async function setUp(client: RetryingClient) {
  await client.send('PUT', '/v1/teams/first-line', ['supervisor'], { name: 'First line', calendarId: null });
  await client.send('PUT', '/v1/sla-policies/one-minute', ['supervisor'], {
    rank: 1,
    targets: { firstReply: 'PT1M' },
    businessHours: false,
    onBreach: { raisePriority: true },
  });
  await client.send('PUT', '/v1/routing-rules/all', ['supervisor'], { rank: 1, match: {}, team: 'first-line' });
}

/** One agent's work: open a ticket, add the requester's follow-ups, read it and the queue. */
async function supportAgentLoop(client: RetryingClient, agent: number, until: number, most: number, tickets: Map<string, number>) {
  for (let i = 0; Date.now() < until && i < most; i++) {
    const created = await client.send('POST', '/v1/tickets', ['agent'], {
      subject: `Order ${agent}-${i} arrived damaged`,
      description: 'The box was crushed and the lamp inside is broken.',
      channel: 'email',
      requester: { email: `customer-${agent}-${i % 5}@example.de`, name: 'Jonas Weber', country: 'DE' },
    });
    if (!created) continue;
    const ticketId = (created as { id: string }).id;
    tickets.set(ticketId, 0);
    for (let m = 0; m < 2; m++) {
      if (await client.send('POST', `/v1/tickets/${ticketId}/messages`, ['agent'], { body: `Photo ${m} attached`, from: 'requester' })) {
        tickets.set(ticketId, tickets.get(ticketId)! + 1);
      }
    }
    await client.send('GET', `/v1/tickets/${ticketId}`, ['agent']);
    await client.send('GET', '/v1/tickets?status=open&limit=20', ['agent']);
  }
}

async function fileDsars(client: RetryingClient, count: number, durationMs: number, filed: string[]) {
  for (let i = 0; i < count; i++) {
    // Spread over the run, but early enough that a run cut short by ticketsPerClient still files them all under load.
    await sleep(Math.min(1_000, durationMs / (count + 1)));
    const dsar = await client.send('POST', '/v1/dsar', ['dpo'], {
      type: 'access',
      subject: { email: `customer-0-${i % 5}@example.de` },
      law: 'gdpr',
    });
    if (dsar) filed.push((dsar as { id: string }).id);
  }
}

/**
 * A client as the README asks integrators to write one: every write carries an Idempotency-Key,
 * and a 503 (or a dropped connection) is retried with the same key after Retry-After.
 */
class RetryingClient {
  requests = 0;
  errors = 0;
  readonly statuses: Record<string, number> = {};
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(
    private readonly url: string,
    private readonly sign: (roles: Role[]) => Promise<string>,
  ) {}

  async send(method: string, path: string, roles: Role[], body?: unknown): Promise<unknown | undefined> {
    const key = roles.join();
    if (!this.tokens.has(key)) this.tokens.set(key, this.sign(roles));
    const token = await this.tokens.get(key);
    const headers: Record<string, string> = body === undefined ? {} : { 'idempotency-key': randomBytes(12).toString('hex') };
    this.requests++;
    for (let attempt = 0; attempt < 30; attempt++) {
      const reply = await call(this.url, method, path, { token, body, headers }).catch(() => undefined);
      const status = reply ? String(reply.status) : 'network';
      this.statuses[status] = (this.statuses[status] ?? 0) + 1;
      if (reply && reply.status < 300) return reply.body;
      if (reply && reply.status !== 503) break;
      await sleep(reply ? Number(reply.headers.get('retry-after') ?? 1) * 1000 : 500);
    }
    this.errors++;
    return undefined;
  }
}

/** Until nothing is left to happen on its own: no timer due, the bus idle, every event logged, the tables still. */
async function settle(deps: Deps, bus: { drain(): Promise<void> }, timersPending: () => boolean) {
  const deadline = Date.now() + 120_000;
  let previous = '';
  while (Date.now() < deadline) {
    await bus.drain();
    const events = await scanItems(deps, deps.config.eventsTable);
    const logged = await loggedEvents(deps);
    const snapshot = JSON.stringify(events) + logged;
    const settled = !timersPending() && logged === events.length && snapshot === previous;
    if (settled && (await projected(deps, events))) return;
    previous = snapshot;
    await sleep(500);
  }
  throw new Error('the runtime did not settle within 2 minutes');
}

/** Every projected stream's view at its stream's last version: the projector (a consumer of its own, maybe still retrying a batch) has caught up. */
async function projected(deps: Deps, events: Array<Record<string, AttributeValue>>): Promise<boolean> {
  const last = new Map<string, number>();
  for (const event of events) {
    const streamId = event.streamId!.S!;
    if (projectionOf(streamId)) last.set(streamId, Math.max(last.get(streamId) ?? 0, Number(event.version!.N)));
  }
  const views = new Map((await scanItems(deps, deps.config.viewsTable)).map((view) => [view.pk!.S!, Number(view.version?.N)]));
  return [...last].every(([streamId, version]) => views.get(streamId) === version);
}

/** Per ticket, its messages and breaches; per request, its fulfilments; all events. */
async function countStore(deps: Deps) {
  const items = await scanItems(deps, deps.config.eventsTable);
  const tickets = new Map<string, { messages: number; breaches: number }>();
  const dsarsFulfilled = new Map<string, number>();
  for (const item of items) {
    const [kind, id] = item.streamId!.S!.split('#') as [string, string];
    const type = item.type!.S!;
    if (kind === 'ticket') {
      const counts = tickets.get(id) ?? { messages: 0, breaches: 0 };
      tickets.set(id, counts);
      if (type === 'MessageAdded') counts.messages++;
      if (type === 'SlaBreached') counts.breaches++;
    }
    if (kind === 'dsar' && type === 'DsarFulfilled') dsarsFulfilled.set(id, (dsarsFulfilled.get(id) ?? 0) + 1);
  }
  return { events: items.length, tickets, dsarsFulfilled };
}

/** Every item of the views table before and after a rebuild from the events alone: the count that differ. */
async function compareWithRebuild(deps: Deps): Promise<number> {
  const keyed = async () => new Map((await scanItems(deps, deps.config.viewsTable)).map((item) => [item.pk!.S!, JSON.stringify(item)]));
  const before = await keyed();
  await rebuildViews(deps);
  const after = await keyed();
  return [...new Set([...before.keys(), ...after.keys()])].filter((key) => before.get(key) !== after.get(key)).length;
}
