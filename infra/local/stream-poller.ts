import { setTimeout as sleep } from 'node:timers/promises';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  streamArn: string;
  region: string;
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;
  batchSize?: number;
  idleMs?: number;
  onError?: (error: unknown) => void;
}

/** How often to look for new shards while none has finished (Lambda's mapping also discovers them periodically). */
const describeEveryMs = 1000;

interface ShardCursor {
  iterator?: string;
  lastSequence?: string;
  finished: boolean;
}

/**
 * Plays Lambda's event source mapping for a DynamoDB stream: reads every shard in order (a child
 * only after its parent), hands batches to the handler, and redelivers from the first failed
 * record it reports (ReportBatchItemFailures), so delivery is at-least-once and per-key ordered.
 */
export class StreamPoller {
  private readonly cursors = new Map<string, ShardCursor>();
  private shards: Shard[] = [];
  private describedAt = Number.NEGATIVE_INFINITY;
  private running = false;
  private loop?: Promise<void>;

  constructor(private readonly options: StreamPollerOptions) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run() {
    while (this.running) {
      let delivered = 0;
      try {
        for (const shard of await this.readyShards()) delivered += await this.poll(shard.ShardId!);
      } catch (error) {
        this.options.onError?.(error);
        await sleep(500);
      }
      if (delivered === 0) await sleep(this.options.idleMs ?? 100);
    }
  }

  /**
   * The shards to read now: the stream is described again once a second, or at once after a shard
   * has finished (its children are next). Describing it on every round cost a call per consumer
   * per batch under load, over a shard list that grows for the stream's 24 hours.
   */
  private async readyShards(): Promise<Shard[]> {
    if (performance.now() - this.describedAt >= describeEveryMs) {
      this.shards = await this.describe();
      this.describedAt = performance.now();
    }
    const shards = this.shards;
    const known = new Set(shards.map((shard) => shard.ShardId));
    return shards.filter((shard) => {
      if (this.cursors.get(shard.ShardId!)?.finished) return false;
      const parent = shard.ParentShardId;
      return !parent || !known.has(parent) || this.cursors.get(parent)?.finished === true;
    });
  }

  private async describe(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.options.client.send(
        new DescribeStreamCommand({ StreamArn: this.options.streamArn, ExclusiveStartShardId: start }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  private async poll(shardId: string): Promise<number> {
    const cursor = this.cursors.get(shardId) ?? { finished: false };
    this.cursors.set(shardId, cursor);
    cursor.iterator ??= await this.iterator(shardId, cursor.lastSequence);
    let page;
    try {
      page = await this.options.client.send(
        new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: this.options.batchSize ?? 100 }),
      );
    } catch (error) {
      // DynamoDB Local also answers TrimmedDataAccess for an iterator taken while its shard was
      // empty, once the first record lands (aws/aws-sdk-java#2923). Nothing was delivered from it:
      // a fresh iterator from the last delivered record loses nothing.
      if (!(error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException)) throw error;
      cursor.iterator = undefined;
      return 0;
    }
    const records = page.Records ?? [];
    if (records.length > 0) {
      const { batchItemFailures = [] } = (await this.options.handler({ Records: records.map((r) => this.toLambda(r)) })) ?? {};
      const failed = records.findIndex((r) => batchItemFailures.some((f) => f.itemIdentifier === r.dynamodb?.SequenceNumber));
      if (failed >= 0) {
        // Redeliver from the first failed record, as Lambda does, after a pause.
        if (failed > 0) cursor.lastSequence = records[failed - 1]!.dynamodb!.SequenceNumber;
        cursor.iterator = await this.iterator(shardId, cursor.lastSequence, records[failed]!.dynamodb!.SequenceNumber);
        await sleep(200);
        return failed;
      }
      cursor.lastSequence = records[records.length - 1]!.dynamodb!.SequenceNumber;
    }
    cursor.iterator = page.NextShardIterator;
    if (!cursor.iterator) {
      cursor.finished = true;
      this.describedAt = Number.NEGATIVE_INFINITY;
    }
    return records.length;
  }

  private async iterator(shardId: string, after?: string, at?: string): Promise<string | undefined> {
    const type: ShardIteratorType = at ? 'AT_SEQUENCE_NUMBER' : after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON';
    const { ShardIterator } = await this.options.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.options.streamArn,
        ShardId: shardId,
        ShardIteratorType: type,
        SequenceNumber: at ?? after,
      }),
    );
    return ShardIterator;
  }

  private toLambda(record: _Record): DynamoDBRecord {
    return {
      eventID: record.eventID,
      eventName: record.eventName,
      eventVersion: record.eventVersion,
      eventSource: 'aws:dynamodb',
      awsRegion: this.options.region,
      eventSourceARN: this.options.streamArn,
      dynamodb: {
        ...record.dynamodb,
        ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
          ? record.dynamodb.ApproximateCreationDateTime.getTime() / 1000
          : undefined,
      },
    } as DynamoDBRecord;
  }
}
