import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';

const pk = (tenantId: string, key: string) => `${tenantId}#${key}`;

export function dynamoIdempotencyStore(client: DynamoDBClient, tableName: string): IdempotencyStore {
  return {
    async find(tenantId, key, nowSeconds) {
      const { Item: item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk(tenantId, key) } }, ConsistentRead: true }),
      );
      // TTL deletes lazily: an expired record is treated as gone.
      if (!item || Number(item.expiresAt?.N) <= nowSeconds) return null;
      return {
        tenantId,
        key,
        requestHash: item.requestHash?.S ?? '',
        streamId: item.streamId?.S ?? '',
        firstVersion: Number(item.firstVersion?.N),
        lastVersion: Number(item.lastVersion?.N),
        expiresAt: Number(item.expiresAt?.N),
      };
    },

    claim(record, nowSeconds) {
      return {
        Put: {
          TableName: tableName,
          Item: {
            pk: { S: pk(record.tenantId, record.key) },
            requestHash: { S: record.requestHash },
            streamId: { S: record.streamId },
            firstVersion: { N: String(record.firstVersion) },
            lastVersion: { N: String(record.lastVersion) },
            expiresAt: { N: String(record.expiresAt) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
        },
      };
    },
  };
}
