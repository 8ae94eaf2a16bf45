import type { StoredEvent } from '../../../events/envelope.ts';
import type { TenantLogEntry } from '../../../events/tenant-log.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { TenantLogStore } from '../ports/tenant-log-store.ts';
import { logInOrder } from '../ports/tenant-log-store.ts';

export interface ExportedEvent {
  /** The tenant log position: pass the last one back as the cursor to resume after it. */
  seq: number;
  tenantId: string;
  event: StoredEvent;
}

/** Where an export starts: after `seq` in tenant `tenantId`'s log (and the tenants after it, when all are exported). */
export interface ExportCursor {
  tenantId: string;
  seq: number;
}

/** The stored event each log entry covers, in the entries' order; null where it is no longer in the table. */
export async function loggedEvents(eventStore: EventStore, entries: TenantLogEntry[]): Promise<Array<StoredEvent | null>> {
  const position = (at: { streamId: string; version: number }) => `${at.streamId}@${at.version}`;
  const found = new Map((await eventStore.readEvents(entries)).map((event) => [position(event), event]));
  return entries.map((entry) => found.get(position(entry)) ?? null);
}

/**
 * Stored events in tenant log order: of one tenant, or of every tenant one after another (sorted
 * by id), after the cursor and recorded since an instant.
 */
export async function* exportEvents(
  deps: { tenantLog: TenantLogStore; eventStore: EventStore },
  options: { cursor?: ExportCursor; tenantId?: string; since?: Date },
): AsyncGenerator<ExportedEvent> {
  const since = options.since?.getTime() ?? -Infinity;
  const tenants = options.tenantId !== undefined ? [options.tenantId] : await deps.tenantLog.tenants();
  const from = options.cursor;
  for (const tenantId of tenants.filter((tenantId) => from === undefined || tenantId >= from.tenantId)) {
    const after = from?.tenantId === tenantId ? from.seq : 0;
    for await (const page of logInOrder(deps.tenantLog, { tenantId, after, pageSize: 500 })) {
      const wanted = page.filter((entry) => Date.parse(entry.recordedAt) >= since);
      const events = await loggedEvents(deps.eventStore, wanted);
      for (const [i, entry] of wanted.entries()) {
        // A logged event missing from the table is for `verify` to report; the export goes on.
        if (events[i]) yield { seq: entry.seq, tenantId, event: events[i] };
      }
    }
  }
}
