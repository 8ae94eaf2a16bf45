import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import type { RegionLogEntry } from '../../../events/region-log.ts';
import { LogRaced, type RegionLogStore } from '../ports/region-log-store.ts';
import { batchGetAll } from './batch-get.ts';
import { auditLogIndex } from './tables.ts';

/** DynamoDB's cap on one transaction's items. */
export const maxLogItemsPerCommit = 100;

const cursorKey = (streamId: string) => ({ pk: { S: `stream#${streamId}` }, seq: { N: '0' } });

export function dynamoRegionLog(client: DynamoDBClient, tableName: string): RegionLogStore {
  return {
    async head() {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          ConsistentRead: true,
          KeyConditionExpression: 'pk = :log',
          ExpressionAttributeValues: { ':log': { S: 'log' } },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      return Items[0] ? { seq: Number(Items[0].seq!.N), hash: Items[0].hash!.S! } : null;
    },

    async cursors(streamIds) {
      const items = await batchGetAll(client, tableName, streamIds.map(cursorKey));
      return new Map(
        items.map((item) => [
          item.pk!.S!.slice('stream#'.length),
          { lastVersion: Number(item.lastVersion!.N), lastHash: item.lastHash!.S! },
        ]),
      );
    },

    async page({ after, limit, tenantId }) {
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: tenantId ? auditLogIndex.name : undefined,
          ConsistentRead: tenantId ? undefined : true,
          KeyConditionExpression: tenantId ? 'tenantId = :p AND seq > :after' : 'pk = :p AND seq > :after',
          ExpressionAttributeValues: { ':p': { S: tenantId ?? 'log' }, ':after': { N: String(after) } },
          Limit: limit,
        }),
      );
      return { entries: Items.map(entryFromItem), more: LastEvaluatedKey !== undefined };
    },

    async entry(seq) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'log' }, seq: { N: String(seq) } }, ConsistentRead: true }),
      );
      return Item ? entryFromItem(Item) : null;
    },

    async append(entries, cursors) {
      if (entries.length === 0) return;
      const items: TransactWriteItem[] = [
        // A number is taken once: two sequencers that read the same head cannot both write after it.
        ...entries.map((entry) => ({
          Put: { TableName: tableName, Item: entryToItem(entry), ConditionExpression: 'attribute_not_exists(pk)' },
        })),
        ...[...cursors].map(([streamId, { from, to }]) => ({
          Put: {
            TableName: tableName,
            Item: { ...cursorKey(streamId), lastVersion: { N: String(to.lastVersion) }, lastHash: { S: to.lastHash } },
            ...expectAt('lastVersion', from?.lastVersion),
          },
        })),
      ];
      if (items.length > maxLogItemsPerCommit) throw new Error(`a log commit holds at most ${maxLogItemsPerCommit} items`);
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      } catch (error) {
        if (error instanceof TransactionCanceledException) throw new LogRaced('another sequencer moved the log first');
        throw error;
      }
    },
  };
}

/** The condition that the item is still where the writer read it (or still absent). */
const expectAt = (attribute: string, value: number | undefined) =>
  value === undefined
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: `${attribute} = :expected`, ExpressionAttributeValues: { ':expected': { N: String(value) } } };

function entryToItem(entry: RegionLogEntry): Record<string, AttributeValue> {
  return {
    pk: { S: 'log' },
    seq: { N: String(entry.seq) },
    streamId: { S: entry.streamId },
    version: { N: String(entry.version) },
    eventId: { S: entry.eventId },
    tenantId: { S: entry.tenantId },
    recordedAt: { S: entry.recordedAt },
    eventHash: { S: entry.eventHash },
    prevHash: { S: entry.prevHash },
    hash: { S: entry.hash },
  };
}

/** Read as stored, unvalidated: `audit verify` recomputes every hash and reports what does not match. */
function entryFromItem(item: Record<string, AttributeValue>): RegionLogEntry {
  return {
    seq: Number(item.seq?.N),
    streamId: item.streamId?.S ?? '',
    version: Number(item.version?.N),
    eventId: item.eventId?.S ?? '',
    tenantId: item.tenantId?.S ?? '',
    recordedAt: item.recordedAt?.S ?? '',
    eventHash: item.eventHash?.S ?? '',
    prevHash: item.prevHash?.S ?? '',
    hash: item.hash?.S ?? '',
  };
}
