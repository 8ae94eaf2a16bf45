import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Deps } from '../shared/composition.ts';
import { rebuildTicket } from './project-tickets.ts';

/**
 * Rebuilds every ticket view from the events table: finds each ticket stream by its first event,
 * then folds it. Safe while writes go on: a view is never replaced by an older one.
 */
export async function rebuildTicketViews(deps: Deps, onProgress: (done: number) => void = () => {}): Promise<number> {
  let done = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await deps.dynamodb.send(
      new ScanCommand({
        TableName: deps.config.eventsTable,
        ProjectionExpression: 'streamId',
        FilterExpression: 'version = :first AND begins_with(streamId, :ticket)',
        ExpressionAttributeValues: { ':first': { N: '1' }, ':ticket': { S: 'ticket#' } },
        ExclusiveStartKey: startKey,
      }),
    );
    await Promise.all((page.Items ?? []).map((item) => rebuildTicket(deps, item.streamId!.S!)));
    done += page.Items?.length ?? 0;
    onProgress(done);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return done;
}
