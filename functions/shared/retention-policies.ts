import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { decideRetentionPolicy, evolveRetentionPolicy, noPolicy, type RetentionPolicy } from '../../domain/retention/retention-policy.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { retentionEventOf, retentionEventSchemas, retentionPolicyStreamId } from '../../events/retention-events.ts';
import { appendDecided } from './append-events.ts';
import type { Deps } from './composition.ts';
import { retentionPolicyIndex } from './tables.ts';
import { type CommandContext, StaleVersion } from './ticket-commands.ts';
import { getView, putVersionedView } from './views-table.ts';

export const foldRetentionPolicy = (tenantId: string, events: StoredEvent[], from: RetentionPolicy | null = null): RetentionPolicy =>
  events.reduce(
    (state, stored) => evolveRetentionPolicy(state, { ...retentionEventOf(stored), version: stored.version, occurredAt: stored.occurredAt, actorId: stored.actor.id }),
    from ?? noPolicy(tenantId),
  );

/** The tenant's policy as its stream says now (read-your-writes). */
export async function loadRetentionPolicy(deps: Deps, tenantId: string): Promise<RetentionPolicy> {
  return foldRetentionPolicy(tenantId, await deps.eventStore.readStream(retentionPolicyStreamId(tenantId)));
}

/** Sets the policy, re-deciding after a lost race; `expects` is If-Match on the policy's version. */
export async function setRetentionPolicy(
  deps: Deps,
  write: { eraseClosedTicketsAfterDays: number | null; context: CommandContext; expects?: (version: number) => boolean },
): Promise<RetentionPolicy> {
  const { tenantId } = write.context;
  const { stored, appended } = await appendDecided(deps, retentionPolicyStreamId(tenantId), write.context, (stored) => {
    const before = foldRetentionPolicy(tenantId, stored);
    if (write.expects && !write.expects(before.version)) throw new StaleVersion(before.version);
    const command = { type: 'SetRetentionPolicy', eraseClosedTicketsAfterDays: write.eraseClosedTicketsAfterDays } as const;
    return decideRetentionPolicy(command, before).map((event) => ({ ...event, schemaVersion: retentionEventSchemas[event.type].schemaVersion }));
  });
  return foldRetentionPolicy(tenantId, [...stored, ...appended]);
}

/** The projection of the policies, so the daily job can find the tenants that have one in force. */
export interface RetentionPolicyViews {
  put(policy: RetentionPolicy, options?: { replaceSameVersion?: boolean }): Promise<boolean>;
  get(tenantId: string): Promise<RetentionPolicy | null>;
  inForce(): AsyncIterable<RetentionPolicy>;
}

const viewPk = (tenantId: string) => `retention-policy#${tenantId}`;

export function dynamoRetentionPolicyViews(client: DynamoDBClient, tableName: string): RetentionPolicyViews {
  return {
    put: (policy, options) => {
      const item: Record<string, AttributeValue> = { pk: { S: viewPk(policy.tenantId) }, tenantId: { S: policy.tenantId }, view: { S: JSON.stringify(policy) } };
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
