import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { sha256Hex } from '../../../events/hash-chain.ts';
import type { TenantLogEntry } from '../../../events/tenant-log.ts';
import { LogRaced, spanMs, type TenantLogStore } from '../ports/tenant-log-store.ts';
import { batchGetAll } from './batch-get.ts';
import { queryAll } from './query-all.ts';

type Item = Record<string, AttributeValue>;

/**
 * The most entries one commit holds: a commit is one item (about 300 bytes an entry), so one
 * write unit carries three entries or so; this keeps the item near 30 KB.
 */
export const maxEntriesPerCommit = 100;

const logKey = (tenantId: string) => `log#${tenantId}`;
const cursorKey = (streamId: string) => ({ pk: { S: `stream#${streamId}` }, seq: { N: '0' } });
/**
 * The tenants with a log, listed under one partition. The sort key is a number, so each tenant
 * sits at 52 bits of its id's SHA-256: written once per tenant, never moved.
 */
const tenantsPartition = 'tenants';
const tenantPlace = (tenantId: string) => String(Number.parseInt(sha256Hex(tenantId).slice(0, 13), 16));
/** Which tenants' logs moved in a span, each at its tenant's place; kept a week, far longer than any digest interval. */
const movedKey = (span: number) => `moved#${span}`;
const movedNoteSeconds = 7 * 24 * 3600;

/**
 * The audit table's layout: a tenant's commits under `pk = "log#<tenantId>"`, each at the `seq` of
 * its first entry, its entries in one attribute and the log's Merkle frontier after them in another
 * (a commit whose place another writer took first fails its condition); per stream the last version its tenant's log covers, under
 * `pk = "stream#<streamId>"` at `seq = 0`; the tenants under `pk = "tenants"`; the tenants whose
 * logs moved in a span under `pk = "moved#<span>"` (expiring). Writes cost one unit per kilobyte of
 * a commit and one per stream it moves, with no transaction, and one per tenant and span it moves in.
 */
export function dynamoTenantLog(client: DynamoDBClient, tableName: string): TenantLogStore {
  const commits = async (tenantId: string, from: number, limit: number) =>
    client.send(
      new QueryCommand({
        TableName: tableName,
        ConsistentRead: true,
        KeyConditionExpression: 'pk = :log AND seq >= :from',
        ExpressionAttributeValues: { ':log': { S: logKey(tenantId) }, ':from': { N: String(from) } },
        Limit: limit,
      }),
    );
  return {
    async tenants() {
      const items = await queryAll(client, {
        TableName: tableName,
        ConsistentRead: true,
        KeyConditionExpression: 'pk = :tenants',
        ExpressionAttributeValues: { ':tenants': { S: tenantsPartition } },
      });
      return items.map((item) => item.tenantId?.S ?? '').sort();
    },

    async lastCommit(tenantId) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          ConsistentRead: true,
          KeyConditionExpression: 'pk = :log',
          ExpressionAttributeValues: { ':log': { S: logKey(tenantId) } },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      const item = Items[0];
      return item ? { entries: entriesOf(item, tenantId), frontier: frontierOf(item), committedAt: item.committedAt?.S } : null;
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

    async page({ tenantId, after, limit }) {
      // The commit that holds entry `after + 1` starts at most a commit's length before it.
      let from = Math.max(1, after + 2 - maxEntriesPerCommit);
      const entries: TenantLogEntry[] = [];
      for (;;) {
        const { Items = [], LastEvaluatedKey } = await commits(tenantId, from, 10);
        for (const item of Items) entries.push(...entriesOf(item, tenantId).filter((entry) => entry.seq > after));
        if (entries.length > limit) return { entries: entries.slice(0, limit), more: true };
        if (!LastEvaluatedKey) return { entries, more: false };
        if (entries.length === limit) return { entries, more: true };
        from = Number(LastEvaluatedKey.seq!.N) + 1;
      }
    },

    async append(tenantId, { entries, frontier, committedAt }) {
      const first = entries[0];
      if (!first) return;
      if (entries.length > maxEntriesPerCommit) throw new Error(`a commit holds at most ${maxEntriesPerCommit} entries`);
      if (first.seq === 1) await listTenant(client, tableName, tenantId);
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: logKey(tenantId) },
              seq: { N: String(first.seq) },
              entries: { S: JSON.stringify(entries.map(entryTuple)) },
              frontier: { S: Buffer.from(frontier.join(''), 'hex').toString('base64') },
              ...(committedAt ? { committedAt: { S: committedAt } } : {}),
            },
            // A place is taken once: two writers that read the same head cannot both commit after it.
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw new LogRaced('another writer committed to the log first');
        throw error;
      }
    },

    async advanceCursors(cursors) {
      await Promise.all(
        [...cursors].map(async ([streamId, cursor]) => {
          try {
            await client.send(
              new UpdateItemCommand({
                TableName: tableName,
                Key: cursorKey(streamId),
                UpdateExpression: 'SET lastVersion = :v, lastHash = :h',
                ConditionExpression: 'attribute_not_exists(pk) OR lastVersion < :v',
                ExpressionAttributeValues: { ':v': { N: String(cursor.lastVersion) }, ':h': { S: cursor.lastHash } },
              }),
            );
          } catch (error) {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
          }
        }),
      );
    },

    async markMoved(tenantId, span) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: movedKey(span) },
            seq: { N: tenantPlace(tenantId) },
            tenantId: { S: tenantId },
            expiresAt: { N: String(Math.floor(((span + 1) * spanMs) / 1000) + movedNoteSeconds) },
          },
        }),
      );
    },

    async movedIn(from, to) {
      const spans = Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
      const noted = await Promise.all(
        spans.map((span) =>
          queryAll(client, {
            TableName: tableName,
            ConsistentRead: true,
            KeyConditionExpression: 'pk = :moved',
            ExpressionAttributeValues: { ':moved': { S: movedKey(span) } },
          }),
        ),
      );
      return [...new Set(noted.flat().map((item) => item.tenantId?.S ?? ''))].sort();
    },
  };
}

