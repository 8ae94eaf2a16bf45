import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { envelopeSchema, type StoredEvent } from '../../../events/envelope.ts';
import { canonicalJson, type EnvelopeStrings, envelopeStringKeys, envelopeText } from '../../../events/hash-chain.ts';
import { appendIsTransaction, ConcurrencyError, type EventStore } from '../ports/event-store.ts';
import { batchGetAll } from './batch-get.ts';

/** DynamoDB allows 100 items a transaction; one place is kept for a caller's guard item. */
export const maxEventsPerCommit = 99;

export function dynamoEventStore(client: DynamoDBClient, tableName: string): EventStore {
  return {
    async readStream(streamId, { toVersion } = {}) {
      const events: StoredEvent[] = [];
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            ConsistentRead: true,
            KeyConditionExpression: toVersion === undefined ? 'streamId = :s' : 'streamId = :s AND version <= :v',
            ExpressionAttributeValues: {
              ':s': { S: streamId },
              ...(toVersion === undefined ? {} : { ':v': { N: String(toVersion) } }),
            },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) events.push(eventFromItem(item));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return events;
    },

    async readEvents(keys) {
      const items = await batchGetAll(
        client,
        tableName,
        keys.map(({ streamId, version }) => ({ streamId: { S: streamId }, version: { N: String(version) } })),
      );
      return items.map(eventFromItem);
    },

    async append(events, guards = []) {
      const streamId = events[0]?.streamId;
      if (!streamId) throw new Error('append needs at least one event');
      if (events.length > maxEventsPerCommit) throw new Error(`a commit holds at most ${maxEventsPerCommit} events`);
      events.forEach((event, i) => {
        if (event.streamId !== streamId || event.version !== events[0]!.version + i) {
          throw new Error('a commit is consecutive versions of one stream');
        }
        if (i > 0 && event.prevHash !== events[i - 1]!.hash) throw new Error('a commit is one unbroken hash chain');
      });
      if (!appendIsTransaction(events.length, guards.length)) return appendOne(client, tableName, events[0]!);
      const puts: TransactWriteItem[] = events.map((event) => ({
        Put: {
          TableName: tableName,
          Item: eventToItem(event),
          ConditionExpression: 'attribute_not_exists(streamId)',
        },
      }));
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: [...puts, ...guards] }));
      } catch (error) {
        throw asConcurrencyError(error, streamId, events.length) ?? error;
      }
    },
  };
}

/**
 * A lone event needs no transaction: a conditional put costs half as much. The SDK retries a put
 * whose answer was lost, and that retry then finds the event already there: the same eventId is
 * this write landing, another is a writer that took the version first.
 */
async function appendOne(client: DynamoDBClient, tableName: string, event: StoredEvent): Promise<void> {
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: eventToItem(event),
        ConditionExpression: 'attribute_not_exists(streamId)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    if (error.Item?.eventId?.S !== event.eventId) throw new ConcurrencyError(event.streamId, 'version_taken');
  }
}

function asConcurrencyError(error: unknown, streamId: string, eventCount: number): ConcurrencyError | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
  if (failed >= 0) return new ConcurrencyError(streamId, failed < eventCount ? 'version_taken' : 'guard_failed');
  if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
    return new ConcurrencyError(streamId, 'transaction_conflict');
  }
  return undefined;
}

/**
 * Payload and actor are stored as their RFC 8785 JSON text: exactly what was written is what is
 * read, and `audit verify` can hash a record from its stored text without parsing it again.
 */
export function eventToItem(event: StoredEvent): Record<string, AttributeValue> {
  return {
    streamId: { S: event.streamId },
    version: { N: String(event.version) },
    eventId: { S: event.eventId },
    type: { S: event.type },
    schemaVersion: { N: String(event.schemaVersion) },
    occurredAt: { S: event.occurredAt },
    recordedAt: { S: event.recordedAt },
    region: { S: event.region },
    tenantId: { S: event.tenantId },
    actor: { S: canonicalJson(event.actor) },
    correlationId: { S: event.correlationId },
    causationId: { S: event.causationId },
    data: { S: canonicalJson(event.data) },
    prevHash: { S: event.prevHash },
    hash: { S: event.hash },
  };
}

const positiveInteger = /^[1-9]\d{0,14}$/;

/**
 * The text `hash` covers, assembled from the stored attributes as they are (actor and data are
 * stored canonical): the RFC 8785 form of an intact record, without parsing it. Null when an
 * attribute is missing or malformed; `verify` then judges the record the slow way.
 */
export function storedCanonicalText(item: Record<string, AttributeValue>): string | null {
  const { actor, data, schemaVersion, version } = item;
  if (!actor?.S || !data?.S || !positiveInteger.test(schemaVersion?.N ?? '') || !positiveInteger.test(version?.N ?? '')) return null;
  const strings = {
    causationId: item.causationId?.S,
    correlationId: item.correlationId?.S,
    eventId: item.eventId?.S,
    occurredAt: item.occurredAt?.S,
    prevHash: item.prevHash?.S,
    recordedAt: item.recordedAt?.S,
    region: item.region?.S,
    streamId: item.streamId?.S,
    tenantId: item.tenantId?.S,
    type: item.type?.S,
  };
  for (const key of envelopeStringKeys) if (strings[key] === undefined) return null;
  try {
    return envelopeText(strings as EnvelopeStrings, actor.S, data.S, schemaVersion!.N!, version!.N!);
  } catch {
    return null; // a lone surrogate: not a JSON text
  }
}

export const eventFromItem = (item: Record<string, AttributeValue>): StoredEvent => envelopeSchema.parse(recordOfItem(item));

/**
 * The stored record as it is hashed, read without validation: `audit verify` judges a record by
 * its hash, and a damaged one must be reported, not rejected on the way in.
 */
export function recordOfItem(item: Record<string, AttributeValue>): Record<keyof StoredEvent, unknown> {
  const text = (name: string) => item[name]?.S;
  const number = (name: string) => Number(item[name]?.N);
  const json = (name: string) => {
    try {
      return JSON.parse(text(name) ?? 'null') as unknown;
    } catch {
      return text(name);
    }
  };
  return {
    streamId: text('streamId'),
    version: number('version'),
    eventId: text('eventId'),
    type: text('type'),
    schemaVersion: number('schemaVersion'),
    occurredAt: text('occurredAt'),
    recordedAt: text('recordedAt'),
    region: text('region'),
    tenantId: text('tenantId'),
    actor: json('actor'),
    correlationId: text('correlationId'),
    causationId: text('causationId'),
    data: json('data'),
    prevHash: text('prevHash'),
    hash: text('hash'),
  };
}
