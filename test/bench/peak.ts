import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { TableShape } from '../../functions/shared/dynamodb/tables.ts';
import type { RuntimeHooks } from '../../infra/local/runtime.ts';
import { percentiles } from './stats.ts';
import { itemBytes, transactionBill } from './transaction-bill.ts';

/** The projector's lag, as the view is written: the time since each delivered event was recorded. */
export class ProjectionLag {
  readonly samples: Array<{ at: number; lagMs: number }> = [];
  readonly hooks: RuntimeHooks = {
    target: (kind, name, target) => {
      if (kind !== 'stream' || name !== 'projector') return target;
      const project = target as unknown as (event: DynamoDBStreamEvent) => Promise<unknown>;
      return (async (event: DynamoDBStreamEvent) => {
        const result = await project(event);
        const now = Date.now();
        for (const record of event.Records) {
          const recordedAt = record.dynamodb?.NewImage?.recordedAt?.S;
          if (recordedAt) this.samples.push({ at: now, lagMs: now - Date.parse(recordedAt) });
        }
        return result;
      }) as unknown as typeof target;
    },
  };

  between(from: number, to: number) {
    return percentiles(this.samples.filter((s) => s.at >= from && s.at < to).map((s) => s.lagMs));
  }
}

const writeOperations = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
]);

/**
 * Every write the region's functions make, per table, indexes included: single-item writes as
 * DynamoDB reports them with ReturnConsumedCapacity TOTAL (and those a condition refused, as AWS
 * bills them), transactions as AWS bills them
 * (transaction-bill.ts), because DynamoDB Local under-reports a transaction of several items.
 */
export class WriteUnits {
  readonly byTable = new Map<string, number>();

  constructor(client: DynamoDBClient, shapes: Record<string, TableShape>) {
    const charge = (tableName: string, units: number) => {
      const table = tableName.replace(/^.*-/, '');
      this.byTable.set(table, (this.byTable.get(table) ?? 0) + units);
    };
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (!writeOperations.has(context.commandName ?? '')) return next(args);
        if (context.commandName === 'TransactWriteItemsCommand') {
          const result = await next(args);
          const items = (args.input as { TransactItems: TransactWriteItem[] }).TransactItems;
          for (const [table, units] of transactionBill(items, (name) => shapes[name])) charge(table, units);
          return result;
        }
        const input = args.input as { ReturnConsumedCapacity?: string; TableName?: string; Item?: Record<string, AttributeValue> };
        input.ReturnConsumedCapacity = 'TOTAL';
        let result: Awaited<ReturnType<typeof next>>;
        try {
          result = await next(args);
        } catch (error) {
          // A write its condition refuses is billed too: at least a unit, more for a larger item put.
          if (error instanceof ConditionalCheckFailedException)
            charge(input.TableName ?? '?', Math.max(1, Math.ceil(itemBytes(input.Item ?? {}) / 1024)));
          throw error;
        }
        const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
        for (const entry of [consumed ?? []].flat() as Array<{ TableName?: string; CapacityUnits?: number }>) {
          charge(entry.TableName ?? '?', entry.CapacityUnits ?? 0);
        }
        return result;
      },
      { step: 'initialize', name: 'benchWriteUnits' },
    );
    this.detach = () => client.middlewareStack.remove('benchWriteUnits');
  }

  readonly detach: () => void;

  reset() {
    this.byTable.clear();
  }
}

export interface Phase {
  name: string;
  ratePerSecond: number;
  seconds: number;
}

/** A phase as the load generator saw it; the projection lag is the runtime's (PhaseFigures). */
export interface LoadFigures {
  phase: Phase;
  /** Wall-clock start and end (ms since the epoch), to find the runtime's samples of the phase. */
  from: number;
  to: number;
  requests: number;
  throughput: number;
  latency: ReturnType<typeof percentiles>;
  byOperation: Record<string, ReturnType<typeof percentiles>>;
  errors: number;
  /** What the errors were: a status, or the network error's code. */
  errorKinds: Record<string, number>;
}

export interface PhaseFigures extends LoadFigures {
  projectionLag: ReturnType<typeof percentiles>;
}

export type Operation = (i: number) => Promise<number>;

/**
 * Open loop: requests start on a fixed schedule whatever the answers do, and each latency is
 * counted from its scheduled start, so a stall shows in the figures instead of slowing the load.
 */
export async function runPhases(
  phases: Phase[],
  operations: Array<{ name: string; weight: number; run: Operation }>,
): Promise<LoadFigures[]> {
  const figures: LoadFigures[] = [];
  const totalWeight = operations.reduce((sum, o) => sum + o.weight, 0);
  const pick = (i: number) => {
    // A fixed interleaving by weight (no randomness): the same mix every run.
    let slot = (i * 7919) % totalWeight;
    for (const operation of operations) {
      if (slot < operation.weight) return operation;
      slot -= operation.weight;
    }
    return operations[0]!;
  };
  let i = 0;
  for (const phase of phases) {
    const samples: Array<{ name: string; ms: number; ok: boolean; kind: string }> = [];
    const inFlight: Array<Promise<void>> = [];
    const started = performance.now();
    const startedAt = Date.now();
    const total = Math.round(phase.ratePerSecond * phase.seconds);
    for (let n = 0; n < total; n++) {
      const due = started + (n * 1000) / phase.ratePerSecond;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const operation = pick(i++);
      const index = i;
      inFlight.push(
        operation.run(index).then(
          (status) =>
            void samples.push({
              name: operation.name,
              ms: performance.now() - due,
              ok: status >= 200 && status < 300,
              kind: `${operation.name} ${status}`,
            }),
          (error: NodeJS.ErrnoException) =>
            void samples.push({
              name: operation.name,
              ms: performance.now() - due,
              ok: false,
              kind: `${operation.name} ${error.code ?? error.name}`,
            }),
        ),
      );
    }
    await Promise.all(inFlight);
    const wallMs = performance.now() - started;
    const byOperation = Object.fromEntries(
      operations.map((o) => [o.name, percentiles(samples.filter((s) => s.name === o.name).map((s) => s.ms))]),
    );
    figures.push({
      phase,
      from: startedAt,
      to: Date.now(),
      requests: samples.length,
      throughput: (samples.length / wallMs) * 1000,
      latency: percentiles(samples.map((s) => s.ms)),
      byOperation,
      errors: samples.filter((s) => !s.ok).length,
      errorKinds: samples
        .filter((s) => !s.ok)
        .reduce<Record<string, number>>((kinds, s) => ({ ...kinds, [s.kind]: (kinds[s.kind] ?? 0) + 1 }), {}),
    });
  }
  return figures;
}
