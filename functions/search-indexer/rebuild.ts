import { indexTicket } from '../shared/application/ticket-search.ts';
import { streamIdPages } from '../shared/dynamodb/stream-ids.ts';
import type { Deps } from '../shared/ports/deps.ts';

/**
 * Indexes every ticket again from its stream (after a change to how words are found, say): each
 * ticket's entries are replaced by what its stream gives now. Safe while writes go on.
 */
export async function rebuildSearchIndex(deps: Deps, onProgress: (done: number) => void = () => {}): Promise<number> {
  let done = 0;
  for await (const streamIds of streamIdPages(deps.dynamodb, deps.config.eventsTable, ['ticket#'])) {
    const events = await deps.eventStore.readEvents(streamIds.map((streamId) => ({ streamId, version: 1 })));
    await Promise.all(events.map((event) => indexTicket(deps, event.tenantId, event.streamId.slice('ticket#'.length), { again: true })));
    done += streamIds.length;
    onProgress(done);
  }
  return done;
}
