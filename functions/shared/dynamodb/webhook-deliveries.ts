import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { DeliveryPosition, DeliveryRecord, HeadFailure, WebhookDeliveryStore, WebhookRef } from '../ports/webhook-deliveries.ts';
import { batchWriteAll } from './batch-write.ts';

/**
 * The webhooks table: per subscription (`pk = "webhook#<id>"`), its position and lease at
 * `sk = "position"`, and one record per delivery at `sk = "d#<seq, 15 digits>"`, newest last,
 * expiring 30 days after its last attempt.
 */
const partition = (ref: WebhookRef) => ({ S: `webhook#${ref.webhookId}` });
const positionKey = (ref: WebhookRef) => ({ pk: partition(ref), sk: { S: 'position' } });
const recordSk = (seq: number) => `d#${String(seq).padStart(15, '0')}`;
const recordKey = (ref: WebhookRef, seq: number) => ({ pk: partition(ref), sk: { S: recordSk(seq) } });
export const deliveryRecordDays = 30;

type Item = Record<string, AttributeValue>;

const json = (value: unknown): AttributeValue => ({ S: JSON.stringify(value) });
const parsed = <T>(value: AttributeValue | undefined): T | null => (value?.S ? (JSON.parse(value.S) as T) : null);
const failed = (error: unknown) =>
  error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException';

