import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Deps } from '../shared/ports/deps.ts';
import { projections, rebuildStream } from './projections.ts';

/**
 * Rebuilds every view (tickets, requests) from the events table: finds each projected stream by
 * its first event, then folds it. Safe while writes go on: a view is never replaced by an older one.
 */
export async function rebuildViews(deps: Deps, onProgress: (done: number) => void = () => {}): Promise<number> {
  let done = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await deps.dynamodb.send(
      new ScanCommand({
        TableName: deps.config.eventsTable,
        ProjectionExpression: 'streamId',
        FilterExpression: `version = :first AND (${projections.map((_, i) => `begins_with(streamId, :p${i})`).join(' OR ')})`,
        ExpressionAttributeValues: { ':first': { N: '1' }, ...Object.fromEntries(projections.map((p, i) => [`:p${i}`, { S: p.prefix }])) },
        ExclusiveStartKey: startKey,
      }),
    );
    await Promise.all((page.Items ?? []).map((item) => rebuildStream(deps, item.streamId!.S!)));
    done += page.Items?.length ?? 0;
    onProgress(done);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return done;
}
