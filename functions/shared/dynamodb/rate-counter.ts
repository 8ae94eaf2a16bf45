import { createHash } from 'node:crypto';
import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { RateCounter } from '../ports/rate-counter.ts';

/**
 * Counters in the idempotency table (short-lived, expiring records of a tenant's requests): one
 * item per tenant and window, `pk = "rate:<tenant>:<window start>"` (idempotency records' keys
 * always hold a `#`, these never do), the tenant's count and one count per token in it, named by
 * a hash of the token's subject. One UpdateItem per request, which answers both counts.
 */
export function dynamoRateCounter(client: DynamoDBClient, tableName: string): RateCounter {
  return {
    async hit({ tenantId, token }, window) {
      const tokenCount = `t_${createHash('sha256').update(token).digest('base64url').slice(0, 22)}`;
      const { Attributes: counts } = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: `rate:${tenantId}:${window.start}` } },
          UpdateExpression: 'ADD tenantCount :one, #token :one SET expiresAt = :expires',
          ExpressionAttributeNames: { '#token': tokenCount },
          ExpressionAttributeValues: { ':one': { N: '1' }, ':expires': { N: String(Math.ceil(window.end / 1000) + 60) } },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return { tenant: Number(counts?.tenantCount?.N ?? 0), token: Number(counts?.[tokenCount]?.N ?? 0) };
    },
  };
}
