import { streamIdPages } from '../shared/dynamodb/stream-ids.ts';
import type { Deps } from '../shared/ports/deps.ts';
import { projections, rebuildStream } from './projections.ts';

/**
 * Rebuilds every view (tickets, requests) from the events table: finds each projected stream by
 * its first event, then folds it. Safe while writes go on: a view is never replaced by an older one.
 */
export async function rebuildViews(deps: Deps, onProgress: (done: number) => void = () => {}): Promise<number> {
  let done = 0;
  for await (const streamIds of streamIdPages(
    deps.dynamodb,
    deps.config.eventsTable,
    projections.map((p) => p.prefix),
  )) {
    await Promise.all(streamIds.map((streamId) => rebuildStream(deps, streamId)));
    done += streamIds.length;
    onProgress(done);
  }
  return done;
}
