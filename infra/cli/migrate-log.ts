import {
  type AttributeValue,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { byTenant, type LoggableEvent, planLogCommit } from '../../functions/sequencer/plan.ts';
import { queryAll } from '../../functions/shared/dynamodb/query-all.ts';
import { logInOrder, type StreamCursor, type TenantLogStore } from '../../functions/shared/ports/tenant-log-store.ts';

type Item = Record<string, AttributeValue>;

/**
 * Moves the single region log of Meridian before tenant logs (entries under `pk = "log"`) into
 * one log per tenant: each tenant's events keep the order the region log gave them, chained anew
 * per tenant, and the region log's entries are deleted once every tenant's log holds them. A run
 * that stopped part way is taken up where it stopped. Stream cursors already say how far each
 * stream is logged, and stay.
 */
export async function migrateRegionLog(
  client: DynamoDBClient,
  tableName: string,
  tenantLog: TenantLogStore,
): Promise<{ entries: number; tenants: number }> {
  const oldEntries = await regionLogItems(client, tableName);
  const tenants = byTenant(
    oldEntries.map((item) => ({
      streamId: item.streamId!.S!,
      version: Number(item.version!.N),
      eventId: item.eventId!.S!,
      tenantId: item.tenantId!.S!,
      recordedAt: item.recordedAt!.S!,
      hash: item.eventHash!.S!,
    })),
  );
  for (const [tenantId, events] of tenants) await moveTenant(tenantLog, tenantId, events);
  for (let start = 0; start < oldEntries.length; start += 25) {
    let pending: Item[] | undefined = oldEntries.slice(start, start + 25).map((item) => ({ pk: item.pk!, seq: item.seq! }));
    while (pending?.length) {
      const answer: BatchWriteItemCommandOutput = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: pending.map((Key) => ({ DeleteRequest: { Key } })) } }),
      );
      pending = answer.UnprocessedItems?.[tableName]?.map((request) => request.DeleteRequest!.Key!);
    }
  }
  return { entries: oldEntries.length, tenants: tenants.size };
}

async function moveTenant(tenantLog: TenantLogStore, tenantId: string, events: LoggableEvent[]) {
  // What a stopped run already moved is the start of the tenant's log, in the same order.
  const cursors = new Map<string, StreamCursor>();
  let moved = 0;
  for await (const page of logInOrder(tenantLog, { tenantId })) {
    for (const entry of page) {
      if (entry.eventId !== events[moved]?.eventId)
        throw new Error(
          `tenant ${tenantId}'s log already holds events the region log does not (entry ${entry.seq}): a sequencer logged new events before the migration; see docs/operations.md`,
        );
      cursors.set(entry.streamId, { lastVersion: entry.version, lastHash: entry.eventHash });
      moved += 1;
    }
  }
  let rest = events.slice(moved);
  let last = await tenantLog.lastCommit(tenantId);
  while (rest.length > 0) {
    const commit = planLogCommit(last, cursors, rest);
    await tenantLog.append(tenantId, commit);
    for (const [streamId, cursor] of commit.cursors) cursors.set(streamId, cursor);
    last = commit;
    rest = rest.slice(commit.entries.length);
  }
}

const regionLogItems = (client: DynamoDBClient, tableName: string): Promise<Item[]> =>
  queryAll(client, {
    TableName: tableName,
    ConsistentRead: true,
    KeyConditionExpression: 'pk = :log',
    ExpressionAttributeValues: { ':log': { S: 'log' } },
  });
