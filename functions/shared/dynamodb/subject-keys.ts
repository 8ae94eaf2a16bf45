import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { isTransactionConflict, jitteredBackoff } from '../platform/retry.ts';
import type { KeyContext, KeyVault } from '../ports/key-vault.ts';
import { type Contact, SubjectKeyMissing, type SubjectKeys } from '../ports/subject-keys.ts';

export interface SubjectKeysOptions {
  newId: () => string;
  now: () => Date;
  /** How long an unwrapped key stays in memory: also how long an erasure may take to reach a warm function. */
  cacheSeconds?: number;
  cacheSize?: number;
}

const normalise = (contact: Contact) => `${contact.kind}:${contact.value.trim().toLowerCase()}`;
const subjectPk = ({ tenantId, subjectId }: KeyContext) => `subject#${tenantId}#${subjectId}`;

/** TransactionConflict retries before the write gives up (the SDK retries throttling itself). */
const maxConflictRetries = 8;

/**
 * The subject directory, one table per region: `contact#<tenant>#<hmac>` -> subjectId (the plain
 * contact is never stored) and `subject#<tenant>#<subjectId>` -> the wrapped data key. Erasure
 * deletes the second: every value sealed with it becomes unreadable (crypto-shredding).
 */
export function dynamoSubjectKeys(client: DynamoDBClient, tableName: string, vault: KeyVault, options: SubjectKeysOptions): SubjectKeys {
  const cacheMs = (options.cacheSeconds ?? 300) * 1000;
  const cacheSize = options.cacheSize ?? 1000;
  const cache = new Map<string, { key: Uint8Array; until: number }>();
  const contactPk = async (tenantId: string, contact: Contact) =>
    `contact#${tenantId}#${await vault.lookupHash(`${tenantId}\n${normalise(contact)}`)}`;

  const subjectOf = async (pk: string) => {
    const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk } }, ConsistentRead: true }));
    return Item?.subjectId?.S ?? null;
  };

  // A subject's key item lists its contact items, so that erasure can remove those too.
  const keyItem = (context: KeyContext, wrapped: Uint8Array, contactPks: string[] = []) => ({
    pk: { S: subjectPk(context) },
    subjectId: { S: context.subjectId },
    tenantId: { S: context.tenantId },
    wrappedKey: { B: wrapped },
    createdAt: { S: options.now().toISOString() },
    ...(contactPks.length > 0 ? { contacts: { SS: contactPks } } : {}),
  });

  const remember = (pk: string, key: Uint8Array) => {
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
    cache.set(pk, { key, until: Date.now() + cacheMs });
  };

  return {
    async find(tenantId, contact) {
      return subjectOf(await contactPk(tenantId, contact));
    },

    async resolve(tenantId, contact) {
      const pk = await contactPk(tenantId, contact);
      const known = await subjectOf(pk);
      if (known) return known;
      const subjectId = options.newId();
      const { plaintext, wrapped } = await vault.generateDataKey({ tenantId, subjectId });
      const put = new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { pk: { S: pk }, subjectId: { S: subjectId } },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: keyItem({ tenantId, subjectId }, wrapped, [pk]),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      });
      for (let attempt = 0; ; attempt++) {
        try {
          await client.send(put);
          break;
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          // Another request met this contact first: its subject is the one.
          const winner = await subjectOf(pk);
          if (winner) return winner;
          if (!isTransactionConflict(error) || attempt === maxConflictRetries) throw error;
          await jitteredBackoff(attempt);
        }
      }
      remember(subjectPk({ tenantId, subjectId }), plaintext);
      return subjectId;
    },

    async create(context) {
      const { plaintext, wrapped } = await vault.generateDataKey(context);
      try {
        await client.send(
          new PutItemCommand({ TableName: tableName, Item: keyItem(context, wrapped), ConditionExpression: 'attribute_not_exists(pk)' }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return; // a retry: the first key stays
        throw error;
      }
      remember(subjectPk(context), plaintext);
    },

    async createWith(context) {
      const { plaintext, wrapped } = await vault.generateDataKey(context);
      // Remembered before it is stored: only the events of the same transaction are sealed with it.
      remember(subjectPk(context), plaintext);
      return { Put: { TableName: tableName, Item: keyItem(context, wrapped), ConditionExpression: 'attribute_not_exists(pk)' } };
    },

    async link(tenantId, contact, subjectId) {
      const pk = await contactPk(tenantId, contact);
      for (let attempt = 0; ; attempt++) {
        const known = await subjectOf(pk);
        if (known) return known === subjectId;
        try {
          await client.send(
            new TransactWriteItemsCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tableName,
                    Item: { pk: { S: pk }, subjectId: { S: subjectId } },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
                {
                  Update: {
                    TableName: tableName,
                    Key: { pk: { S: subjectPk({ tenantId, subjectId }) } },
                    UpdateExpression: 'ADD contacts :contact',
                    ConditionExpression: 'attribute_exists(wrappedKey)',
                    ExpressionAttributeValues: { ':contact': { SS: [pk] } },
                  },
                },
              ],
            }),
          );
          return true;
        } catch (error) {
          if (!isTransactionConflict(error) || attempt === maxConflictRetries) throw error;
          await jitteredBackoff(attempt);
        }
      }
    },

    async destroy(context) {
      const pk = subjectPk(context);
      cache.delete(pk);
      const { Attributes } = await client.send(
        new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: pk } }, ReturnValues: 'ALL_OLD' }),
      );
      // Without its contacts, a returning customer becomes a new subject instead of one whose key is gone.
      for (const contact of Attributes?.contacts?.SS ?? []) {
        try {
          await client.send(
            new DeleteItemCommand({
              TableName: tableName,
              Key: { pk: { S: contact } },
              ConditionExpression: 'subjectId = :subject',
              ExpressionAttributeValues: { ':subject': { S: context.subjectId } },
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      return Attributes?.wrappedKey !== undefined;
    },

    async countTicket(context) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: { S: subjectPk(context) } },
            UpdateExpression: 'ADD ticketsOpened :one',
            ConditionExpression: 'attribute_exists(wrappedKey)',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error; // erased: nothing left to count for
      }
    },

    async ticketsOpened(context) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: subjectPk(context) } }, ConsistentRead: true }),
      );
      return Number(Item?.ticketsOpened?.N ?? 0);
    },

    async dataKey(context) {
      const pk = subjectPk(context);
      const cached = cache.get(pk);
      if (cached && cached.until > Date.now()) return cached.key;
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk } }, ConsistentRead: true }));
      if (!Item?.wrappedKey?.B) throw new SubjectKeyMissing(context.subjectId);
      const key = await vault.unwrapDataKey(Item.wrappedKey.B, context);
      remember(pk, key);
      return key;
    },
  };
}
