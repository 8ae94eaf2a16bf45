import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { wakeSubscribers } from '../shared/application/webhook-sender.ts';
import { insertedImage } from '../shared/dynamodb/stream-records.ts';
import { logTenantOf } from '../shared/dynamodb/tenant-log-store.ts';
import type { Deps } from '../shared/ports/deps.ts';

/**
 * The audit table's stream consumer: a commit item written means its tenant's log moved, so the
 * senders of that tenant's subscriptions are woken (one wake-up each per batch). In AWS the event
 * source mapping lets only commit items through; locally the poller hands every record.
 */
export const webhookDispatcher =
  (deps: Deps) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const tenants = event.Records.flatMap((record) => {
      const image = insertedImage(record);
      const tenantId = image && logTenantOf(image);
      return tenantId ? [tenantId] : [];
    });
    try {
      await wakeSubscribers(deps, tenants);
      return { batchItemFailures: [] };
    } catch (error) {
      deps.logger.error('waking webhook senders failed', { errorName: (error as Error).name });
      const first = event.Records[0]?.dynamodb?.SequenceNumber;
      return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
    }
  };
