import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { TableShape } from '../../functions/shared/tables.ts';

/** Creates the table from its shape if it is not there yet; returns its stream ARN if it has one. */
export async function ensureTable(client: DynamoDBClient, name: string, shape: TableShape): Promise<string | undefined> {
  const existing = await describe(client, name);
  if (!existing) await create(client, name, shape);
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: name });
  const table = await describe(client, name);
  return table?.LatestStreamArn;
}

async function describe(client: DynamoDBClient, name: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function create(client: DynamoDBClient, name: string, shape: TableShape) {
  const attributes = new Map<string, AttributeDefinition['AttributeType']>([[shape.partitionKey.name, shape.partitionKey.type]]);
  if (shape.sortKey) attributes.set(shape.sortKey.name, shape.sortKey.type);
  for (const index of shape.indexes) {
    attributes.set(index.partitionKey, 'S');
    attributes.set(index.sortKey, 'S');
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
        KeySchema: [
          { AttributeName: shape.partitionKey.name, KeyType: 'HASH' },
          ...(shape.sortKey ? [{ AttributeName: shape.sortKey.name, KeyType: 'RANGE' as const }] : []),
        ],
        GlobalSecondaryIndexes: shape.indexes.length
          ? shape.indexes.map((index) => ({
              IndexName: index.name,
              KeySchema: [
                { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
                { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
              ],
              Projection: { ProjectionType: 'ALL' as const },
            }))
          : undefined,
        StreamSpecification: shape.stream ? { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } : undefined,
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  if (shape.ttlAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: shape.ttlAttribute, Enabled: true },
      }),
    );
  }
}
