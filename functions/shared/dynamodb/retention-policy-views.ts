import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { RetentionPolicy } from '../../../domain/retention/retention-policy.ts';
import type { RetentionPolicyViews } from '../ports/views.ts';
import { retentionPolicyIndex } from './tables.ts';
import { getView, putVersionedView } from './views-table.ts';

const viewPk = (tenantId: string) => `retention-policy#${tenantId}`;

export function dynamoRetentionPolicyViews(client: DynamoDBClient, tableName: string): RetentionPolicyViews {
  return {
    put: (policy, options) => {
      const item: Record<string, AttributeValue> = {
        pk: { S: viewPk(policy.tenantId) },
        tenantId: { S: policy.tenantId },
        view: { S: JSON.stringify(policy) },
      };
      // Sparse: a tenant that keeps its tickets is not in the job's index.
      if (policy.eraseClosedTicketsAfterDays !== null) item[retentionPolicyIndex.partitionKey] = { S: 'in-force' };
      return putVersionedView(client, tableName, item, policy.version, options);
    },
    get: (tenantId) => getView<RetentionPolicy>(client, tableName, viewPk(tenantId)),
    async *inForce() {
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: retentionPolicyIndex.name,
            KeyConditionExpression: `${retentionPolicyIndex.partitionKey} = :inForce`,
            ExpressionAttributeValues: { ':inForce': { S: 'in-force' } },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) yield JSON.parse(item.view!.S!) as RetentionPolicy;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    },
  };
}
