import { type DynamoDBClient, GetItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';

/**
 * What a POST with an Idempotency-Key committed. It is written in the same transaction as the
 * events, so a request that appended is always found again, even if the process died before it
 * answered; the response is rebuilt from the stream, so the record itself holds no personal data.
 */
export interface IdempotencyRecord {
  tenantId: string;
  key: string;
  requestHash: string;
  streamId: string;
  /** The versions the request appended: [firstVersion, lastVersion]; first > last when it appended nothing. */
  firstVersion: number;
  lastVersion: number;
  expiresAt: number;
}

export interface IdempotencyStore {
  find(tenantId: string, key: string, nowSeconds: number): Promise<IdempotencyRecord | null>;
  /** The transaction item that claims the key, failing if a live record holds it. */
  claim(record: IdempotencyRecord, nowSeconds: number): TransactWriteItem;
}

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
