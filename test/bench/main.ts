import '../../infra/local/local-process.ts';
import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { eventsTable } from '../../functions/shared/dynamodb/tables.ts';
import { localCredentials, startEngine } from '../../infra/local/engine.ts';
import { signToken } from '../../infra/local/jwt.ts';
import { startLocalRuntime } from '../../infra/local/runtime.ts';
import { ensureTable } from '../../infra/local/tables.ts';
import { runFaultScenario } from '../support/fault-scenario.ts';
import { attachmentBench } from './attachments.ts';
import { type AuditFigures, inMemoryAuditBench, liveAuditBench } from './audit.ts';
import { bundleSizes } from './bundles.ts';
import { coldStarts } from './cold-start.ts';
import { createTicketStages } from './create-ticket-stages.ts';
import { digestBench } from './digests.ts';
import { closeAgent, send } from './http.ts';
import { ProjectionLag } from './peak.ts';
import { peakScenario } from './peak-scenario.ts';
import {
  record,
  renderAttachments,
  renderAudit,
  renderCold,
  renderFaults,
  renderFoundation,
  renderPeak,
  renderSearch,
  renderSimulations,
  renderWebhooks,
} from './report.ts';
import { searchBench } from './search.ts';
import { sequencingBench } from './sequencing.ts';
import { simulationBench } from './simulations.ts';
import { type Latency, measure } from './stats.ts';
import { webhookBench } from './webhooks.ts';

const runs = [
  { concurrency: 1, total: 300 },
  { concurrency: 64, total: 3000 },
];

const ticket = (i: number) => ({
  subject: `Parcel ${i} never arrived`,
  description: 'Order was due last week; tracking shows nothing since Tuesday.',
  channel: 'email',
  requester: { email: `customer${i}@example.de`, name: 'Anna Schmidt', country: 'DE', locale: 'de-DE' },
  tags: ['shipping'],
});

/** The sections of `npm run bench`, in the order they run; `npm run bench -- cold peak` runs those only. */
const sections = ['foundation', 'cold', 'audit', 'peak', 'faults', 'webhooks', 'search', 'attachments', 'simulations'] as const;
type Section = (typeof sections)[number];

function chosenSections(args: string[]): Set<Section> {
  const unknown = args.filter((arg) => !(sections as readonly string[]).includes(arg));
  if (unknown.length > 0) throw new Error(`unknown bench section ${unknown.join(', ')}: choose from ${sections.join(', ')}`);
  return new Set(args.length === 0 ? sections : (args as Section[]));
}

/** Prints a section's report and rewrites its part of BENCHMARKS.md, leaving the others as they are. */
function publish(section: Section, report: string) {
  console.log(report);
  record(section, report);
}

async function main() {
  const chosen = chosenSections(process.argv.slice(2));
  if (chosen.has('foundation') || chosen.has('audit') || chosen.has('peak')) await onTheLocalRuntime(chosen);
  if (chosen.has('cold')) publish('cold', renderCold(await coldStarts()));
  if (chosen.has('faults')) {
    const faults = await runFaultScenario({
      clients: 16,
      durationMs: 60_000,
      restartAtMs: 20_000,
      dsars: 10,
      rates: { throttle: 0.03, transactionConflict: 0.05, lostAnswer: 0.02, redeliver: 0.2, crashMidBatch: 0.1, deliverTwice: 0.5 },
    });
    publish('faults', renderFaults(faults));
  }
  if (chosen.has('webhooks')) publish('webhooks', renderWebhooks(await onAFreshEngine((endpoint) => webhookBench(endpoint))));
  if (chosen.has('search')) publish('search', renderSearch(await onAFreshEngine((endpoint) => searchBench(endpoint))));
  if (chosen.has('attachments')) publish('attachments', renderAttachments(await onAFreshEngine((endpoint) => attachmentBench(endpoint))));
  if (chosen.has('simulations')) publish('simulations', renderSimulations(await onAFreshEngine((endpoint) => simulationBench(endpoint))));
  closeAgent();
}

