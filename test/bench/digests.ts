import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { monotonicFactory } from 'ulid';
import { sha256Hex } from '../../events/hash-chain.ts';
import { rootOf } from '../../events/merkle.ts';
import type { LogCommitRecord } from '../../events/tenant-log.ts';
import { writeDigest } from '../../functions/digest/digest.ts';
import { planLogCommit } from '../../functions/sequencer/plan.ts';
import { compose } from '../../functions/shared/platform/composition.ts';
import { unpublishedMetrics } from '../../functions/shared/platform/observability.ts';
import { logInOrder, spanMs, spanToNote, type TenantLogStore } from '../../functions/shared/ports/tenant-log-store.ts';
import { localCredentials } from '../../infra/local/engine.ts';
import { ephemeralVault } from '../../infra/local/key-file-vault.ts';
import { localConfig } from '../../infra/local/runtime.ts';
import { ensureRegionTables } from '../../infra/local/tables.ts';
import { memoryDigests, memorySigner } from '../support/digests.ts';

const newId = monotonicFactory();

/** One case: a region's tenant logs holding `streams` streams, and a digest before and after a few tenants moved. */
export interface DigestCase {
  tenants: number;
  streams: number;
  /** The first digest: every tenant's head is new. */
  firstMs: number;
  firstReads: Reads;
  /** The next digest, after `moved` tenants each committed once. */
  moved: number;
  nextMs: number;
  nextReads: Reads;
  /** What a digest that rehashed every stream would take: every tenant's whole log read and its tree rebuilt. */
  rehashAllMs: number;
  rehashAllReads: Reads;
}

export interface Reads {
  requests: number;
  /** AWS's billing for reads: per 4 KB of item read, strongly consistent. */
  units: number;
}

const moved = 10;
const entriesPerCommit = 100;

/**
 * The digest writer over region logs of 1,000 and 100,000 streams (one event each, in commits of
 * 100 entries) in 10 tenants, and of 100,000 streams in 1,000 tenants: what the first digest
 * costs, what the next costs once 10 tenants moved, and what rehashing every stream would cost.
 */
export async function digestBench(endpoint: string): Promise<DigestCase[]> {
  const cases: DigestCase[] = [];
  for (const [tenants, streams] of [
    [10, 1_000],
    [10, 100_000],
    [1_000, 100_000],
  ] as const)
    cases.push(await digestCase(endpoint, tenants, streams));
  return cases;
}

async function digestCase(endpoint: string, tenants: number, streams: number): Promise<DigestCase> {
  const logger = new Logger({ logLevel: 'SILENT' });
  const deps = compose(localConfig('eu-central-1', endpoint, { tablePrefix: `digest${tenants}x${streams}` }), {
    credentials: localCredentials,
    logger,
    metrics: unpublishedMetrics('eu-central-1', logger),
    keyVault: ephemeralVault(),
  });
  await ensureRegionTables(deps.dynamodb, deps.config);
  // The clock the commits and digests see: the real one, moved on by `elapsed`.
  let elapsed = 0;
  const clock = () => new Date(Date.now() + elapsed);
  const tenantIds = Array.from({ length: tenants }, (_, t) => `tenant-${String(t).padStart(4, '0')}`);
  const last = new Map<string, LogCommitRecord | null>();
  // As the sequencer commits (planLogCommit): the tenant noted as moving in the span first, then the commit.
  const commit = async (tenantId: string, count: number) => {
    const previous = last.get(tenantId) ?? null;
    const now = clock();
    const events = Array.from({ length: count }, (_, i) => ({
      streamId: `ticket#${newId()}`,
      version: 1,
      eventId: newId(),
      tenantId,
      recordedAt: now.toISOString(),
      hash: sha256Hex(`event ${tenantId} ${(previous?.entries.at(-1)?.seq ?? 0) + i + 1}`),
    }));
    const { entries, frontier } = planLogCommit(previous, new Map(), events);
    const span = spanToNote(previous, now);
    if (span !== null) await deps.tenantLog.markMoved(tenantId, span);
    const record = { entries, frontier, committedAt: now.toISOString() };
    await deps.tenantLog.append(tenantId, record);
    last.set(tenantId, record);
  };
  // The history: each tenant's streams in commits of up to 100, 8 tenants written at a time.
  const perTenant = streams / tenants;
  for (let t = 0; t < tenants; t += 8)
    await Promise.all(
      tenantIds.slice(t, t + 8).map(async (tenantId) => {
        for (let done = 0; done < perTenant; done += entriesPerCommit) await commit(tenantId, Math.min(entriesPerCommit, perTenant - done));
      }),
    );

  // As in a region that has run a while: the history written well before the first digest measured, a few tenants moving since.
  const reads = new ReadCounter(deps.dynamodb);
  const digestDeps = { region: 'eu-central-1', tenantLog: deps.tenantLog, digests: memoryDigests(), signer: memorySigner(), clock };
  elapsed += 3 * spanMs;
  const first = await reads.during(() => writeDigest(digestDeps));
  elapsed += spanMs;
  for (const tenantId of tenantIds.slice(0, moved)) await commit(tenantId, 1);
  const next = await reads.during(() => writeDigest(digestDeps));
  const rehashAll = await reads.during(() => rebuildEveryTree(deps.tenantLog, tenantIds));
  deps.dynamodb.destroy();
  return {
    tenants,
    streams,
    firstMs: first.ms,
    firstReads: first.reads,
    moved,
    nextMs: next.ms,
    nextReads: next.reads,
    rehashAllMs: rehashAll.ms,
    rehashAllReads: rehashAll.reads,
  };
}

/** The yardstick: every tenant's log read from the start and its Merkle tree head computed from all its leaves. */
async function rebuildEveryTree(tenantLog: TenantLogStore, tenantIds: string[]) {
  for (const tenantId of tenantIds) {
    const leaves: string[] = [];
    for await (const page of logInOrder(tenantLog, { tenantId })) for (const entry of page) leaves.push(entry.hash);
    rootOf(leaves);
  }
}

/** Counts the read requests a client makes and the read units AWS would bill for them (the engine reports them). */
class ReadCounter {
  private requests = 0;
  private units = 0;

  constructor(client: DynamoDBClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (!['QueryCommand', 'GetItemCommand', 'BatchGetItemCommand', 'ScanCommand'].includes(context.commandName ?? ''))
          return next(args);
        (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        this.requests += 1;
        const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
        for (const entry of [consumed ?? []].flat() as Array<{ CapacityUnits?: number }>) this.units += entry.CapacityUnits ?? 0;
        return result;
      },
      { step: 'initialize', name: 'benchReadUnits' },
    );
  }

  async during(work: () => Promise<unknown>): Promise<{ ms: number; reads: Reads }> {
    const [requests, units] = [this.requests, this.units];
    const started = performance.now();
    await work();
    return { ms: performance.now() - started, reads: { requests: this.requests - requests, units: this.units - units } };
  }
}
