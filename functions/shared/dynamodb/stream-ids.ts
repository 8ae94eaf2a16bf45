import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/client-dynamodb';

/** The ids of the streams in the events table whose ids start with one of `prefixes`, a page at a time (by their first event). */
export async function* streamIdPages(client: DynamoDBClient, eventsTable: string, prefixes: string[]): AsyncGenerator<string[]> {
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: eventsTable,
        ProjectionExpression: 'streamId',
        FilterExpression: `version = :first AND (${prefixes.map((_, i) => `begins_with(streamId, :p${i})`).join(' OR ')})`,
        ExpressionAttributeValues: { ':first': { N: '1' }, ...Object.fromEntries(prefixes.map((prefix, i) => [`:p${i}`, { S: prefix }])) },
        ExclusiveStartKey: startKey,
      }),
    );
    yield (page.Items ?? []).map((item) => item.streamId!.S!);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
