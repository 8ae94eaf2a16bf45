import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { toBusEvent } from '../../events/bus-events.ts';
import { maxEntriesPerPut } from '../shared/aws/event-bus.ts';
import { eventFromItem } from '../shared/dynamodb/event-store.ts';
import { insertedImage } from '../shared/dynamodb/stream-records.ts';
import type { EventBus } from '../shared/ports/event-bus.ts';

/**
 * The second consumer of the events table's stream: every new ticket and DSAR event goes to the
 * region's bus in its PII-free form, in stream order (auditor reads and subject streams stay). A put that fails reports its first record, so it and
 * everything after it is redelivered: at-least-once, and consumers dedupe on `detail.eventId`.
 */
export const publisher =
  (deps: { bus: EventBus; logger: Logger }) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const pending = event.Records.flatMap((record) => {
      const image = insertedImage(record);
      if (!image) return [];
      const busEvent = toBusEvent(eventFromItem(image));
      return busEvent ? [{ sequence: record.dynamodb!.SequenceNumber!, busEvent }] : [];
    });
    for (let start = 0; start < pending.length; start += maxEntriesPerPut) {
      const chunk = pending.slice(start, start + maxEntriesPerPut);
      let failed: number[];
      try {
        failed = await deps.bus.publish(chunk.map((entry) => entry.busEvent));
      } catch (error) {
        deps.logger.error('publishing failed', { errorName: (error as Error).name });
        failed = [0];
      }
      if (failed.length > 0) return { batchItemFailures: [{ itemIdentifier: chunk[Math.min(...failed)]!.sequence }] };
    }
    return { batchItemFailures: [] };
  };
