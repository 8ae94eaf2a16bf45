import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type Projection,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { regionTables, type TableName, type TableShape } from '../../functions/shared/dynamodb/tables.ts';
import type { Config } from '../../functions/shared/platform/config.ts';

/** Creates the table from its shape if it is not there yet; returns its stream ARN if it has one. */
export async function ensureTable(client: DynamoDBClient, name: string, shape: TableShape): Promise<string | undefined> {
  const existing = await describe(client, name);
  if (!existing) await create(client, name, shape);
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: name });
  if (existing) await addMissingIndexes(client, name, shape, existing.GlobalSecondaryIndexes?.map((index) => index.IndexName!) ?? []);
  // A table made by an earlier Meridian gets the stream a later one reads (the audit table's, for the webhook dispatcher).
  if (existing && shape.stream && !existing.StreamSpecification?.StreamEnabled)
    await client.send(
      new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }),
    );
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

/** Data kept from an earlier version of Meridian gets the indexes added since (one at a time, as DynamoDB asks). */
async function addMissingIndexes(client: DynamoDBClient, name: string, shape: TableShape, present: string[]) {
  for (const index of shape.indexes.filter((wanted) => !present.includes(wanted.name))) {
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: [
          { AttributeName: index.partitionKey, AttributeType: 'S' },
          { AttributeName: index.sortKey, AttributeType: index.sortKeyType ?? 'S' },
        ],
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: index.name, KeySchema: indexKeySchema(index), Projection: projectionOf(index) } },
        ],
      }),
    );
    while ((await describe(client, name))?.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === index.name)?.IndexStatus !== 'ACTIVE') {
      await new Promise((done) => setTimeout(done, 200));
    }
  }
}

const indexKeySchema = (index: TableShape['indexes'][number]) => [
  { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
  { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
];

async function create(client: DynamoDBClient, name: string, shape: TableShape) {
  const attributes = new Map<string, AttributeDefinition['AttributeType']>([[shape.partitionKey.name, shape.partitionKey.type]]);
  if (shape.sortKey) attributes.set(shape.sortKey.name, shape.sortKey.type);
  for (const index of shape.indexes) {
    attributes.set(index.partitionKey, 'S');
    attributes.set(index.sortKey, index.sortKeyType ?? 'S');
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
              KeySchema: indexKeySchema(index),
              Projection: projectionOf(index),
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

/** A region's tables by their configured names, each with its shape. */
export const regionTableShapes = (config: Config): Record<string, TableShape> =>
  Object.fromEntries(
    Object.entries(regionTables).flatMap(([name, shape]) => {
      const table = config[`${name as TableName}Table`];
      return table ? [[table, shape]] : [];
    }),
  );

/** Every table of one region, created if missing; returns the stream ARNs of the events and audit tables. */
export async function ensureRegionTables(client: DynamoDBClient, config: Config): Promise<{ events: string; audit: string }> {
  const streams: Partial<Record<TableName, string>> = {};
  for (const [name, shape] of Object.entries(regionTables) as Array<[TableName, TableShape]>) {
    const table = config[`${name}Table`];
    if (!table) continue;
    const arn = await ensureTable(client, table, shape);
    if (shape.stream) streams[name] = arn;
  }
  return { events: streams.events!, audit: streams.audit! };
}

const projectionOf = ({ projection = { type: 'ALL' } }: TableShape['indexes'][number]): Projection =>
  projection.type === 'INCLUDE'
    ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...projection.attributes] }
    : { ProjectionType: projection.type };
