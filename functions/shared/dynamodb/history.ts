import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DigestStore } from '../ports/digest-store.ts';
import { logInOrder, type TenantLogStore } from '../ports/tenant-log-store.ts';
import type { HistorySource } from './history-verify.ts';

type Item = Record<string, AttributeValue>;

/** A region's history as stored: the events table (scanned in parallel segments), the tenant logs, the digests. */
export function dynamoHistory(deps: {
  dynamodb: DynamoDBClient;
  eventsTable: string;
  tenantLog: TenantLogStore;
  digests: DigestStore;
  segments?: number;
}): HistorySource {
  return {
    eventItems: (tenantId) => scanInParallel(deps.dynamodb, deps.eventsTable, deps.segments ?? 4, tenantId),
    tenants: () => deps.tenantLog.tenants(),
    logEntries: (tenantId) => logInOrder(deps.tenantLog, { tenantId }),
    digests: () => deps.digests.all(),
  };
}

/** Pages of a parallel scan, yielded as they arrive, so hashing overlaps the reads. */
async function* scanInParallel(client: DynamoDBClient, tableName: string, segments: number, tenantId?: string): AsyncGenerator<Item[]> {
  const ready: Item[][] = [];
  let wake: (() => void) | undefined;
  let failure: unknown;
  let running = segments;
  const segment = async (index: number) => {
    let startKey: Item | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: tableName,
          Segment: index,
          TotalSegments: segments,
          ExclusiveStartKey: startKey,
          ...(tenantId ? { FilterExpression: 'tenantId = :t', ExpressionAttributeValues: { ':t': { S: tenantId } } } : {}),
        }),
      );
      ready.push(page.Items ?? []);
      wake?.();
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  };
  for (let index = 0; index < segments; index++) {
    segment(index)
      .catch((error: unknown) => (failure ??= error))
      .finally(() => {
        running -= 1;
        wake?.();
      });
  }
  while (running > 0 || ready.length > 0) {
    if (failure) throw failure;
    const page = ready.shift();
    if (page) yield page;
    else await new Promise<void>((done) => (wake = done));
  }
  if (failure) throw failure;
}
