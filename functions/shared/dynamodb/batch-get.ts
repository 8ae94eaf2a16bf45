import { type AttributeValue, BatchGetItemCommand, type BatchGetItemCommandOutput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;

/** DynamoDB's cap on the keys of one BatchGetItem. */
const maxKeysPerBatch = 100;

/** The items at `keys` (any number; absent ones are left out), read consistently unless told, unprocessed keys asked for again. */
export async function batchGetAll(client: DynamoDBClient, tableName: string, keys: Item[], { consistent = true } = {}): Promise<Item[]> {
  const found: Item[] = [];
  for (let start = 0; start < keys.length; start += maxKeysPerBatch) {
    let pending: Item[] | undefined = keys.slice(start, start + maxKeysPerBatch);
    while (pending?.length) {
      const answer: BatchGetItemCommandOutput = await client.send(
        new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistent } } }),
      );
      found.push(...(answer.Responses?.[tableName] ?? []));
      pending = answer.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return found;
}