async function listTenant(client: DynamoDBClient, tableName: string, tenantId: string): Promise<void> {
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: tenantsPartition }, seq: { N: tenantPlace(tenantId) }, tenantId: { S: tenantId } },
        ConditionExpression: 'attribute_not_exists(pk) OR tenantId = :t',
        ExpressionAttributeValues: { ':t': { S: tenantId } },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new Error(`two tenant ids share a place in the tenant list: ${tenantId}`);
    throw error;
  }
}

/** An entry as stored: its fields in a fixed order, the tenant left to the partition it is in. */
type EntryTuple = [number, string, number, string, string, string, string, string];
const entryTuple = (e: TenantLogEntry): EntryTuple => [
  e.seq,
  e.streamId,
  e.version,
  e.eventId,
  e.recordedAt,
  e.eventHash,
  e.prevHash,
  e.hash,
];

/** The Merkle frontier after a commit, kept as its hashes' bytes in base64 (about 0.9 KB at a billion entries). */
const frontierOf = (item: Item): string[] =>
  Buffer.from(item.frontier?.S ?? '', 'base64')
    .toString('hex')
    .match(/.{64}/g) ?? [];

/** Read as stored, unvalidated: `audit verify` recomputes every hash and reports what does not match. */
function entriesOf(item: Item, tenantId: string): TenantLogEntry[] {
  let tuples: unknown;
  try {
    tuples = JSON.parse(item.entries?.S ?? '[]');
  } catch {
    return []; // unreadable: verify reports the entries as missing
  }
  if (!Array.isArray(tuples)) return [];
  return tuples.map((tuple) => {
    const [seq, streamId, version, eventId, recordedAt, eventHash, prevHash, hash] = Array.isArray(tuple) ? tuple : [];
    return { seq, streamId, version, eventId, tenantId, recordedAt, eventHash, prevHash, hash } as TenantLogEntry;
  });
}

/** Whether the table still holds the single region log of Meridian before tenant logs: `audit migrate-log` moves it. */
export async function holdsRegionLog(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :log',
      ExpressionAttributeValues: { ':log': { S: 'log' } },
      Limit: 1,
    }),
  );
  return Items.length > 0;
}

/** The tenant of a commit item as a stream record carries it (null for any other item of the audit table). */
export function logTenantOf(item: Item): string | null {
  const pk = item.pk?.S;
  return pk?.startsWith('log#') ? pk.slice('log#'.length) : null;
}

/** The tenant and entries of a commit item as a stream record carries it (null for any other item of the audit table). */
export function logCommitOf(item: Item): { tenantId: string; entries: TenantLogEntry[] } | null {
  const tenantId = logTenantOf(item);
  return tenantId === null ? null : { tenantId, entries: entriesOf(item, tenantId) };
}