export function dynamoWebhookDeliveries(client: DynamoDBClient, tableName: string): WebhookDeliveryStore {
  const update = async (input: Omit<ConstructorParameters<typeof UpdateItemCommand>[0], 'TableName'>): Promise<Item | null> => {
    try {
      return (await client.send(new UpdateItemCommand({ TableName: tableName, ReturnValues: 'ALL_NEW', ...input }))).Attributes ?? null;
    } catch (error) {
      if (failed(error)) return null;
      throw error;
    }
  };
  const writeAll = (requests: WriteRequest[]) => batchWriteAll(client, tableName, requests);
  const recordItem = (ref: WebhookRef, record: DeliveryRecord): Item => ({
    ...recordKey(ref, record.seq),
    record: json(record),
    expiresAt: { N: String(Math.floor(Date.parse(record.lastAttemptAt) / 1000) + deliveryRecordDays * 86_400) },
  });
  const readRecords = async (ref: WebhookRef, options: { before?: number; limit: number; delivered?: boolean }) => {
    const items: DeliveryRecord[] = [];
    // A page answers one more than asked, to tell whether older ones exist.
    const wanted = options.delivered ? options.limit : options.limit + 1;
    let start: Item | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
          ExpressionAttributeValues: {
            ':pk': partition(ref),
            ':first': { S: 'd#' },
            ':last': { S: recordSk((options.before ?? 1e15) - 1) },
          },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: options.delivered ? 100 : wanted,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const record = parsed<DeliveryRecord>(item.record)!;
        if (!options.delivered || record.status === 'delivered') items.push(record);
      }
      start = page.LastEvaluatedKey;
    } while (start && items.length < wanted);
    return items.slice(0, wanted);
  };

  return {
    async take(ref, { startsAfter, leaseMs, now }) {
      const token = randomUUID();
      const initial: DeliveryPosition = { after: startsAfter, previousSeq: null, previousHash: null };
      const taken = await update({
        Key: positionKey(ref),
        UpdateExpression:
          'SET leaseToken = :token, leaseUntil = :until, wake = :no, tenantId = :tenant, #position = if_not_exists(#position, :initial)',
        ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now',
        ExpressionAttributeNames: { '#position': 'position' },
        ExpressionAttributeValues: {
          ':token': { S: token },
          ':until': { N: String(now.getTime() + leaseMs) },
          ':now': { N: String(now.getTime()) },
          ':no': { BOOL: false },
          ':tenant': { S: ref.tenantId },
          ':initial': json(initial),
        },
      });
      if (taken) return { ...ref, token, position: parsed<DeliveryPosition>(taken.position)!, failing: parsed<HeadFailure>(taken.failing) };
      // Held: its holder looks again before letting go, so this wake-up is not lost.
      await update({
        Key: positionKey(ref),
        UpdateExpression: 'SET wake = :yes',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':yes': { BOOL: true } },
      });
      return null;
    },

    async save(lease, { position, failing, records, leaseMs, now }) {
      await writeAll(records.map((record) => ({ PutRequest: { Item: recordItem(lease, record) } })));
      const saved = await update({
        Key: positionKey(lease),
        UpdateExpression: `SET #position = :position, leaseUntil = :until ${failing ? ', failing = :failing' : 'REMOVE failing'}`,
        ConditionExpression: 'leaseToken = :token',
        ExpressionAttributeNames: { '#position': 'position' },
        ExpressionAttributeValues: {
          ':position': json(position),
          ':until': { N: String(now.getTime() + leaseMs) },
          ':token': { S: lease.token },
          ...(failing ? { ':failing': json(failing) } : {}),
        },
      });
      if (saved) Object.assign(lease, { position, failing });
      return saved !== null;
    },

    async release(lease) {
      const released = await update({
        Key: positionKey(lease),
        UpdateExpression: 'REMOVE leaseToken, leaseUntil',
        ConditionExpression: 'leaseToken = :token AND wake = :no',
        ExpressionAttributeValues: { ':token': { S: lease.token }, ':no': { BOOL: false } },
      });
      if (released) return true;
      // Woken while held: keep the lease, clear the call, and look again (or the lease is gone: stop).
      const kept = await update({
        Key: positionKey(lease),
        UpdateExpression: 'SET wake = :no',
        ConditionExpression: 'leaseToken = :token',
        ExpressionAttributeValues: { ':token': { S: lease.token }, ':no': { BOOL: false } },
      });
      return kept === null;
    },

    async letGo(lease) {
      await update({
        Key: positionKey(lease),
        UpdateExpression: 'REMOVE leaseToken, leaseUntil SET wake = :no',
        ConditionExpression: 'leaseToken = :token',
        ExpressionAttributeValues: { ':token': { S: lease.token }, ':no': { BOOL: false } },
      });
    },

    async rewind(ref, position) {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: positionKey(ref),
          UpdateExpression: 'SET #position = :position, tenantId = :tenant, wake = :no REMOVE failing, leaseToken, leaseUntil',
          ExpressionAttributeNames: { '#position': 'position' },
          ExpressionAttributeValues: { ':position': json(position), ':tenant': { S: ref.tenantId }, ':no': { BOOL: false } },
        }),
      );
    },

    async position(ref) {
      const { Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: positionKey(ref), ConsistentRead: true }));
      return item ? { position: parsed<DeliveryPosition>(item.position)!, failing: parsed<HeadFailure>(item.failing) } : null;
    },

    async retryNow(ref, now) {
      const current = await this.position(ref);
      if (!current?.failing) return;
      await update({
        Key: positionKey(ref),
        UpdateExpression: 'SET failing = :failing',
        ConditionExpression: 'failing = :was',
        ExpressionAttributeValues: { ':failing': json({ ...current.failing, retryAt: now.toISOString() }), ':was': json(current.failing) },
      });
    },

    async record(ref, seq) {
      const { Item: item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: recordKey(ref, seq), ConsistentRead: true }),
      );
      return parsed<DeliveryRecord>(item?.record);
    },

    async putRecord(ref, record) {
      await writeAll([{ PutRequest: { Item: recordItem(ref, record) } }]);
    },

    async records(ref, { before, limit }) {
      const items = await readRecords(ref, { before, limit });
      const more = items.length > limit;
      const page = items.slice(0, limit);
      return { items: page, nextBefore: more ? page.at(-1)!.seq : null };
    },

    async deliveredBefore(ref, seq) {
      return (await readRecords(ref, { before: seq, limit: 1, delivered: true }))[0] ?? null;
    },

    async forget(ref) {
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: positionKey(ref) }));
    },
  };
}
