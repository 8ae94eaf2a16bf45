import type { StoredEvent } from '../../../events/envelope.ts';
import type { RegionLogEntry } from '../../../events/region-log.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { RegionLogStore } from '../ports/region-log-store.ts';
import { logInOrder } from '../ports/region-log-store.ts';

export interface ExportedEvent {
  /** The region log position: pass the last one back as the cursor to resume after it. */
  seq: number;
  event: StoredEvent;
}

/** The stored event each log entry covers, in the entries' order; null where it is no longer in the table. */
export async function loggedEvents(eventStore: EventStore, entries: RegionLogEntry[]): Promise<Array<StoredEvent | null>> {
  const position = (at: { streamId: string; version: number }) => `${at.streamId}@${at.version}`;
  const found = new Map((await eventStore.readEvents(entries)).map((event) => [position(event), event]));
  return entries.map((entry) => found.get(position(entry)) ?? null);
}

/** Stored events in region log order after `cursor`, optionally of one tenant and recorded since an instant. */
export async function* exportEvents(
  deps: { regionLog: RegionLogStore; eventStore: EventStore },
  options: { cursor?: number; tenantId?: string; since?: Date },
): AsyncGenerator<ExportedEvent> {
  const since = options.since?.getTime() ?? -Infinity;
  for await (const page of logInOrder(deps.regionLog, { after: options.cursor, tenantId: options.tenantId, pageSize: 500 })) {
    const wanted = page.filter((entry) => Date.parse(entry.recordedAt) >= since);
    const events = await loggedEvents(deps.eventStore, wanted);
    for (const [i, entry] of wanted.entries()) {
      // A logged event missing from the table is for `verify` to report; the export goes on.
      if (events[i]) yield { seq: entry.seq, event: events[i] };
    }
  }
}
