import { Logger } from '@aws-lambda-powertools/logger';
import { monotonicFactory } from 'ulid';
import { chainEvents, genesisHash, type UnchainedEvent } from '../../events/hash-chain.ts';
import type { LoggableEvent } from '../../functions/sequencer/plan.ts';
import { sequence } from '../../functions/sequencer/sequencer.ts';
import { compose } from '../../functions/shared/platform/composition.ts';
import { unpublishedMetrics } from '../../functions/shared/platform/observability.ts';
import { localCredentials } from '../../infra/local/engine.ts';
import { ephemeralVault } from '../../infra/local/key-file-vault.ts';
import { localConfig } from '../../infra/local/runtime.ts';
import { ensureRegionTables, regionTableShapes } from '../../infra/local/tables.ts';
import { WriteUnits } from './peak.ts';
import { percentiles } from './stats.ts';

const newId = monotonicFactory();

/** One case: the same offered load, spread over this many tenants. */
export interface SequencingCase {
  tenants: number;
  events: number;
  appendedPerSecond: number;
  sequencedPerSecond: number;
  lagP50Ms: number;
  lagP99Ms: number;
  /** Write units the tenant logs consumed (AWS's billing: per kilobyte, failed conditions included), per event. */
  writeUnitsPerEvent: number;
}

const writers = 16;
const commitsPerWriter = 40;
const eventsPerCommit = 3;
const streamsPerWriter = 6;
/** Lambda's event source mapping: one batch at a time per shard, up to 100 records. */
const shards = 4;
const batchSize = 100;

/**
 * The sequencer under the same offered load (16 writers, commits of 3 events, to 96 streams),
 * spread over 1, 8 and 32 tenants. The stream's shards are four consumers in this process, each
 * taking up to 100 appended events at a time, as the event source mapping hands a shard's records
 * to one invocation at a time; each event's lag runs from the end of its append to the end of the
 * `sequence` call that logged it.
 */
export async function sequencingBench(endpoint: string): Promise<SequencingCase[]> {
  const cases: SequencingCase[] = [];
  for (const tenants of [1, 8, 32]) cases.push(await sequencingCase(endpoint, tenants));
  return cases;
}

async function sequencingCase(endpoint: string, tenants: number): Promise<SequencingCase> {
  const logger = new Logger({ logLevel: 'SILENT' });
  const deps = compose(localConfig('eu-central-1', endpoint, { tablePrefix: `seq${tenants}` }), {
    credentials: localCredentials,
    logger,
    metrics: unpublishedMetrics('eu-central-1', logger),
    keyVault: ephemeralVault(),
  });
  await ensureRegionTables(deps.dynamodb, deps.config);
  const units = new WriteUnits(deps.dynamodb, regionTableShapes(deps.config));

  const queues = Array.from({ length: shards }, () => [] as Array<{ event: LoggableEvent; appendedAt: number }>);
  const lags: number[] = [];
  let writing = true;
  let lastAppend = 0;
  let lastLogged = 0;
  const started = performance.now();

  const write = async (writer: number) => {
    const heads = new Map<string, { version: number; hash: string }>();
    for (let commit = 0; commit < commitsPerWriter; commit++) {
      const s = writer + writers * (commit % streamsPerWriter);
      const streamId = `ticket#seq-${tenants}-${s}`;
      const head = heads.get(streamId) ?? { version: 0, hash: genesisHash };
      const events = chainEvents(
        Array.from({ length: eventsPerCommit }, (_, i) => benchEvent(streamId, head.version + i + 1, `tenant-${s % tenants}`)),
        head.hash,
      );
      await deps.eventStore.append(events);
      const appendedAt = performance.now();
      lastAppend = appendedAt;
      heads.set(streamId, { version: events.at(-1)!.version, hash: events.at(-1)!.hash });
      for (const event of events) queues[s % shards]!.push({ event, appendedAt });
    }
  };
  const consume = async (shard: number) => {
    const queue = queues[shard]!;
    while (writing || queue.length > 0) {
      const batch = queue.splice(0, batchSize);
      if (batch.length === 0) {
        await new Promise((done) => setTimeout(done, 5));
        continue;
      }
      await sequence(
        { tenantLog: deps.tenantLog, eventStore: deps.eventStore, logger, clock: () => new Date() },
        batch.map((b) => b.event),
      );
      const loggedAt = performance.now();
      lastLogged = loggedAt;
      for (const { appendedAt } of batch) lags.push(loggedAt - appendedAt);
    }
  };
  const consumers = Array.from({ length: shards }, (_, shard) => consume(shard));
  await Promise.all(Array.from({ length: writers }, (_, writer) => write(writer)));
  writing = false;
  await Promise.all(consumers);

  const events = writers * commitsPerWriter * eventsPerCommit;
  const lag = percentiles(lags);
  deps.dynamodb.destroy();
  return {
    tenants,
    events,
    appendedPerSecond: (events / (lastAppend - started)) * 1000,
    sequencedPerSecond: (events / (lastLogged - started)) * 1000,
    lagP50Ms: lag.p50,
    lagP99Ms: lag.p99,
    writeUnitsPerEvent: (units.byTable.get('audit') ?? 0) / events,
  };
}

const benchEvent = (streamId: string, version: number, tenantId: string): UnchainedEvent => ({
  eventId: newId(),
  streamId,
  version,
  type: 'TagsSet',
  schemaVersion: 1,
  occurredAt: '2026-11-30T10:00:00.000Z',
  recordedAt: new Date().toISOString(),
  region: 'eu-central-1',
  tenantId,
  actor: { type: 'user', id: 'agent-1' },
  correlationId: 'bench',
  causationId: 'bench',
  data: { tags: [`v${version}`] },
});
