import { createHmac } from 'node:crypto';
import { type AttributeValue, type DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { KeyVault } from '../ports/key-vault.ts';
import type { SearchIndex } from '../ports/search-index.ts';
import { batchGetAll } from './batch-get.ts';
import { batchWriteAll } from './batch-write.ts';

/**
 * The search table: one entry per word and ticket (`pk = "w#<tenant>#<word hash>"`, `sk = ticket
 * id`, so a word's tickets read newest first), and per ticket the hashes it is indexed by
 * (`pk = "t#<tenant>#<ticket id>"`, `sk = "words"`), to remove what a change or an erasure takes away.
 * No word is stored: a hash is HMAC-SHA-256 under the tenant's search key, itself an HMAC of the
 * region's lookup key (KMS GenerateMac in AWS), asked for once per tenant and function instance.
 */
const wordKey = (tenantId: string, hash: string, ticketId: string) => ({ pk: { S: `w#${tenantId}#${hash}` }, sk: { S: ticketId } });
const ticketKey = (tenantId: string, ticketId: string) => ({ pk: { S: `t#${tenantId}#${ticketId}` }, sk: { S: 'words' } });
const tenantKeysKept = 1_000;

export function dynamoSearchIndex(client: DynamoDBClient, tableName: string, vault: KeyVault): SearchIndex {
  const tenantKeys = new Map<string, Promise<string>>();
  const tenantKey = (tenantId: string) => {
    let key = tenantKeys.get(tenantId);
    if (!key) {
      if (tenantKeys.size >= tenantKeysKept) tenantKeys.delete(tenantKeys.keys().next().value!);
      key = vault.lookupHash(`meridian-search-key\n${tenantId}`);
      // A failed derivation is asked for again next time.
      key.catch(() => tenantKeys.delete(tenantId));
      tenantKeys.set(tenantId, key);
    }
    return key;
  };

  return {
    async hashWords(tenantId, words) {
      const key = await tenantKey(tenantId);
      // 128 bits of the MAC: no two words of a tenant meet by chance.
      return words.map((word) => createHmac('sha256', key).update(word, 'utf8').digest().subarray(0, 16).toString('base64url'));
    },

    async indexed(tenantId, ticketId) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: ticketKey(tenantId, ticketId), ConsistentRead: true }),
      );
      if (!Item) return null;
      return { version: Number(Item.version?.N ?? 0), hashes: Item.hashes?.SS ?? [] };
    },

    async replace(tenantId, ticketId, before, next) {
      const had = new Set(before);
      const after = new Set(next.hashes);
      const added = [...after].filter((hash) => !had.has(hash));
      const removed = [...had].filter((hash) => !after.has(hash));
      await batchWriteAll(client, tableName, [
        ...added.map((hash) => ({ PutRequest: { Item: wordKey(tenantId, hash, ticketId) } })),
        ...removed.map((hash) => ({ DeleteRequest: { Key: wordKey(tenantId, hash, ticketId) } })),
      ]);
      // Last, so a failure above is done again: the ticket's list never names less than is stored.
      const item: Record<string, AttributeValue> = { ...ticketKey(tenantId, ticketId), version: { N: String(next.version) } };
      if (after.size > 0) item.hashes = { SS: [...after] };
      await batchWriteAll(client, tableName, [{ PutRequest: { Item: item } }]);
      return { added: added.length, removed: removed.length };
    },

    async matching(tenantId, hashes, { before, limit, examine }) {
      const [first, ...others] = hashes;
      if (first === undefined) return { ticketIds: [], examined: 0, last: null };
      const ticketIds: string[] = [];
      let examined = 0;
      let last: string | null = null;
      let start: Record<string, AttributeValue> | undefined = before ? wordKey(tenantId, first, before) : undefined;
      for (;;) {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :word',
            ExpressionAttributeValues: { ':word': { S: `w#${tenantId}#${first}` } },
            ScanIndexForward: false,
            ExclusiveStartKey: start,
            Limit: Math.min(100, examine - examined),
          }),
        );
        const candidates = (page.Items ?? []).map((item) => item.sk!.S!);
        const withAll = await haveAll(tenantId, candidates, others);
        for (const id of candidates) {
          last = id;
          examined += 1;
          if (withAll.has(id)) ticketIds.push(id);
          if (ticketIds.length === limit) return { ticketIds, examined, last };
        }
        start = page.LastEvaluatedKey;
        if (!start) return { ticketIds, examined, last: null };
        if (examined >= examine) return { ticketIds, examined, last };
      }
    },
  };

  /** The candidates indexed by every one of the other hashes too: one keyed read per candidate and hash. */
  async function haveAll(tenantId: string, candidates: string[], others: string[]): Promise<Set<string>> {
    if (others.length === 0) return new Set(candidates);
    const keys = candidates.flatMap((ticketId) => others.map((hash) => wordKey(tenantId, hash, ticketId)));
    const found = new Map<string, number>();
    for (const item of await batchGetAll(client, tableName, keys, { consistent: false })) {
      const ticketId = item.sk!.S!;
      found.set(ticketId, (found.get(ticketId) ?? 0) + 1);
    }
    return new Set(candidates.filter((ticketId) => found.get(ticketId) === others.length));
  }
}
