import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';

/** DynamoDB's cap on the requests of one BatchWriteItem. */
const maxRequestsPerBatch = 25;

/** Puts and deletes (any number), 25 to a call, unprocessed ones sent again after a growing pause. */
export async function batchWriteAll(client: DynamoDBClient, tableName: string, requests: WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += maxRequestsPerBatch) {
    let batch: WriteRequest[] = requests.slice(i, i + maxRequestsPerBatch);
    for (let round = 0; batch.length > 0; round++) {
      if (round > 0) await new Promise((done) => setTimeout(done, Math.min(1000, 25 * 2 ** round)));
      const { UnprocessedItems } = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }));
      batch = UnprocessedItems?.[tableName] ?? [];
    }
  }
}
