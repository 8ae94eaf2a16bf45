import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { indexTicket } from '../shared/application/ticket-search.ts';
import { insertedImage } from '../shared/dynamodb/stream-records.ts';
import { logCommitOf } from '../shared/dynamodb/tenant-log-store.ts';
import { MetricUnit } from '../shared/platform/observability.ts';
import type { Deps } from '../shared/ports/deps.ts';

const ticketPrefix = 'ticket#';

/**
 * The search index's consumer of the audit table's stream: each tenant log commit names the events
 * it logged, and each ticket among them is indexed again from its stream (once per batch). On the
 * audit stream, not the events stream: that one has its three readers already.
 */
export const searchIndexer =
  (deps: Deps) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const tickets = new Map<string, { tenantId: string; ticketId: string; sequenceNumber: string }>();
    for (const record of event.Records) {
      const image = insertedImage(record);
      const commit = image && logCommitOf(image);
      for (const entry of commit?.entries ?? []) {
        if (!entry.streamId.startsWith(ticketPrefix) || tickets.has(entry.streamId)) continue;
        const ticketId = entry.streamId.slice(ticketPrefix.length);
        tickets.set(entry.streamId, { tenantId: commit!.tenantId, ticketId, sequenceNumber: record.dynamodb!.SequenceNumber! });
      }
    }
    const failed: string[] = [];
    let written = 0;
    await Promise.all(
      [...tickets.values()].map(async ({ tenantId, ticketId, sequenceNumber }) => {
        try {
          const { added, removed } = await indexTicket(deps, tenantId, ticketId);
          written += added + removed;
        } catch (error) {
          deps.logger.error('indexing a ticket failed', { ticketId, errorName: (error as Error).name });
          failed.push(sequenceNumber);
        }
      }),
    );
    deps.metrics.addMetric('SearchEntriesWritten', MetricUnit.Count, written);
    // The earliest record with a failed ticket: the batch goes on from there (indexing again is harmless).
    const first = failed.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))[0];
    return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
  };