/** The sections that run against one local runtime over DynamoDB Local: foundation, audit, peak. */
async function onTheLocalRuntime(chosen: Set<Section>) {
  const engine = await startEngine();
  const lag = new ProjectionLag();
  const secret = randomBytes(32);
  const runtime = await startLocalRuntime({
    regions: ['eu-central-1'],
    port: 0,
    dataDir: '.meridian-bench',
    dynamodbEndpoint: engine.endpoint,
    jwtSecret: secret,
    tablePrefix: 'bench',
    ephemeralKeys: true,
    logger: new Logger({ logLevel: 'SILENT' }),
    hooks: lag.hooks,
    // Load from a handful of tokens, far above a person's rate: the limiter counts, it does not refuse.
    rateLimits: { tenantPerMinute: 10_000_000, tokenPerMinute: 10_000_000 },
  });
  const { url, deps } = runtime.endpoints[0]!;
  const token = await signToken(secret, { tenant: 'bench', roles: ['integrator'], sub: 'bench' });
  const createTicket = async (i: number) => {
    const { status } = await send(`${url}/v1/tickets`, 'POST', token, ticket(i));
    if (status !== 201) throw new Error(`create-ticket answered ${status}`);
  };

  if (chosen.has('foundation')) {
    const results = await createTicketAgainstTheEngine(engine.endpoint, createTicket);
    const createFor = async (email: string) => {
      const { status } = await send(`${url}/v1/tickets`, 'POST', token, { ...ticket(0), requester: { ...ticket(0).requester, email } });
      if (status !== 201) throw new Error(`create-ticket answered ${status}`);
    };
    const stages = await createTicketStages(deps, createFor, { token, secret, body: ticket(0) });
    publish('foundation', renderFoundation(results, stages, await bundleSizes()));
  } else if (chosen.has('audit')) {
    // The audit history is the foundation's tickets: as many, made the same way.
    await measure(foundationTickets, 32, createTicket);
  }
  const live = chosen.has('audit') ? await liveAuditBench(deps, 'bench') : undefined;
  if (chosen.has('peak')) {
    const agentToken = await signToken(secret, { tenant: 'bench-peak', roles: ['agent'], sub: 'agent-7' });
    publish('peak', renderPeak(await peakScenario(url, deps, agentToken, lag)));
  }
  await runtime.stop();
  await engine.stop();
  // On an engine of their own: the runtime's tables and pollers would be measured with them.
  const sequencing = live ? await onAFreshEngine(sequencingBench) : [];
  const digests = live ? await onAFreshEngine(digestBench) : [];
  if (live) {
    const audit: AuditFigures = { ...live.figures, ...(await inMemoryAuditBench(live.snapshot)) };
    publish('audit', renderAudit(audit, sequencing, digests));
  }
}

async function onAFreshEngine<T>(work: (endpoint: string) => Promise<T>): Promise<T> {
  const engine = await startEngine();
  try {
    return await work(engine.endpoint);
  } finally {
    await engine.stop();
  }
}

/** Tickets the foundation section creates (warm-up included): the audit section's history. */
const foundationTickets = 200 + runs.reduce((sum, run) => sum + run.total, 0);

/** create-ticket over HTTP beside one conditional PutItem straight to the engine, at each concurrency. */
async function createTicketAgainstTheEngine(endpoint: string, createTicket: (i: number) => Promise<void>) {
  const raw = new DynamoDBClient({ region: 'eu-central-1', endpoint, credentials: localCredentials });
  // The same key shape as the events table, but not in it: the audited history holds only real events.
  const rawTable = 'bench-raw-puts';
  await ensureTable(raw, rawTable, { ...eventsTable, stream: false });
  const event = ticket(0);
  const putItem = async (i: number) => {
    await raw.send(
      new PutItemCommand({
        TableName: rawTable,
        Item: {
          streamId: { S: `raw#${i}-${randomBytes(4).toString('hex')}` },
          version: { N: '1' },
          type: { S: 'TicketOpened' },
          data: { S: JSON.stringify(event) },
        },
        ConditionExpression: 'attribute_not_exists(streamId)',
      }),
    );
  };
  await measure(200, 8, createTicket); // warm-up: JIT, connections, engine
  await measure(200, 8, putItem);
  const results: Array<{ concurrency: number; http: Latency; engine: Latency }> = [];
  for (const { concurrency, total } of runs) {
    const http = await measure(total, concurrency, (i) => createTicket(100_000 * concurrency + i));
    const engineOnly = await measure(total, concurrency, putItem);
    results.push({ concurrency, http, engine: engineOnly });
  }
  raw.destroy();
  return results;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
