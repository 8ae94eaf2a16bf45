import { Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { RuntimeHooks } from '../../infra/local/runtime.ts';

/**
 * The faults AWS produces and DynamoDB Local never does, injected where they would arise: the
 * engine's HTTP transport answers as DynamoDB does when it throttles or cancels a transaction, or
 * loses the answer to a write it made; and every asynchronous target is delivered to as the
 * platform may deliver (twice, reordered, crashing half-way through a batch).
 */
export interface FaultRates {
  /** Of data-plane calls: answered ProvisionedThroughputExceededException, nothing done. */
  throttle: number;
  /** Of TransactWriteItems: cancelled with TransactionConflict, nothing done. */
  transactionConflict: number;
  /** Of writes: done, but the connection drops before the answer (the SDK retries the same request). */
  lostAnswer: number;
  /** Of stream batches: records duplicated and reordered. */
  redeliver: number;
  /** Of stream batches: the consumer handles the first half, then crashes. */
  crashMidBatch: number;
  /** Of bus and schedule deliveries: delivered twice, at once. */
  deliverTwice: number;
}

export type FaultCounts = Record<keyof FaultRates, number>;

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];

const dataPlane =
  /^DynamoDB_20120810\.(GetItem|PutItem|UpdateItem|DeleteItem|Query|Scan|BatchGetItem|BatchWriteItem|TransactWriteItems|TransactGetItems)$/;
const writes = /^DynamoDB_20120810\.(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)$/;

const dynamodbError = (type: string, message: string, extra: Record<string, unknown> = {}) => ({
  response: {
    statusCode: 400,
    reason: 'Bad Request',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'injected-fault' },
    body: Readable.from([Buffer.from(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message, ...extra }))]),
  },
});

const transactItemCount = (request: HttpRequest) => {
  try {
    return (JSON.parse(new TextDecoder().decode(request.body as Uint8Array)) as { TransactItems: unknown[] }).TransactItems.length;
  } catch {
    return 1;
  }
};

export class Faults {
  readonly counts: FaultCounts = { throttle: 0, transactionConflict: 0, lostAnswer: 0, redeliver: 0, crashMidBatch: 0, deliverTwice: 0 };
  private enabled = true;

  constructor(
    private readonly rates: FaultRates,
    private readonly random: () => number = Math.random,
  ) {}

  /** Stop injecting (the scenario's quiet tail, so everything settles). */
  calm() {
    this.enabled = false;
  }

  private roll(fault: keyof FaultRates) {
    if (!this.enabled || this.random() >= this.rates[fault]) return false;
    this.counts[fault]++;
    return true;
  }

  /** For the local runtime's `hooks` option. */
  readonly hooks: RuntimeHooks = {
    dynamodbRequestHandler: () => this.transport(new NodeHttpHandler()),
    target: (kind, _name, target) => (kind === 'stream' ? this.streamConsumer(target as never) : this.twice(target)) as typeof target,
  };

  private transport(inner: NodeHttpHandler) {
    return {
      metadata: inner.metadata,
      destroy: () => inner.destroy(),
      updateHttpClientConfig: inner.updateHttpClientConfig.bind(inner),
      httpHandlerConfigs: inner.httpHandlerConfigs.bind(inner),
      handle: async (request: HttpRequest, options?: HttpHandlerOptions) => {
        const operation = String(request.headers['x-amz-target'] ?? '');
        if (dataPlane.test(operation) && this.roll('throttle')) {
          return dynamodbError(
            'ProvisionedThroughputExceededException',
            'The level of configured provisioned throughput for the table was exceeded.',
          );
        }
        if (operation.endsWith('.TransactWriteItems') && this.roll('transactionConflict')) {
          const reasons = Array.from({ length: transactItemCount(request) }, (_, i) =>
            i === 0 ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' },
          );
          return dynamodbError(
            'TransactionCanceledException',
            'Transaction cancelled, please refer cancellation reasons for specific reasons',
            { CancellationReasons: reasons },
          );
        }
        const answer = await inner.handle(request, options);
        if (writes.test(operation) && this.roll('lostAnswer')) {
          (answer.response.body as Readable | undefined)?.resume?.();
          throw Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' });
        }
        return answer;
      },
    };
  }

  private streamConsumer(handler: (event: DynamoDBStreamEvent) => Promise<unknown>) {
    return async (event: DynamoDBStreamEvent) => {
      if (this.roll('crashMidBatch')) {
        await handler({ Records: event.Records.slice(0, Math.floor(event.Records.length / 2)) });
        throw new Error('injected crash half-way through a batch');
      }
      if (event.Records.length > 1 && this.roll('redeliver')) {
        // What was delivered before, again, then everything in reverse: duplicates and disorder at once.
        const reordered: DynamoDBRecord[] = [...event.Records.slice(0, 1), ...[...event.Records].reverse()];
        await handler({ Records: reordered });
      }
      return handler(event);
    };
  }

  private twice<T extends (input: never) => Promise<unknown>>(target: T): T {
    return (async (input: never) => {
      if (!this.roll('deliverTwice')) return target(input);
      const [first] = await Promise.all([target(input), target(input)]);
      return first;
    }) as T;
  }
}
