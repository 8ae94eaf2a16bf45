import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StoredEvent } from '../../events/envelope.ts';
import { eventFromItem } from '../shared/dynamodb/event-store.ts';
import { insertedImage } from '../shared/dynamodb/stream-records.ts';
import { MetricUnit } from '../shared/platform/observability.ts';
import type { Deps } from '../shared/ports/deps.ts';
import { preload, projectionOf, projectStream } from './projections.ts';

/**
 * The DynamoDB Streams consumer of the events table (in AWS an event source mapping with
 * ReportBatchItemFailures; locally the stream poller). Records are grouped per stream; a stream
 * that fails reports its first record, so that stream is redelivered from there.
 */
export const projector =
  (deps: Deps) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const byStream = new Map<string, Array<{ record: DynamoDBRecord; event: StoredEvent }>>();
    for (const record of event.Records) {
      const image = insertedImage(record);
      if (!image) continue;
      const stored = eventFromItem(image);
      if (!projectionOf(stored.streamId)) continue;
      byStream.set(stored.streamId, [...(byStream.get(stored.streamId) ?? []), { record, event: stored }]);
    }
    const failures: string[] = [];
    // One read for the batch's ticket views instead of one per ticket; if it fails, each stream reads its own.
    const preloaded = await preload(deps, [...byStream.keys()]).catch((error: Error) => {
      deps.logger.warn('projection preload failed', { errorName: error.name });
      return undefined;
    });
    const oldest = Math.min(...[...byStream.values()].flat().map((entry) => Date.parse(entry.event.recordedAt)));
    await Promise.all(
      [...byStream].map(async ([streamId, entries]) => {
        try {
          await projectStream(
            deps,
            streamId,
            entries.map((entry) => entry.event),
            preloaded,
          );
        } catch (error) {
          deps.logger.error('projection failed', { streamId, errorName: (error as Error).name });
          failures.push(entries[0]!.record.dynamodb!.SequenceNumber!);
        }
      }),
    );
    // How long the oldest event of the batch waited for its view: what "the queue is stale" means.
    if (Number.isFinite(oldest))
      deps.metrics.addMetric('ProjectionLag', MetricUnit.Milliseconds, Math.max(0, deps.clock().getTime() - oldest));
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  };
