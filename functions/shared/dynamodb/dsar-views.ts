import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Dsar } from '../../../domain/dsar/dsar.ts';
import type { DsarViews } from '../ports/views.ts';
import { dsarIndexes } from './tables.ts';
import { getView, putVersionedView, queryViewPage } from './views-table.ts';

const viewPk = (dsarId: string) => `dsar#${dsarId}`;

export function dynamoDsarViews(client: DynamoDBClient, tableName: string): DsarViews {
  return {
    get: (dsarId) => getView<Dsar>(client, tableName, viewPk(dsarId)),

    put: (dsar, options) =>
      putVersionedView(
        client,
        tableName,
        {
          pk: { S: viewPk(dsar.id) },
          dsarId: { S: dsar.id },
          tenantId: { S: dsar.tenantId },
          type: { S: dsar.type },
          view: { S: JSON.stringify(dsar) },
          [dsarIndexes.tenant.partitionKey]: { S: dsar.tenantId },
          [dsarIndexes.status.partitionKey]: { S: `${dsar.tenantId}#${dsar.status}` },
        },
        dsar.version,
        options,
      ),

    list(query) {
      const index = query.status === undefined ? dsarIndexes.tenant : dsarIndexes.status;
      return queryViewPage<Dsar>(client, tableName, {
        index,
        value: query.status === undefined ? query.tenantId : `${query.tenantId}#${query.status}`,
        pkOf: viewPk,
        idOf: (dsar) => dsar.id,
        filters: query.type === undefined ? [] : [{ attribute: 'type', equals: query.type }],
        fingerprint: JSON.stringify(['dsar', query.tenantId, query.status, query.type]),
        limit: query.limit,
        cursor: query.cursor,
      });
    },
  };
}
