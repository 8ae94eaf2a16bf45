import '../../infra/local/quiet-sdk-node-warning.ts';
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Agent, request } from 'node:http';
import { localCredentials, startEngine } from '../../infra/local/engine.ts';
import { signToken } from '../../infra/local/jwt.ts';
import { startLocalRuntime } from '../../infra/local/runtime.ts';
import { ensureTable } from '../../infra/local/tables.ts';
import { eventsTable } from '../../functions/shared/tables.ts';
import { bundleSizes } from './bundles.ts';
import { type AuditFigures, inMemoryAuditBench, liveAuditBench } from './audit.ts';
import { measure, type Latency } from './stats.ts';

const agent = new Agent({ keepAlive: true, maxSockets: 128 });

/** A keep-alive POST; resolves with the status once the body is read. */
const post = (url: string, headers: Record<string, string>, body: string) =>
  new Promise<number>((done, fail) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end(body);
  });

const runs = [
  { concurrency: 1, total: 300 },
  { concurrency: 64, total: 3000 },
];

const ticket = (i: number) =>
  JSON.stringify({
    subject: `Parcel ${i} never arrived`,
    description: 'Order was due last week; tracking shows nothing since Tuesday.',
    channel: 'email',
    requester: { email: `customer${i}@example.de`, name: 'Anna Schmidt', country: 'DE', locale: 'de-DE' },
    tags: ['shipping'],
  });

async function main() {
  const engine = await startEngine();
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
  });
  const { url, deps } = runtime.endpoints[0]!;
  const token = await signToken(secret, { tenant: 'bench', roles: ['integrator'], sub: 'bench' });
  const createTicket = async (i: number) => {
    const status = await post(`${url}/v1/tickets`, { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ticket(i));
    if (status !== 201) throw new Error(`create-ticket answered ${status}`);
  };
  const raw = new DynamoDBClient({ region: 'eu-central-1', endpoint: engine.endpoint, credentials: localCredentials });
  // The same key shape as the events table, but not in it: the audited history holds only real events.
  const rawTable = 'bench-raw-puts';
  await ensureTable(raw, rawTable, { ...eventsTable, stream: false });
  const event = JSON.parse(ticket(0));
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
  const live = await liveAuditBench(deps, 'bench');
  const bundles = await bundleSizes();
  raw.destroy();
  agent.destroy();
  await runtime.stop();
  await engine.stop();
  const inMemory = await inMemoryAuditBench(live.snapshot);
  const audit: AuditFigures = { ...live.figures, ...inMemory };

  const report = render(results, bundles);
  console.log(report);
  record('foundation', report);
  const auditReport = renderAudit(audit);
  console.log(auditReport);
  record('audit', auditReport);
}

const rate = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en-US')} events/s`;

function renderAudit(figures: AuditFigures) {
  const { bareLoop } = figures;
  const row = (what: string, perSecond: number) => `| ${what} | ${rate(perSecond)} | ${(perSecond / bareLoop).toFixed(2)} |`;
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}, DynamoDB Local 3.3.0 in memory: ${figures.events.toLocaleString('en-US')} events in ${figures.streams.toLocaleString('en-US')} streams. The in-memory rows run after the local runtime has stopped.`,
    '',
    '| what | throughput | against the bare loop |',
    '| --- | ---: | ---: |',
    row('bare loop: JSON.parse + SHA-256 of each stored record (JSON text)', bareLoop),
    row('verify, in memory (canonical JSON + SHA-256 per event, stream and log chains, log entry hashes)', figures.verifyInMemory),
    row('verify, end to end (parallel scan + log walk from DynamoDB Local)', figures.verifyEndToEnd),
    row('replay, in memory (upcast + fold of every ticket stream)', figures.replayInMemory),
    row('replay, end to end (one ticket at a time, 8 in flight, read + fold)', figures.replayEndToEnd),
    `| sequencer: region log keeping up with 16 concurrent writers (3 events a commit) | ${rate(figures.sequencedPerSecond)} | lag after the last write: ${figures.sequencerLagMs.toFixed(0)} ms |`,
  ].join('\n');
}

const ms = (value: number) => value.toFixed(1);

function render(results: Array<{ concurrency: number; http: Latency; engine: Latency }>, bundles: Awaited<ReturnType<typeof bundleSizes>>) {
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB), Node ${process.version}, DynamoDB Local 3.3.0 in memory; client, runtime and engine share the machine.`,
    '',
    '| clients | create-ticket over HTTP p50 / p99 (ms) | req/s | engine conditional PutItem p50 / p99 (ms) | req/s | ratio p50 / p99 |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      ({ concurrency, http, engine }) =>
        `| ${concurrency} | ${ms(http.p50)} / ${ms(http.p99)} | ${http.perSecond.toFixed(0)} | ${ms(engine.p50)} / ${ms(engine.p99)} | ${engine.perSecond.toFixed(0)} | ${(http.p50 / engine.p50).toFixed(1)}x / ${(http.p99 / engine.p99).toFixed(1)}x |`,
    ),
    '',
    '| function | minified | gzip | largest parts (KiB) |',
    '| --- | ---: | ---: | --- |',
    ...bundles.map(
      (b) =>
        `| ${b.fn} | ${(b.bytes / 1024).toFixed(0)} KiB | ${(b.gzipBytes / 1024).toFixed(0)} KiB | ${b.largest.map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)}`).join(', ')} |`,
    ),
  ];
  return lines.join('\n');
}

/** Replaces one section of BENCHMARKS.md with this run's figures. */
function record(section: string, report: string) {
  const file = new URL('../../BENCHMARKS.md', import.meta.url);
  const start = `<!-- bench:${section} -->`;
  const end = `<!-- /bench:${section} -->`;
  const current = readFileSync(file, 'utf8');
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`BENCHMARKS.md has no ${section} markers`);
  writeFileSync(file, `${current.slice(0, from + start.length)}\n${report}\n${current.slice(to)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
