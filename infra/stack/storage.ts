import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import {
  auditTable,
  eventsTable,
  idempotencyTable,
  searchTable,
  subjectsTable,
  type TableName,
  type TableShape,
  viewsTable,
  webhooksTable,
} from '../../functions/shared/dynamodb/tables.ts';

/** The region's tables: on demand, encrypted, point-in-time recovery, deletion protection, retained. */
export function storage(stack: Stack): Record<TableName, Table> {
  return {
    events: table(stack, 'Events', eventsTable),
    views: table(stack, 'Views', viewsTable),
    idempotency: table(stack, 'Idempotency', idempotencyTable),
    subjects: table(stack, 'Subjects', subjectsTable),
    audit: table(stack, 'AuditLog', auditTable),
    webhooks: table(stack, 'Webhooks', webhooksTable),
    search: table(stack, 'SearchIndex', searchTable),
  };
}

function table(stack: Stack, id: string, shape: TableShape): Table {
  const table = new Table(stack, id, {
    partitionKey: { name: shape.partitionKey.name, type: shape.partitionKey.type as AttributeType },
    sortKey: shape.sortKey && { name: shape.sortKey.name, type: shape.sortKey.type as AttributeType },
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
    stream: shape.stream ? StreamViewType.NEW_IMAGE : undefined,
    timeToLiveAttribute: shape.ttlAttribute,
  });
  for (const index of shape.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
      sortKey: { name: index.sortKey, type: (index.sortKeyType ?? 'S') as AttributeType },
      ...projectionOf(index),
    });
  }
  return table;
}

function projectionOf({ projection = { type: 'ALL' } }: TableShape['indexes'][number]) {
  if (projection.type === 'INCLUDE') return { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...projection.attributes] };
  return { projectionType: projection.type === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY };
}
